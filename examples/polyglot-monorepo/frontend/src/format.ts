import type { Order, OrderItem, OrderStatus } from './types';

const moneyFormatters = new Map<string, Intl.NumberFormat>();

function moneyFormatter(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = moneyFormatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    moneyFormatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats an integer amount of cents as money: `1999` → `"$19.99"`. Integer arithmetic
 * only; a non-integer or non-finite amount is a programming error and throws.
 */
export function formatMoney(cents: number, currency = 'USD', locale = 'en-US'): string {
  if (!Number.isSafeInteger(cents)) {
    throw new RangeError(`formatMoney: expected an integer number of cents, got ${cents}`);
  }
  // Split into units and remainder so large amounts never go through a lossy division.
  const sign = cents < 0 ? -1 : 1;
  const abs = Math.abs(cents);
  const units = Math.trunc(abs / 100);
  const rest = abs % 100;
  return moneyFormatter(currency, locale).format(sign * (units + rest / 100));
}

/**
 * Parses what a user typed as a price ("19.99", "$1,250", "0.5") into cents.
 * Returns `null` when the text is not a non-negative amount with at most two decimals.
 */
export function parseMoney(text: string): number | null {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '').trim();
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(cleaned);
  if (!match) return null;
  const units = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  const cents = units * 100 + fraction;
  return Number.isSafeInteger(cents) ? cents : null;
}

export interface StatusBadge {
  label: string;
  tone: 'neutral' | 'success' | 'info' | 'danger';
}

const BADGES: Record<OrderStatus, StatusBadge> = {
  pending: { label: 'Pending', tone: 'neutral' },
  paid: { label: 'Paid', tone: 'success' },
  shipped: { label: 'Shipped', tone: 'info' },
  cancelled: { label: 'Cancelled', tone: 'danger' },
};

/** The label and colour tone of a status badge. */
export function formatStatus(status: OrderStatus): StatusBadge {
  return BADGES[status];
}

/** Sum of quantity × unit price over the items, in cents. */
export function itemsTotal(items: readonly OrderItem[]): number {
  return items.reduce((sum, item) => sum + item.quantity * item.unit_price_cents, 0);
}

/** `"3 items"`, `"1 item"`: the total quantity, not the number of lines. */
export function formatItemCount(items: readonly OrderItem[]): string {
  const count = items.reduce((sum, item) => sum + item.quantity, 0);
  return `${count} ${count === 1 ? 'item' : 'items'}`;
}

/** A short, stable id for display: the first 8 characters of a UUID. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** A timestamp as `YYYY-MM-DD HH:MM` in UTC (stable in tests and across time zones). */
export function formatTimestamp(iso: string | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  return date.toISOString().slice(0, 16).replace('T', ' ');
}

/** One line summary used in notifications: `"a1b2c3d4 · Ada · $19.98"`. */
export function summarizeOrder(order: Order, currency = 'USD'): string {
  return `${shortId(order.id)} · ${order.customer} · ${formatMoney(order.total_cents, currency)}`;
}
