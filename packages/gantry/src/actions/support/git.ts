import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { capture } from './capture.js';

/** Runs git quietly and returns its stdout; a failure is a GANTRY_GIT_FAILED error. */
export async function git(
  cwd: string,
  args: readonly string[],
  signal?: AbortSignal,
): Promise<string> {
  const result = await capture('git', args, {
    cwd,
    ...(signal ? { signal } : {}),
    timeoutMs: 10 * 60_000,
  });
  if (!result.ok) {
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      `git ${args[0] ?? ''} failed in ${cwd}: ${result.stderr.trim() || result.stdout.trim()}`,
    );
  }
  return result.stdout;
}

/**
 * The commit a branch, tag or SHA names in the user's repository. A branch that exists only
 * as `origin/<name>` counts too, since actions/checkout fetches refs from the remote.
 */
export async function resolveCommit(
  repo: string,
  ref: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  const names = [ref, `refs/remotes/origin/${ref.replace(/^refs\/heads\//, '')}`];
  for (const name of names) {
    const result = await capture('git', ['rev-parse', '--verify', '--quiet', `${name}^{commit}`], {
      cwd: repo,
      ...(signal ? { signal } : {}),
    });
    if (result.ok && result.stdout.trim()) return result.stdout.trim();
  }
  return undefined;
}

/**
 * Makes `target` a clone of `repo` sharing its objects (milliseconds, own .git), then fills it
 * with either the commit's tree or, without a commit, the working tree as the user sees it:
 * tracked files with their changes plus untracked files that are not ignored.
 */
export async function cloneInto(
  repo: string,
  target: string,
  commit: string,
  tree: 'commit' | 'working-tree',
  signal?: AbortSignal,
): Promise<void> {
  await fs.rm(target, { recursive: true, force: true });
  await fs.mkdir(path.dirname(target), { recursive: true });
  await git(repo, ['clone', '--quiet', '--shared', '--no-checkout', repo, target], signal);
  if (tree === 'commit') {
    await git(target, ['checkout', '--quiet', '--force', '--detach', commit], signal);
    return;
  }
  await git(target, ['update-ref', '--no-deref', 'HEAD', commit], signal);
  await git(target, ['read-tree', commit], signal);
  const listing = await git(
    repo,
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    signal,
  );
  for (const file of new Set(listing.split('\0').filter(Boolean))) {
    const source = path.join(repo, file);
    const stats = await fs.lstat(source).catch(() => undefined);
    if (!stats) continue; // deleted in the working tree but still in the index
    const dest = path.join(target, file);
    await fs.mkdir(path.dirname(dest), { recursive: true });
    if (stats.isSymbolicLink()) await fs.symlink(await fs.readlink(source), dest);
    else if (stats.isFile()) await fs.copyFile(source, dest, constants.COPYFILE_FICLONE);
  }
}
