/**
 * What of a secret a report may keep: the first four characters of a long one (enough to
 * recognize `AKIA...` or `ghp_...`), nothing of a short one, and never its length.
 */
export function redact(secret: string): string {
  const value = secret.trim();
  return value.length >= 12 ? `${value.slice(0, 4)}*****` : '*****';
}

/** `text` with every occurrence of `secret` replaced by its redacted form. */
export function redactIn(text: string, secret: string | undefined): string {
  const value = secret?.trim() ?? '';
  return value.length < 4 ? text : text.replaceAll(value, redact(value));
}
