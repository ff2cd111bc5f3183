import { GantryError } from '../errors/index.js';
import type { EventContext, EventRequest } from './event-types.js';
import { pullRequestPayload, type PayloadBasics } from './event-payload.js';
import { resolveRef } from './event-ref.js';
import { commitOf } from './git.js';
import { changedPaths, commits } from './git-history.js';

/**
 * A pull request from the checked-out branch (or `--ref`) into `--base` or the default branch.
 * Changed files are the three-dot diff from the merge base, as GitHub's path filters use.
 */
export async function pullRequestEvent(
  repoRoot: string,
  request: EventRequest,
  basics: PayloadBasics,
): Promise<EventContext> {
  const head = await resolveRef(repoRoot, request.ref);
  if (head.refType !== 'branch') {
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      `A pull request's head must be a branch, not ${head.ref}`,
    );
  }
  const baseName = request.base ?? basics.defaultBranch;
  if (!baseName) {
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      'Cannot tell the pull request base: no origin/HEAD, main or master branch',
      {
        hint: 'Pass --base <branch>.',
      },
    );
  }
  // GitHub diffs against the base branch on the server, so a remote-tracking branch wins over a local one.
  const baseSha =
    (await commitOf(repoRoot, `refs/remotes/origin/${baseName}`)) ??
    (await commitOf(repoRoot, `refs/heads/${baseName}`)) ??
    (await commitOf(repoRoot, baseName));
  if (!baseSha) {
    throw new GantryError('GANTRY_GIT_FAILED', `The base branch '${baseName}' does not exist`, {
      hint: 'Pass --base <branch>.',
    });
  }
  const number = request.pr ?? 1;
  const action = request.action ?? 'opened';
  const changedFiles = await changedPaths(repoRoot, `${baseSha}...${head.sha}`);
  const before =
    action === 'synchronize'
      ? (request.before ?? (await commitOf(repoRoot, `${head.sha}^1`)))
      : undefined;
  const title =
    (await commits(repoRoot, head.sha, undefined, 1))[0]?.message.split('\n')[0] ?? head.refName;
  const payload = pullRequestPayload(basics, {
    action,
    number,
    title,
    before,
    changedFiles: changedFiles.length,
    head: { ref: head.refName, sha: head.sha },
    base: { ref: baseName, sha: baseSha },
  });
  return {
    eventName: 'pull_request',
    ref: `refs/pull/${number}/merge`,
    refName: `${number}/merge`,
    refType: 'branch',
    // GitHub's GITHUB_SHA is the merge commit it prepares; locally the head commit stands in for it.
    sha: head.sha,
    ...(before ? { before } : {}),
    baseRef: baseName,
    headRef: head.refName,
    action,
    changedFiles,
    payload,
    repository: basics.repository,
    actor: basics.actor,
  };
}
