import { statSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';

/**
 * The top of the git repository containing `dir`: the nearest directory with a `.git` entry
 * (a directory, or a file for worktrees and submodules). Found without starting git, which
 * matters for start-up time.
 */
export async function repositoryRoot(dir: string): Promise<string> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      statSync(path.join(current, '.git'));
      return current;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) break;
      current = parent;
    }
  }
  throw new GantryError('GANTRY_GIT_FAILED', `${dir} is not inside a git repository`, {
    hint: 'run gantry from your repository, or pass --dir; `git init` and a first commit make any folder one',
  });
}
