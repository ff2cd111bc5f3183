import type { Order } from '../src/types';

export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
    customer: 'Ada Lovelace',
    items: [{ sku: 'BOOK-1', quantity: 2, unit_price_cents: 1999 }],
    total_cents: 3998,
    status: 'pending',
    created_at: '2025-01-02T03:04:05Z',
    ...overrides,
  };
}
