import path from 'node:path';
import { GantryError } from '../errors/index.js';

/** Runs node:util's parseArgs, turning its errors into Gantry's usage error (exit 2). */
export function withUsageErrors<T>(parse: () => T): T {
  try {
    return parse();
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

/** The one folder a command works on (default: the current one), as an absolute path. */
export function folderArgument(positionals: readonly string[], command: string): string {
  if (positionals.length > 1)
    throw new GantryError(
      'GANTRY_USAGE',
      `${command} takes one folder, got ${positionals.length}`,
      {
        hint: `see ${command} --help`,
      },
    );
  return path.resolve(positionals[0] ?? '.');
}
