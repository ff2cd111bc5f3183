import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isRecord } from './locked-graph.js';

/** The dependency declarations of a package.json: name → range, by kind. */
export interface DeclaredDependencies {
  readonly required: Record<string, string>;
  readonly optional: Record<string, string>;
  readonly dev: Record<string, string>;
  /** Yarn 1 workspace patterns (`packages/*`). */
  readonly workspaces: readonly string[];
}

/** Reads `dir/package.json`; undefined when there is none or it is not JSON. */
export function readPackageJson(dir: string): DeclaredDependencies | undefined {
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!isRecord(pkg)) return undefined;
  const strings = (value: unknown): Record<string, string> =>
    isRecord(value)
      ? Object.fromEntries(
          Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
        )
      : {};
  const optional = strings(pkg['optionalDependencies']);
  // npm and yarn copy optionalDependencies into dependencies when they save; optional wins.
  const required = Object.fromEntries(
    Object.entries(strings(pkg['dependencies'])).filter(([name]) => !(name in optional)),
  );
  const ws = pkg['workspaces'];
  const list = Array.isArray(ws)
    ? ws
    : isRecord(ws) && Array.isArray(ws['packages'])
      ? ws['packages']
      : [];
  return {
    required,
    optional,
    dev: strings(pkg['devDependencies']),
    workspaces: list.filter((w): w is string => typeof w === 'string'),
  };
}
