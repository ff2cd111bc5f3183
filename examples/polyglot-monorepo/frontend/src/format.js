/** Formats an amount in cents as a price string, e.g. 1999 -> "$19.99". */
export function formatPrice(cents, currency = 'USD') {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(cents / 100);
}
