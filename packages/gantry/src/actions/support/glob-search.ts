import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';
import {
  MatchKind,
  matchPatterns,
  parseGlobPatterns,
  partialMatchPatterns,
  type GlobPattern,
} from './glob-pattern.js';

export interface GlobOptions {
  /** Relative patterns are rooted here (the workspace). */
  cwd: string;
  /** What a leading `~` expands to. */
  home: string;
  /** A matching directory brings all its descendants (upload-artifact: yes, cache: no). */
  implicitDescendants: boolean;
  /** Yield matching directories themselves (cache archives them whole). */
  matchDirectories: boolean;
  /** Skip files and directories whose name starts with `.` (upload-artifact v4.4+). */
  excludeHiddenFiles?: boolean;
}

export interface GlobResult {
  /** Absolute paths, in walk order, without duplicates. */
  matches: string[];
  /** Where the searches started, ancestors only (upload-artifact derives the artifact root from them). */
  searchPaths: string[];
}

/** Expands the lines of a `path:` input into existing paths, as `@actions/glob` does. */
export async function globPaths(
  lines: readonly string[],
  options: GlobOptions,
): Promise<GlobResult> {
  const patterns = parseGlobPatterns(lines, options.cwd, options.home, options.implicitDescendants);
  const searchPaths = searchPathsOf(patterns);
  const matches: string[] = [];
  const seen = new Set<string>();
  for (const searchPath of searchPaths) {
    const stack = [searchPath];
    while (stack.length > 0) {
      const item = stack.pop() as string;
      const match = matchPatterns(patterns, item);
      const partial = match !== MatchKind.None || partialMatchPatterns(patterns, item);
      if (!partial) continue;
      // Symbolic links are followed (the real default); broken ones are left out.
      const stats: Stats | undefined = await fs.stat(item).catch(() => undefined);
      if (!stats) continue;
      if (options.excludeHiddenFiles && path.basename(item).startsWith('.')) continue;
      if (stats.isDirectory()) {
        if (match & MatchKind.Directory && options.matchDirectories) add(item);
        if (await isCycle(item)) continue;
        const children = (await fs.readdir(item)).sort();
        for (const child of children.reverse()) stack.push(path.join(item, child));
      } else if (match & MatchKind.File) {
        add(item);
      }
    }
  }
  return { matches, searchPaths };

  function add(item: string): void {
    if (seen.has(item)) return;
    seen.add(item);
    matches.push(item);
  }
}

/** A directory whose real path is its own real ancestor was reached through a symlink loop. */
async function isCycle(dir: string): Promise<boolean> {
  if (path.dirname(dir) === dir) return false;
  const [real, parent] = await Promise.all([fs.realpath(dir), fs.realpath(path.dirname(dir))]);
  return parent === real || parent.startsWith(real.endsWith(path.sep) ? real : real + path.sep);
}

/** Search roots of the including patterns, leaving out any that lie beneath another. */
function searchPathsOf(patterns: readonly GlobPattern[]): string[] {
  const candidates = new Set(patterns.filter((p) => !p.negate).map((p) => p.searchPath));
  const result: string[] = [];
  for (const candidate of candidates) {
    let parent = path.dirname(candidate);
    let child = candidate;
    let covered = false;
    while (parent !== child) {
      if (candidates.has(parent)) covered = true;
      child = parent;
      parent = path.dirname(child);
    }
    if (!covered && !result.includes(candidate)) result.push(candidate);
  }
  return result;
}
