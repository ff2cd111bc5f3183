import { describe, expect, it } from 'vitest';
import { isOrderStatus } from '../src/types';
import { InvalidResponseError, LIMITS, parseOrder, validateOrderForm } from '../src/validation';
import type { OrderForm } from '../src/validation';
import { order } from './fixtures';

function form(overrides: Partial<OrderForm> = {}): OrderForm {
  return {
    customer: '  Ada Lovelace ',
    items: [{ sku: ' BOOK-1 ', quantity: '2', price: '19.99' }],
    ...overrides,
  };
}

describe('validateOrderForm', () => {
  it('returns the request body for a valid form, trimmed', () => {
    expect(validateOrderForm(form())).toEqual({
      ok: true,
      value: {
        customer: 'Ada Lovelace',
        items: [{ sku: 'BOOK-1', quantity: 2, unit_price_cents: 1999 }],
      },
    });
  });

  it('ignores blank item rows', () => {
    const result = validateOrderForm(
      form({
        items: [
          { sku: '', quantity: '', price: '' },
          { sku: 'PEN', quantity: '1', price: '0' },
          { sku: ' ', quantity: ' ', price: '' },
        ],
      }),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        customer: 'Ada Lovelace',
        items: [{ sku: 'PEN', quantity: 1, unit_price_cents: 0 }],
      },
    });
  });

  it('requires a customer of at most 200 characters', () => {
    expect(validateOrderForm(form({ customer: '   ' }))).toEqual({
      ok: false,
      errors: { customer: 'Customer is required.' },
    });
    const long = validateOrderForm(form({ customer: 'x'.repeat(LIMITS.customerMaxLength + 1) }));
    expect(long.ok).toBe(false);
    expect(!long.ok && long.errors.customer).toMatch(/at most 200/);
    expect(validateOrderForm(form({ customer: 'x'.repeat(200) })).ok).toBe(true);
  });

  it('requires at least one item and at most the limit', () => {
    expect(validateOrderForm(form({ items: [] }))).toEqual({
      ok: false,
      errors: { items: 'Add at least one item.' },
    });
    const many = Array.from({ length: LIMITS.maxItems + 1 }, () => ({
      sku: 'A',
      quantity: '1',
      price: '1',
    }));
    const result = validateOrderForm(form({ items: many }));
    expect(!result.ok && result.errors.items).toMatch(/at most 50/);
  });

  it('reports each bad field of each row by path', () => {
    const result = validateOrderForm(
      form({
        items: [
          { sku: 'OK-1', quantity: '1', price: '1.00' },
          { sku: '', quantity: '0', price: 'free' },
          { sku: 'has space', quantity: '1.5', price: '-3' },
          { sku: 'A'.repeat(65), quantity: '1001', price: '1' },
        ],
      }),
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual({
      'items.1.sku': 'SKU is required.',
      'items.1.quantity': 'Quantity must be a whole number from 1 to 1000.',
      'items.1.price': 'Price must be an amount like 19.99.',
      'items.2.sku': 'SKU may contain letters, digits, ".", "_" and "-".',
      'items.2.quantity': 'Quantity must be a whole number from 1 to 1000.',
      'items.2.price': 'Price must be an amount like 19.99.',
      'items.3.sku': 'SKU may contain letters, digits, ".", "_" and "-".',
      'items.3.quantity': 'Quantity must be a whole number from 1 to 1000.',
    });
  });
});

describe('parseOrder', () => {
  it('accepts a well-formed order and drops unknown fields', () => {
    const parsed = parseOrder({ ...order(), extra: true, items: [{ ...order().items[0], x: 1 }] });
    expect(parsed).toEqual(order());
  });

  it('accepts an order without created_at (or with null)', () => {
    const { created_at: _, ...rest } = order();
    expect(parseOrder(rest)).toEqual(rest);
    expect(parseOrder({ ...rest, created_at: null })).toEqual(rest);
  });

  it.each([
    [null, 'expected an object'],
    [[], 'expected an object'],
    [{ ...order(), id: '' }, 'order.id'],
    [{ ...order(), customer: 7 }, 'customer must be a string'],
    [{ ...order(), items: 'x' }, 'items must be an array'],
    [{ ...order(), total_cents: 1.5 }, 'total_cents'],
    [{ ...order(), total_cents: -1 }, 'total_cents'],
    [{ ...order(), status: 'lost' }, 'unknown status "lost"'],
    [{ ...order(), created_at: 5 }, 'created_at'],
    [{ ...order(), items: [{ sku: 'A', quantity: '1', unit_price_cents: 1 }] }, 'items[0]'],
    [{ ...order(), items: [null] }, 'items[0]'],
  ])('rejects %j', (value, message) => {
    expect(() => parseOrder(value)).toThrow(InvalidResponseError);
    expect(() => parseOrder(value)).toThrow(message);
  });

  it('knows the statuses', () => {
    expect(isOrderStatus('paid')).toBe(true);
    expect(isOrderStatus('PAID')).toBe(false);
    expect(isOrderStatus(1)).toBe(false);
  });
});
