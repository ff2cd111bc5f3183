import { GantryError } from '../errors/index.js';
import {
  finalDeploymentStatuses,
  type DeploymentRecord,
  type DeployStore,
} from '../store/index.js';
import { mayApprove } from './controller/approvals.js';
import type { DeployConfig, Strategy } from './model.js';
import { deploymentSpec, resolveEnvironment, type DeploymentSpec } from './spec.js';

export interface DeploymentRequest {
  readonly environment: string;
  readonly release: { readonly name: string; readonly sha: string; readonly ref: string };
  readonly strategy?: Strategy;
  readonly requestedBy: string;
  /** `manual`, `push`, `tag`, `pull_request`, `rollback`. */
  readonly trigger: string;
  /** A rollback goes to a release the environment ran before: no new approval. */
  readonly skipApprovals?: boolean;
  readonly now?: number;
}

/**
 * Records a deployment for the agent to carry out: the environment (a pull request's is
 * created, or its expiry pushed back), the release, and the deployment with its frozen spec,
 * waiting for approvals when the environment requires them.
 */
export async function requestDeployment(
  store: DeployStore,
  config: DeployConfig,
  request: DeploymentRequest,
): Promise<DeploymentRecord> {
  const resolved = resolveEnvironment(config, request.environment);
  const now = request.now ?? Date.now();
  const existing = await store.environment(resolved.name);
  const ttl = resolved.config.ephemeral?.ttlMs;
  await store.saveEnvironment({
    name: resolved.name,
    kind: resolved.kind,
    host: resolved.host,
    prNumber: resolved.prNumber,
    expiresAt: ttl === undefined ? null : now + ttl,
  });
  const recorded = await store.release(request.release.name);
  if (recorded && recorded.sha !== request.release.sha)
    throw new GantryError(
      'GANTRY_DEPLOY_INVALID_STATE',
      `release ${request.release.name} is commit ${recorded.sha.slice(0, 12)}, but ${request.release.ref} now points at ${request.release.sha.slice(0, 12)}`,
      {
        hint: 'a release name is one commit for good (a moved tag would deploy different code under the same name); tag the new commit with a new version',
      },
    );
  await store.saveRelease(request.release);
  const spec = deploymentSpec(config, resolved, request.strategy);
  const required = request.skipApprovals ? 0 : spec.approvals.required;
  const deployment = await store.createDeployment({
    environment: resolved.name,
    release: request.release.name,
    previousRelease: existing?.status === 'active' ? existing.stableRelease : null,
    strategy: spec.strategy,
    spec,
    status: required > 0 ? 'pending-approval' : 'queued',
    requestedBy: request.requestedBy,
    trigger: request.trigger,
    approvalsRequired: required,
  });
  await store.addEvent(
    deployment.id,
    'Requested',
    `${request.release.name} (${request.release.sha.slice(0, 12)}) to ${resolved.name} by ${request.requestedBy} (${request.trigger}, ${spec.strategy.type})`,
  );
  if (required > 0) {
    const message = `waiting for ${required} approval${required === 1 ? '' : 's'}${spec.approvals.approvers.length > 0 ? ` from ${spec.approvals.approvers.join(', ')}` : ''}: gantry approve ${deployment.id}`;
    await store.updateDeployment(deployment.id, { message });
    await store.addEvent(deployment.id, 'WaitingForApproval', message);
  }
  return (await store.deployment(deployment.id))!;
}

export async function findDeployment(store: DeployStore, id: number): Promise<DeploymentRecord> {
  const deployment = Number.isInteger(id) ? await store.deployment(id) : undefined;
  if (!deployment)
    throw new GantryError('GANTRY_DEPLOY_NOT_FOUND', `there is no deployment ${id}`, {
      hint: 'gantry env status lists the deployments of each environment',
    });
  return deployment;
}

