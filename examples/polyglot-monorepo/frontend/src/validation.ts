import { parseMoney } from './format';
import { isOrderStatus } from './types';
import type { NewOrder, Order, OrderItem } from './types';

/** Limits shared with the backend and the `order.created.v1` contract. */
export const LIMITS = {
  customerMaxLength: 200,
  skuMaxLength: 64,
  maxQuantity: 1000,
  maxItems: 50,
} as const;

/** What the form holds: everything is text until validated. */
export interface OrderFormItem {
  sku: string;
  quantity: string;
  price: string;
}

export interface OrderForm {
  customer: string;
  items: OrderFormItem[];
}

/** Error messages by field path: `customer`, `items`, `items.0.sku`, ... */
export type FieldErrors = Record<string, string>;

export type ValidationResult = { ok: true; value: NewOrder } | { ok: false; errors: FieldErrors };

const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Validates the order form and, when valid, returns the request body for `POST /api/orders`. */
export function validateOrderForm(form: OrderForm): ValidationResult {
  const errors: FieldErrors = {};
  const customer = form.customer.trim();
  if (customer.length === 0) {
    errors.customer = 'Customer is required.';
  } else if (customer.length > LIMITS.customerMaxLength) {
    errors.customer = `Customer must be at most ${LIMITS.customerMaxLength} characters.`;
  }

  // Lines left completely empty are ignored, so the form can keep a blank row.
  const lines = form.items
    .map((item, index) => ({ item, index }))
    .filter(({ item }) => item.sku.trim() || item.quantity.trim() || item.price.trim());
  if (lines.length === 0) {
    errors.items = 'Add at least one item.';
  } else if (lines.length > LIMITS.maxItems) {
    errors.items = `An order can have at most ${LIMITS.maxItems} items.`;
  }

  const items: OrderItem[] = [];
  for (const { item, index } of lines) {
    const sku = item.sku.trim();
    if (sku.length === 0) {
      errors[`items.${index}.sku`] = 'SKU is required.';
    } else if (sku.length > LIMITS.skuMaxLength || !SKU_PATTERN.test(sku)) {
      errors[`items.${index}.sku`] = 'SKU may contain letters, digits, ".", "_" and "-".';
    }
    const quantity = parseQuantity(item.quantity);
    if (quantity === null) {
      errors[`items.${index}.quantity`] =
        `Quantity must be a whole number from 1 to ${LIMITS.maxQuantity}.`;
    }
    const price = parseMoney(item.price);
    if (price === null) {
      errors[`items.${index}.price`] = 'Price must be an amount like 19.99.';
    }
    if (quantity !== null && price !== null) {
      items.push({ sku, quantity, unit_price_cents: price });
    }
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { customer, items } };
}

function parseQuantity(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value >= 1 && value <= LIMITS.maxQuantity ? value : null;
}

/** Thrown when the backend answers with something that is not an order. */
export class InvalidResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidResponseError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks an order coming from the API at runtime, so a contract drift fails loudly. */
export function parseOrder(value: unknown): Order {
  if (!isRecord(value)) throw new InvalidResponseError('order: expected an object');
  const { id, customer, items, total_cents, status, created_at } = value;
  if (typeof id !== 'string' || id === '') {
    throw new InvalidResponseError('order.id: expected a non-empty string');
  }
  if (typeof customer !== 'string') {
    throw new InvalidResponseError(`order ${id}: customer must be a string`);
  }
  if (!Array.isArray(items)) {
    throw new InvalidResponseError(`order ${id}: items must be an array`);
  }
  if (!isNonNegativeInteger(total_cents)) {
    throw new InvalidResponseError(`order ${id}: total_cents must be a non-negative integer`);
  }
  if (!isOrderStatus(status)) {
    throw new InvalidResponseError(`order ${id}: unknown status ${JSON.stringify(status)}`);
  }
  if (created_at !== undefined && created_at !== null && typeof created_at !== 'string') {
    throw new InvalidResponseError(`order ${id}: created_at must be a string`);
  }
  const parsedItems = items.map((item, index): OrderItem => {
    if (
      !isRecord(item) ||
      typeof item.sku !== 'string' ||
      !isNonNegativeInteger(item.quantity) ||
      !isNonNegativeInteger(item.unit_price_cents)
    ) {
      throw new InvalidResponseError(`order ${id}: items[${index}] is not a valid item`);
    }
    return { sku: item.sku, quantity: item.quantity, unit_price_cents: item.unit_price_cents };
  });
  const order: Order = { id, customer, items: parsedItems, total_cents, status };
  if (typeof created_at === 'string') order.created_at = created_at;
  return order;
}
