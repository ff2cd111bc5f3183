import type { EventContext, EventRequest } from './event-types.js';
import { pushPayload, type PayloadBasics } from './event-payload.js';
import { verifyBefore, type EventTarget } from './event-ref.js';
import { commitOf, ZERO_SHA } from './git.js';
import { changedPaths, commits, filesOfCommit, type CommitInfo } from './git-history.js';

/**
 * A push of the ref: before is the commit the ref moved from (the first parent by default, 40
 * zeros for a root commit or a new tag), and the changed files are the two-dot diff before..sha,
 * or every path of the commit when the ref is new.
 */
export async function pushEvent(
  repoRoot: string,
  request: EventRequest,
  basics: PayloadBasics,
  target: EventTarget,
): Promise<EventContext> {
  // A pushed tag is new (before = zeros) unless told otherwise; a branch moved from its first parent.
  const parent = target.refType === 'tag' ? undefined : await commitOf(repoRoot, `${target.sha}^1`);
  const before = request.before
    ? await verifyBefore(repoRoot, request.before)
    : (parent ?? ZERO_SHA);
  const created = before === ZERO_SHA;
  // The diff and the commit listings are independent git reads: run them at once.
  const [changedFiles, headCommits, listed] = await Promise.all([
    created
      ? filesOfCommit(repoRoot, target.sha)
      : changedPaths(repoRoot, `${before}..${target.sha}`),
    commits(repoRoot, target.sha, undefined, 1),
    target.refType === 'branch' && !created ? commits(repoRoot, target.sha, before) : undefined,
  ]);
  const head = headCommits[0];
  // The payload lists no commits for a tag, the head for a new branch, else those after before.
  let pushed: CommitInfo[] = [];
  if (target.refType === 'branch') pushed = listed ?? (head ? [head] : []);
  const payload = pushPayload(basics, {
    ref: target.ref,
    before,
    sha: target.sha,
    commits: pushed,
    head,
  });
  return {
    eventName: 'push',
    ...target,
    before,
    changedFiles,
    payload,
    repository: basics.repository,
    actor: basics.actor,
  };
}
