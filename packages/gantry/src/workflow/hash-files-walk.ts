import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { matchesPath, mayMatchBelow, type GlobPattern } from './hash-files-pattern.js';

/**
 * The directory walk of @actions/glob's DefaultGlobber.globGenerator, synchronously: depth
 * first from each search path, directory entries in `readdir` order (libuv sorts them by byte
 * value), descending only where a pattern may still match.
 */

/** The paths @actions/glob's globGenerator yields, in its order. */
export function* walk(patterns: GlobPattern[], root: string, follow: boolean): Generator<string> {
  const stack: { path: string; level: number }[] = [];
  for (const searchPath of searchPaths(patterns, root)) {
    if (!exists(searchPath)) continue;
    stack.unshift({ path: searchPath, level: 1 });
  }
  const chain: string[] = []; // real paths of the directories being walked, to stop symlink cycles
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item) break;
    const match = matchKind(patterns, item.path);
    const partial = match !== 0 || patterns.some((p) => !p.negate && mayMatchBelow(p, item.path));
    if (!partial) continue;
    const stats = statItem(item, follow, chain);
    if (!stats) continue;
    if (stats.isDirectory()) {
      if (match & DIRECTORY) yield item.path;
      const children = readdirSync(item.path).map((name) => ({
        path: path.join(item.path, name),
        level: item.level + 1,
      }));
      stack.push(...children.reverse());
    } else if (match & FILE) {
      yield item.path;
    }
  }
}

const DIRECTORY = 1;
const FILE = 2;

/** Later patterns win: a match adds its kinds, an exclusion removes them (patternHelper.match). */
function matchKind(patterns: GlobPattern[], itemPath: string): number {
  let result = 0;
  for (const pattern of patterns) {
    if (!matchesPath(pattern, itemPath)) continue;
    const kind = pattern.directoryOnly ? DIRECTORY : DIRECTORY | FILE;
    result = pattern.negate ? result & ~kind : result | kind;
  }
  return result;
}

/**
 * The literal roots of the included patterns, without duplicates or paths below another one
 * (patternHelper.getSearchPaths). A root above the workspace is narrowed to the workspace:
 * nothing outside it is ever hashed, and the walk below it visits the same files in the same order.
 */
function searchPaths(patterns: GlobPattern[], root: string): string[] {
  const included = patterns.filter((p) => !p.negate).map((p) => p.searchPath);
  const candidates = new Set(included);
  const result: string[] = [];
  const hasAncestor = (p: string): boolean => {
    for (
      let dir = p, parent = path.dirname(p);
      parent !== dir;
      dir = parent, parent = path.dirname(dir)
    ) {
      if (candidates.has(parent)) return true;
    }
    return false;
  };
  for (const candidate of included) {
    if (hasAncestor(candidate)) continue;
    const within = candidate === root || candidate.startsWith(`${root}${path.sep}`);
    const above = root.startsWith(candidate === '/' ? '/' : `${candidate}${path.sep}`);
    const start = within ? candidate : above ? root : undefined;
    if (start !== undefined && !result.includes(start)) result.push(start);
  }
  return result;
}

/** lstat, or stat with cycle detection when following links; broken links are left out. */
function statItem(
  item: { path: string; level: number },
  follow: boolean,
  chain: string[],
): Stats | undefined {
  if (!follow) return lstatSync(item.path);
  const stats = statSync(item.path, { throwIfNoEntry: false });
  if (!stats) return undefined;
  if (stats.isDirectory()) {
    const real = realpathSync(item.path);
    while (chain.length >= item.level) chain.pop();
    if (chain.includes(real)) return undefined;
    chain.push(real);
  }
  return stats;
}

function exists(file: string): boolean {
  return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
}
