import { describe, expect, it } from 'vitest';
import {
  formatItemCount,
  formatMoney,
  formatStatus,
  formatTimestamp,
  itemsTotal,
  parseMoney,
  shortId,
  summarizeOrder,
} from '../src/format';
import { order } from './fixtures';

describe('formatMoney', () => {
  it('formats cents as dollars', () => {
    expect(formatMoney(1999)).toBe('$19.99');
    expect(formatMoney(0)).toBe('$0.00');
    expect(formatMoney(5)).toBe('$0.05');
    expect(formatMoney(123456789)).toBe('$1,234,567.89');
  });

  it('formats negative amounts and other currencies', () => {
    expect(formatMoney(-250)).toBe('-$2.50');
    expect(formatMoney(500, 'EUR')).toBe('€5.00');
    expect(formatMoney(500, 'EUR', 'de-DE')).toBe('5,00\u00a0€');
  });

  it('rejects amounts that are not whole cents', () => {
    expect(() => formatMoney(1.5)).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN)).toThrow(/integer number of cents/);
  });
});

describe('parseMoney', () => {
  it.each([
    ['19.99', 1999],
    ['19.9', 1990],
    ['19', 1900],
    ['$1,250.00', 125000],
    [' 0.05 ', 5],
    ['0', 0],
  ])('parses %j as %i cents', (text, cents) => {
    expect(parseMoney(text)).toBe(cents);
  });

  it.each(['', 'abc', '-1', '1.999', '1.', '.5', '1e3', '99999999999999999'])(
    'rejects %j',
    (text) => {
      expect(parseMoney(text)).toBeNull();
    },
  );
});

describe('formatStatus', () => {
  it('gives every status a label and a tone', () => {
    expect(formatStatus('pending')).toEqual({ label: 'Pending', tone: 'neutral' });
    expect(formatStatus('paid')).toEqual({ label: 'Paid', tone: 'success' });
    expect(formatStatus('shipped')).toEqual({ label: 'Shipped', tone: 'info' });
    expect(formatStatus('cancelled')).toEqual({ label: 'Cancelled', tone: 'danger' });
  });
});

describe('items', () => {
  const items = [
    { sku: 'A', quantity: 2, unit_price_cents: 150 },
    { sku: 'B', quantity: 1, unit_price_cents: 999 },
  ];

  it('totals quantity times unit price', () => {
    expect(itemsTotal(items)).toBe(1299);
    expect(itemsTotal([])).toBe(0);
  });

  it('counts units, singular and plural', () => {
    expect(formatItemCount(items)).toBe('3 items');
    expect(formatItemCount([{ sku: 'A', quantity: 1, unit_price_cents: 1 }])).toBe('1 item');
    expect(formatItemCount([])).toBe('0 items');
  });
});

describe('ids, timestamps and summaries', () => {
  it('shortens ids', () => {
    expect(shortId('3f2504e0-4f89-41d3-9a0c-0305e82c3301')).toBe('3f2504e0');
    expect(shortId('abc')).toBe('abc');
  });

  it('formats timestamps in UTC and tolerates missing or bad ones', () => {
    expect(formatTimestamp('2025-01-02T03:04:05+02:00')).toBe('2025-01-02 01:04');
    expect(formatTimestamp(undefined)).toBe('—');
    expect(formatTimestamp('not a date')).toBe('—');
  });

  it('summarizes an order on one line', () => {
    expect(summarizeOrder(order())).toBe('3f2504e0 · Ada Lovelace · $39.98');
  });
});
