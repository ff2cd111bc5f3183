import { accessSync, constants, readdirSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a server binary on PATH, then in versioned directories such as
 * `/usr/lib/postgresql/<version>/bin` (Debian keeps PostgreSQL's server binaries off PATH),
 * highest version first.
 */
export function findBinary(
  name: string,
  pathVar: string | undefined,
  versionedRoots: readonly string[] = [],
): string | undefined {
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (dir && executable(path.join(dir, name))) return path.join(dir, name);
  }
  for (const dir of versionedDirs(versionedRoots)) {
    if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** `/usr/lib/postgresql/{15,16}/bin` for a root `/usr/lib/postgresql/*\/bin`, newest first. */
export function versionedDirs(roots: readonly string[]): string[] {
  const dirs: Array<{ dir: string; version: number[] }> = [];
  for (const root of roots) {
    const [base, rest] = root.split('/*');
    if (base === undefined) continue;
    let entries: string[];
    try {
      entries = readdirSync(base);
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (!/^\d+(\.\d+)*$/.test(entry)) continue;
      dirs.push({ dir: path.join(base, entry, rest ?? ''), version: entry.split('.').map(Number) });
    }
  }
  dirs.sort((a, b) => compareVersions(b.version, a.version));
  return dirs.map((d) => d.dir);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The error for an image whose server is not installed on this host. */
export function missingBinary(image: string, binary: string, debianPackage: string): GantryError {
  return new GantryError(
    'GANTRY_SERVICE_BINARY_MISSING',
    `service image '${image}' runs natively with \`${binary}\`, which is not installed on this host`,
    { hint: `install it: apt-get install -y ${debianPackage}` },
  );
}
