import path from 'node:path';
import { homeDir } from '../support/inputs.js';
import { globPaths } from '../support/glob-search.js';
import type { ActionContext } from '../types.js';

/**
 * Expands a cache's `path:` lines (globs, `!` exclusions, `~`) into what goes in the archive:
 * matching files and whole directories, workspace-relative when inside the workspace (they
 * come back into whichever workspace restores them) and absolute otherwise (~/.npm).
 */
export async function resolveCachePaths(
  ctx: ActionContext,
  lines: readonly string[],
): Promise<string[]> {
  const { matches } = await globPaths(lines, {
    cwd: ctx.workspace,
    home: homeDir(ctx),
    implicitDescendants: false,
    matchDirectories: true,
  });
  const entries = matches.map((match) => {
    const relative = path.relative(ctx.workspace, match);
    return relative.startsWith('..') || path.isAbsolute(relative) ? match : relative || '.';
  });
  // A directory in the archive brings its contents along; listing them again would add them twice.
  const listed = new Set(entries);
  return entries.filter((entry) => !ancestors(entry).some((dir) => listed.has(dir)));
}

function ancestors(entry: string): string[] {
  const result: string[] = [];
  if (entry === '.') return result;
  for (
    let dir = path.dirname(entry);
    dir !== path.dirname(dir) || dir === '.';
    dir = path.dirname(dir)
  ) {
    result.push(dir);
    if (dir === '.') break;
  }
  return result;
}