/** Records an approval or a rejection; the agent moves the deployment on. */
export async function decide(
  store: DeployStore,
  id: number,
  user: string,
  decision: 'approved' | 'rejected',
  comment?: string,
): Promise<DeploymentRecord> {
  const deployment = await findDeployment(store, id);
  if (deployment.status !== 'pending-approval')
    throw new GantryError(
      'GANTRY_DEPLOY_INVALID_STATE',
      `deployment ${id} is ${deployment.status}, not waiting for approval`,
    );
  const spec = deployment.spec as DeploymentSpec;
  if (!mayApprove(deployment, spec.approvals, user))
    throw new GantryError(
      'GANTRY_DEPLOY_NOT_ALLOWED',
      spec.approvals.approvers.length > 0
        ? `${user} may not approve deployments to ${deployment.environment}; approvers: ${spec.approvals.approvers.join(', ')}`
        : `${user} requested deployment ${id} and may not approve it too`,
      { hint: 'ask another person to approve (gantry approve --as NAME)' },
    );
  await store.addApproval(id, { user, decision, comment: comment ?? null });
  await store.addEvent(
    id,
    decision === 'approved' ? 'ApprovalGiven' : 'RejectionGiven',
    `${user}${comment ? `: ${comment}` : ''}`,
  );
  return deployment;
}

/** Leaves a command for the agent: `promote` (past a pause), `promote-full`, `abort`. */
export async function commandDeployment(
  store: DeployStore,
  id: number,
  command: 'promote' | 'promote-full' | 'abort',
  user: string,
): Promise<DeploymentRecord> {
  const deployment = await findDeployment(store, id);
  if (finalDeploymentStatuses.includes(deployment.status))
    throw new GantryError(
      'GANTRY_DEPLOY_INVALID_STATE',
      `deployment ${id} is ${deployment.status} already`,
      {
        hint:
          command === 'abort'
            ? `gantry rollback --env ${deployment.environment} goes back to an earlier release`
            : undefined,
      },
    );
  if (command === 'abort' && deployment.status === 'pending-approval') {
    await store.updateDeployment(id, {
      status: 'aborted',
      message: `aborted by ${user}`,
      finishedAt: Date.now(),
    });
    await store.addEvent(id, 'Aborted', `aborted by ${user} before it started`);
    return (await store.deployment(id))!;
  }
  await store.updateDeployment(id, { command });
  await store.addEvent(id, 'CommandGiven', `${command} by ${user}`);
  return (await store.deployment(id))!;
}

/** The newest deployment of an environment that is still in progress. */
export async function activeDeploymentOf(
  store: DeployStore,
  environment: string,
): Promise<DeploymentRecord> {
  const active = (await store.activeDeployments()).filter((d) => d.environment === environment);
  const latest = active.at(-1);
  if (!latest)
    throw new GantryError(
      'GANTRY_DEPLOY_INVALID_STATE',
      `no deployment of ${environment} is in progress`,
    );
  return latest;
}

/**
 * The release a rollback goes to: `to`, or the stable release before the current one
 * (the newest succeeded deployment of another release).
 */
export async function rollbackTarget(
  store: DeployStore,
  environment: string,
  to?: string,
): Promise<{ name: string; sha: string; ref: string }> {
  const env = await store.environment(environment);
  const history = await store.deployments({ environment, limit: 500 });
  if (to !== undefined) {
    const ran = history.some((d) => d.release === to && d.status === 'succeeded');
    const release = ran ? await store.release(to) : undefined;
    if (!release)
      throw new GantryError(
        'GANTRY_DEPLOY_NOT_FOUND',
        `release ${to} never ran in ${environment}, so there is nothing to roll back to`,
        { hint: `gantry releases --env ${environment} lists the releases it ran` },
      );
    return release;
  }
  const previous = history.find(
    (d) => d.status === 'succeeded' && d.release !== env?.stableRelease,
  );
  const release = previous && (await store.release(previous.release));
  if (!release)
    throw new GantryError(
      'GANTRY_DEPLOY_NOT_FOUND',
      `${environment} has no earlier release to roll back to`,
    );
  return release;
}
