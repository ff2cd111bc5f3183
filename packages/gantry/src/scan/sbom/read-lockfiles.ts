import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { type Component, type LockfileWarning, mergeComponents } from './component.js';
import {
  componentsOf,
  invalidLockfile,
  type LockedGraph,
  type LockfileContext,
} from './locked-graph.js';
import { readNpmLock } from './npm-lock.js';
import { readPnpmLock } from './pnpm-lock.js';
import { readPipfileLock } from './pipfile-lock.js';
import { readPoetryLock } from './poetry-lock.js';
import { readRequirements } from './requirements-txt.js';
import { readUvLock } from './uv-lock.js';
import { readYarnLock } from './yarn-lock.js';

type Reader = (text: string, ctx: LockfileContext) => LockedGraph;

/** Lockfile readers by file name. */
function readerFor(basename: string): Reader | undefined {
  switch (basename) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return readNpmLock;
    case 'pnpm-lock.yaml':
      return readPnpmLock;
    case 'yarn.lock':
      return readYarnLock;
    case 'poetry.lock':
      return readPoetryLock;
    case 'uv.lock':
      return readUvLock;
    case 'Pipfile.lock':
      return readPipfileLock;
    default:
      return /^requirements.*\.txt$/.test(basename) ? readRequirements : undefined;
  }
}

/** What `gantry sbom` reads, for messages. */
export const lockfileNames =
  'package-lock.json, npm-shrinkwrap.json, pnpm-lock.yaml, yarn.lock, requirements*.txt, poetry.lock, uv.lock, Pipfile.lock';

/** Folders that hold installed or generated copies, never the project's own lockfiles. */
const skippedFolders = new Set(['node_modules', '.git', '.gantry', '.venv', 'dist']);

/** Lockfiles under `root`, relative to it with `/` separators, sorted. */
export function findLockfiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, rel: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder has nothing Gantry can read
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!skippedFolders.has(entry.name)) walk(path.join(dir, entry.name), child);
      } else if (entry.isFile() && readerFor(entry.name)) {
        found.push(child);
      }
    }
  };
  walk(root, '');
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Components of every lockfile (deduplicated, sorted by purl) and what was skipped. */
export interface LockfileReport {
  readonly components: Component[];
  readonly warnings: LockfileWarning[];
}

/**
 * Reads the given lockfiles (paths relative to `root` or absolute), or every lockfile under
 * `root`. Throws GANTRY_NO_LOCKFILE when there is none and GANTRY_LOCKFILE_INVALID for the
 * first file that cannot be read.
 */
export function readLockfiles(root: string, files?: readonly string[]): LockfileReport {
  const list = files ?? findLockfiles(root);
  if (list.length === 0)
    throw new GantryError('GANTRY_NO_LOCKFILE', `no lockfile found in ${root}`, {
      hint: `Gantry reads ${lockfileNames} (node_modules, .git, .gantry, .venv and dist are skipped)`,
    });
  const warnings: LockfileWarning[] = [];
  const found: Component[] = [];
  for (const given of list) {
    const absolute = path.resolve(root, given);
    const relative = path.relative(root, absolute);
    const file = (relative.startsWith('..') ? absolute : relative).split(path.sep).join('/');
    const read = readerFor(path.basename(absolute));
    if (!read)
      throw invalidLockfile(file, `not a lockfile Gantry reads (it reads ${lockfileNames})`);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (cause) {
      const code = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
      throw invalidLockfile(file, `cannot be read (${code})`, { cause });
    }
    const ctx: LockfileContext = {
      file,
      path: absolute,
      warn: (message, line, other) =>
        warnings.push({ file: other ?? file, ...(line === undefined ? {} : { line }), message }),
    };
    found.push(...componentsOf(read(text, ctx), file));
  }
  // A requirements file included by another and found on its own reports its lines once.
  const unique = new Map(warnings.map((w) => [`${w.file}\0${w.line ?? ''}\0${w.message}`, w]));
  return { components: mergeComponents(found), warnings: [...unique.values()] };
}

/** The components of `readLockfiles`, for callers that do not report what was skipped. */
export function readComponents(root: string, files?: string[]): Component[] {
  return readLockfiles(root, files).components;
}
