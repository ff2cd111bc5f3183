import { git } from './git.js';

/** What changed, and which commits: the history queries behind push and pull_request events. */

/**
 * Paths changed between two commits, NUL-separated so unusual names come back verbatim.
 * Renames are listed as a deletion and an addition, so both paths can trigger a `paths:` filter.
 * `range` is `a..b` (two-dot, pushes) or `a...b` (from the merge base, pull requests).
 */
export async function changedPaths(repoRoot: string, range: string): Promise<string[]> {
  return splitNul(await git(repoRoot, ['diff', '--name-only', '--no-renames', '-z', range, '--']));
}

/** Every path the commit touches; for a root commit that is every file in it. */
export async function filesOfCommit(repoRoot: string, sha: string): Promise<string[]> {
  return splitNul(
    await git(repoRoot, [
      'diff-tree',
      '--root',
      '-r',
      '--name-only',
      '--no-renames',
      '--no-commit-id',
      '-z',
      sha,
    ]),
  );
}

export interface CommitInfo {
  id: string;
  treeId: string;
  message: string;
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
}

/** Commits reachable from `to` but not from `from` (all of them when `from` is undefined), oldest first. */
export async function commits(
  repoRoot: string,
  to: string,
  from?: string,
  limit = 20,
): Promise<CommitInfo[]> {
  const range = from ? [`${from}..${to}`] : [to];
  const format = ['%H', '%T', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x1f');
  const out = await git(repoRoot, [
    'log',
    '-z',
    `--max-count=${limit}`,
    `--format=${format}`,
    ...range,
    '--',
  ]);
  return splitNul(out)
    .map((record) => record.split('\x1f'))
    .map(
      ([
        id = '',
        treeId = '',
        an = '',
        ae = '',
        ad = '',
        cn = '',
        ce = '',
        cd = '',
        message = '',
      ]) => ({
        id,
        treeId,
        message: message.replace(/\n+$/, ''),
        author: { name: an, email: ae, date: ad },
        committer: { name: cn, email: ce, date: cd },
      }),
    )
    .reverse();
}

function splitNul(out: string): string[] {
  return out.split('\0').filter((entry) => entry !== '');
}
