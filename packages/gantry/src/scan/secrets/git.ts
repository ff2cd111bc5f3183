import { spawnSync } from 'node:child_process';
import { GantryError } from '../../errors/index.js';

/** Runs a short git command in `cwd`; `undefined` when it fails (not a repository, no git). */
export function gitOutput(cwd: string, args: readonly string[]): string | undefined {
  const result = spawnSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return result.status === 0 ? result.stdout : undefined;
}

export function isGitWorkTree(root: string): boolean {
  return gitOutput(root, ['rev-parse', '--is-inside-work-tree'])?.trim() === 'true';
}

/** The commit `ref` names, or GANTRY_USAGE naming the flag. */
export function resolveCommit(root: string, ref: string, flag: string): string {
  const sha = gitOutput(root, [
    'rev-parse',
    '--verify',
    '--quiet',
    '--end-of-options',
    `${ref}^{commit}`,
  ]);
  if (sha === undefined || sha.trim() === '')
    throw new GantryError('GANTRY_USAGE', `${flag} ${ref}: no such commit in ${root}`, {
      hint: 'give a branch, tag or commit of this repository',
    });
  return sha.trim();
}
