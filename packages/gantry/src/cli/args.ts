import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GantryError } from '../errors/index.js';

/** node:util parseArgs with Gantry's usage error (code GANTRY_USAGE, exit 2). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (error) {
    throw new GantryError('GANTRY_USAGE', (error as Error).message, { hint: 'see --help' });
  }
}

/** `k=v` pairs from repeated flags. */
export function keyValues(
  values: readonly string[] | undefined,
  flag: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new GantryError('GANTRY_USAGE', `${flag} expects key=value, got '${pair}'`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
