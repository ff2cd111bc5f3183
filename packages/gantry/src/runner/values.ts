import { GantryError } from '../errors/index.js';

/** Turns an evaluated `env:`/`with:`/`outputs:` mapping into strings, as GitHub coerces them. */
export function stringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GantryError(
      'GANTRY_EXPRESSION_FAILED',
      `${what} must evaluate to a mapping, got ${JSON.stringify(value)}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toText(v);
  return out;
}

/** GitHub's string coercion of expression results. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return JSON.stringify(value, null, 2);
}
