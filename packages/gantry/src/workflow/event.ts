import { GantryError } from '../errors/index.js';
import { repositoryPayload, senderPayload, type PayloadBasics } from './event-payload.js';
import { pullRequestEvent } from './event-pull-request.js';
import { pushEvent } from './event-push.js';
import { resolveRef } from './event-ref.js';
import { actorName, commitOf, defaultBranch, repositorySlug } from './git.js';

import type { EventContext, EventRequest } from './event-types.js';
export type { EventContext, EventRequest } from './event-types.js';
export { coerceDispatchInputs, type DispatchInputDefinition } from './dispatch-inputs.js';

export async function buildEvent(repoRoot: string, request: EventRequest): Promise<EventContext> {
  // Independent git reads run at once: each is a process start, and start-up time matters.
  const [head, repository, actor, mainBranch, resolved] = await Promise.all([
    commitOf(repoRoot, 'HEAD'),
    repositorySlug(repoRoot),
    actorName(repoRoot),
    defaultBranch(repoRoot),
    request.eventName === 'pull_request'
      ? undefined
      : resolveRef(repoRoot, request.ref).catch((error: unknown) => error as Error),
  ]);
  if (!head) {
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      `The repository at ${repoRoot} has no commit at HEAD`,
      {
        hint: 'Events describe commits; commit your changes first.',
      },
    );
  }
  const basics: PayloadBasics = { repository, actor, defaultBranch: mainBranch };
  if (request.eventName === 'pull_request') return pullRequestEvent(repoRoot, request, basics);
  if (resolved instanceof Error || resolved === undefined) throw resolved;
  const target = resolved;
  const common = { eventName: request.eventName, ...target, repository, actor };
  const action = request.action ? { action: request.action } : {};
  switch (request.eventName) {
    case 'push':
      return pushEvent(repoRoot, request, basics, target);
    case 'workflow_dispatch': {
      const payload = {
        inputs: { ...request.inputs },
        ref: target.ref,
        repository: repositoryPayload(basics),
        sender: senderPayload(basics),
        workflow: '',
      };
      return { ...common, changedFiles: undefined, payload };
    }
    case 'schedule':
      return {
        ...common,
        changedFiles: undefined,
        payload: { schedule: request.schedule ?? '', repository: repositoryPayload(basics) },
      };
    default:
      return {
        ...common,
        ...action,
        changedFiles: undefined,
        payload: {
          ...action,
          repository: repositoryPayload(basics),
          sender: senderPayload(basics),
        },
      };
  }
}
