import { GantryError } from '../errors/index.js';

const units: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/**
 * Parses an analysis duration into milliseconds: `250ms`, `5s`, `1m`, `1h`, Go-style
 * compounds such as `1m30s` (Argo Rollouts' `interval` is a Go duration), or a bare number
 * of seconds (`30` or `'30'`), which is how YAML users write it without a unit.
 */
export function parseDuration(input: string | number): number {
  const invalid = (): never => {
    throw new GantryError('GANTRY_CONFIG_INVALID', `invalid duration ${JSON.stringify(input)}`, {
      hint: "write a number of seconds or a duration such as '250ms', '5s', '1m', '1h' or '1m30s'",
    });
  };
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) invalid();
    return input * 1_000;
  }
  const text = input.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1_000;
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return invalid();
  let ms = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    ms += Number(part[1]) * (units[part[2] ?? ''] ?? 0);
  }
  return ms;
}
