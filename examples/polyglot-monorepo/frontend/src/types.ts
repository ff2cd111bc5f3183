/**
 * The order model the backend serves at `/api/orders` (and emits in the `order.*` events
 * described by ../contracts). Money is always an integer number of cents.
 */
export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'cancelled'] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  sku: string;
  quantity: number;
  unit_price_cents: number;
}

export interface Order {
  id: string;
  customer: string;
  items: OrderItem[];
  total_cents: number;
  status: OrderStatus;
  /** RFC 3339 timestamp; optional because older backends did not send it. */
  created_at?: string;
}

/** The body of `POST /api/orders`. */
export interface NewOrder {
  customer: string;
  items: OrderItem[];
}

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}
