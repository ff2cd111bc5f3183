import type { Kysely, Selectable } from 'kysely';
import type { DeploymentTable, EnvironmentTable, StoreDatabase } from './schema.js';
import {
  finalDeploymentStatuses,
  type ApprovalRecord,
  type DeploymentPatch,
  type DeploymentRecord,
  type DeployStore,
  type EnvironmentRecord,
} from './deploy-types.js';

type Guard = <T>(action: string, work: () => Promise<T>) => Promise<T>;

/** Environments, releases and deployments over any Kysely dialect (dialect-neutral queries). */
export class KyselyDeployStore implements DeployStore {
  constructor(
    private readonly db: Kysely<StoreDatabase>,
    private readonly guard: Guard,
  ) {}

  saveEnvironment(
    env: Pick<EnvironmentRecord, 'name' | 'kind' | 'host' | 'prNumber' | 'expiresAt'>,
  ): Promise<EnvironmentRecord> {
    return this.guard('record the environment', async () => {
      const now = Date.now();
      const values = {
        kind: env.kind,
        host: env.host,
        pr_number: env.prNumber,
        expires_at: env.expiresAt,
        status: 'active',
        updated_at: now,
        destroyed_at: null,
      };
      const existing = await this.#environmentRow(env.name);
      if (existing)
        await this.db
          .updateTable('environments')
          .set(values)
          .where('name', '=', env.name)
          .execute();
      else
        await this.db
          .insertInto('environments')
          .values({ ...values, name: env.name, stable_release: null, created_at: now })
          .execute();
      return environmentRecord((await this.#environmentRow(env.name))!);
    });
  }

  environment(name: string): Promise<EnvironmentRecord | undefined> {
    return this.guard('read the environment', async () => {
      const row = await this.#environmentRow(name);
      return row && environmentRecord(row);
    });
  }

  environments(options: { includeDestroyed?: boolean } = {}): Promise<EnvironmentRecord[]> {
    return this.guard('list the environments', async () => {
      let query = this.db.selectFrom('environments').selectAll().orderBy('name');
      if (!options.includeDestroyed) query = query.where('status', '=', 'active');
      return (await query.execute()).map(environmentRecord);
    });
  }

  setStableRelease(environment: string, release: string | null): Promise<void> {
    return this.guard('record the stable release', async () => {
      await this.db
        .updateTable('environments')
        .set({ stable_release: release, updated_at: Date.now() })
        .where('name', '=', environment)
        .execute();
    });
  }

  destroyEnvironment(name: string): Promise<void> {
    return this.guard('record the destroyed environment', async () => {
      const now = Date.now();
      await this.db
        .updateTable('environments')
        .set({ status: 'destroyed', stable_release: null, destroyed_at: now, updated_at: now })
        .where('name', '=', name)
        .execute();
    });
  }

  saveRelease(release: { name: string; sha: string; ref: string }) {
    return this.guard('record the release', async () => {
      const found = await this.release(release.name);
      if (found) return found;
      await this.db
        .insertInto('releases')
        .values({ ...release, created_at: Date.now() })
        .execute();
      return (await this.release(release.name))!;
    });
  }

  release(name: string) {
    return this.guard('read the release', async () => {
      const row = await this.db
        .selectFrom('releases')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return (
        row && { name: row.name, sha: row.sha, ref: row.ref, createdAt: Number(row.created_at) }
      );
    });
  }

  createDeployment(
    input: Parameters<DeployStore['createDeployment']>[0],
  ): Promise<DeploymentRecord> {
    return this.guard('record the deployment', async () => {
      const now = Date.now();
      const row = await this.db
        .insertInto('deployments')
        .values({
          environment: input.environment,
          release: input.release,
          previous_release: input.previousRelease,
          strategy: JSON.stringify(input.strategy),
          spec: JSON.stringify(input.spec),
          status: input.status,
          step: 0,
          weight: 0,
          message: null,
          checkpoint: '{}',
          command: null,
          requested_by: input.requestedBy,
          trigger: input.trigger,
          approvals_required: input.approvalsRequired,
          created_at: now,
          started_at: null,
          finished_at: null,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return (await this.deployment(Number(row.id)))!;
    });
  }

  deployment(id: number): Promise<DeploymentRecord | undefined> {
    return this.guard('read the deployment', async () => {
      const row = await this.db
        .selectFrom('deployments')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && deploymentRecord(row);
    });
  }

  deployments(options: { environment?: string; limit?: number } = {}) {
    return this.guard('list the deployments', async () => {
      let query = this.db
        .selectFrom('deployments')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(options.limit ?? 50);
      if (options.environment) query = query.where('environment', '=', options.environment);
      return (await query.execute()).map(deploymentRecord);
    });
  }

  activeDeployments() {
    return this.guard('list the active deployments', async () =>
      (
        await this.db
          .selectFrom('deployments')
          .selectAll()
          .where('status', 'not in', finalDeploymentStatuses)
          .orderBy('id')
          .execute()
      ).map(deploymentRecord),
    );
  }

  updateDeployment(id: number, patch: DeploymentPatch): Promise<DeploymentRecord> {
    return this.guard('update the deployment', async () => {
      const set: Record<string, unknown> = { updated_at: Date.now() };
      if (patch.status !== undefined) set['status'] = patch.status;
      if (patch.step !== undefined) set['step'] = patch.step;
      if (patch.weight !== undefined) set['weight'] = patch.weight;
      if (patch.message !== undefined) set['message'] = patch.message;
      if (patch.checkpoint !== undefined) set['checkpoint'] = JSON.stringify(patch.checkpoint);
      if (patch.command !== undefined) set['command'] = patch.command;
      if (patch.startedAt !== undefined) set['started_at'] = patch.startedAt;
      if (patch.finishedAt !== undefined) set['finished_at'] = patch.finishedAt;
      await this.db.updateTable('deployments').set(set).where('id', '=', id).execute();
      return (await this.deployment(id))!;
    });
  }

  addEvent(deploymentId: number, reason: string, message: string): Promise<void> {
    return this.guard('record the deployment event', async () => {
      await this.db
        .insertInto('deployment_events')
        .values({ deployment_id: deploymentId, at: Date.now(), reason, message })
        .execute();
    });
  }

  events(deploymentId: number) {
    return this.guard('read the deployment events', async () =>
      (
        await this.db
          .selectFrom('deployment_events')
          .select(['at', 'reason', 'message'])
          .where('deployment_id', '=', deploymentId)
          .orderBy('id')
          .execute()
      ).map((row) => ({ ...row, at: Number(row.at) })),
    );
  }

  addApproval(
    deploymentId: number,
    approval: Pick<ApprovalRecord, 'user' | 'decision' | 'comment'>,
  ): Promise<void> {
    return this.guard('record the approval', async () => {
      await this.db
        .insertInto('approvals')
        .values({ deployment_id: deploymentId, ...approval, at: Date.now() })
        .execute();
    });
  }

  approvals(deploymentId: number): Promise<ApprovalRecord[]> {
    return this.guard('read the approvals', async () =>
      (
        await this.db
          .selectFrom('approvals')
          .select(['user', 'decision', 'comment', 'at'])
          .where('deployment_id', '=', deploymentId)
          .orderBy('id')
          .execute()
      ).map((row) => ({
        ...row,
        decision: row.decision === 'rejected' ? 'rejected' : 'approved',
        at: Number(row.at),
      })),
    );
  }

  addMeasurement(
    deploymentId: number,
    m: Parameters<DeployStore['addMeasurement']>[1],
  ): Promise<void> {
    return this.guard('record the measurement', async () => {
      await this.db
        .insertInto('measurements')
        .values({
          deployment_id: deploymentId,
          analysis: m.analysis,
          metric: m.metric,
          phase: m.phase,
          value: m.value === null ? null : JSON.stringify(m.value),
          message: m.message,
          at: m.at ?? Date.now(),
        })
        .execute();
    });
  }

  measurements(deploymentId: number) {
    return this.guard('read the measurements', async () =>
      (
        await this.db
          .selectFrom('measurements')
          .select(['analysis', 'metric', 'phase', 'value', 'message', 'at'])
          .where('deployment_id', '=', deploymentId)
          .orderBy('id')
          .execute()
      ).map((row) => ({
        ...row,
        value: row.value === null ? null : (JSON.parse(row.value) as number | number[]),
        at: Number(row.at),
      })),
    );
  }

  addPendingContract(contract: Parameters<DeployStore['addPendingContract']>[0]): Promise<void> {
    return this.guard('record the pending contract', async () => {
      await this.db
        .insertInto('contracts')
        .values({
          environment: contract.environment,
          app: contract.app,
          release: contract.release,
          deployment_id: contract.deploymentId,
          created_at: Date.now(),
          applied_at: null,
          applied_by: null,
        })
        .execute();
    });
  }

  contracts(environment: string, options: { includeApplied?: boolean } = {}) {
    return this.guard('read the contracts', async () => {
      let query = this.db
        .selectFrom('contracts')
        .selectAll()
        .where('environment', '=', environment)
        .orderBy('id');
      if (!options.includeApplied) query = query.where('applied_at', 'is', null);
      return (await query.execute()).map((row) => ({
        environment: row.environment,
        app: row.app,
        release: row.release,
        deploymentId: Number(row.deployment_id),
        createdAt: Number(row.created_at),
        appliedAt: row.applied_at === null ? null : Number(row.applied_at),
        appliedBy: row.applied_by,
      }));
    });
  }

  applyContracts(environment: string, app: string, by: string): Promise<number> {
    return this.guard('record the applied contracts', async () => {
      const result = await this.db
        .updateTable('contracts')
        .set({ applied_at: Date.now(), applied_by: by })
        .where('environment', '=', environment)
        .where('app', '=', app)
        .where('applied_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  #environmentRow(name: string) {
    return this.db
      .selectFrom('environments')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
  }
}

function environmentRecord(row: Selectable<EnvironmentTable>): EnvironmentRecord {
  return {
    name: row.name,
    kind: row.kind === 'ephemeral' ? 'ephemeral' : 'static',
    host: row.host,
    prNumber: row.pr_number === null ? null : Number(row.pr_number),
    status: row.status === 'destroyed' ? 'destroyed' : 'active',
    stableRelease: row.stable_release,
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    destroyedAt: row.destroyed_at === null ? null : Number(row.destroyed_at),
  };
}

function deploymentRecord(row: Selectable<DeploymentTable>): DeploymentRecord {
  return {
    id: Number(row.id),
    environment: row.environment,
    release: row.release,
    previousRelease: row.previous_release,
    strategy: JSON.parse(row.strategy) as unknown,
    spec: JSON.parse(row.spec) as unknown,
    status: row.status,
    step: Number(row.step),
    weight: Number(row.weight),
    message: row.message,
    checkpoint: JSON.parse(row.checkpoint) as Record<string, unknown>,
    command: row.command,
    requestedBy: row.requested_by,
    trigger: row.trigger,
    approvalsRequired: Number(row.approvals_required),
    createdAt: Number(row.created_at),
    startedAt: row.started_at === null ? null : Number(row.started_at),
    finishedAt: row.finished_at === null ? null : Number(row.finished_at),
    updatedAt: Number(row.updated_at),
  };
}
