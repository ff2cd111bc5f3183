/**
 * What a report may show of a secret: its first characters (at most 4, and never more than a
 * quarter of it), `…`, and its length, e.g. `ghp_…(40)`. Enough to recognise which key
 * leaked and where to rotate it; never enough to use it.
 */
export function redactSecret(secret: string): string {
  const chars = [...secret];
  const shown = Math.min(4, Math.floor(chars.length / 4));
  return `${chars.slice(0, shown).join('')}…(${chars.length})`;
}
