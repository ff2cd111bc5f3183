import { setTimeout as delay } from 'node:timers/promises';
import type { DeploymentRecord } from '../../store/index.js';
import type { DeploymentSpec } from '../spec.js';
import { approvalState } from './approvals.js';
import { RolloutContext, type ControllerDeps } from './context.js';
import { EnvironmentKeeper } from './environments.js';
import { planDeployment } from './plan.js';
import { POLL_MS, reconcile, type WorkerMemory } from './reconcile.js';

interface Worker {
  abort: AbortController;
  done?: Promise<void>;
}

/**
 * The deployment controller: a loop over the store (the CLI's only way to talk to it) that
 * decides approvals, orders deployments per environment (a newer one supersedes older ones,
 * Argo's "spec changed mid-rollout"), runs one worker per deployment, and keeps every
 * environment's stable release running and routed when no rollout is in progress.
 */
export class DeployController {
  private readonly workers = new Map<number, Worker>();
  private readonly environments: EnvironmentKeeper;
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.environments = new EnvironmentKeeper(deps);
  }

  /** Starts the loop; the first tick restores every environment's stable release. */
  start(): void {
    this.loop ??= this.run();
  }

  /** One pass: what `start()` repeats every POLL_MS; exposed for tests. */
  async tick(): Promise<void> {
    const active = await this.deps.store.activeDeployments();
    for (const d of active) if (d.status === 'pending-approval') await this.decideApproval(d);
    const current = await this.deps.store.activeDeployments();
    // Environments first: after a restart the stable releases run before rollouts resume.
    const busy = new Map(
      current.filter((d) => d.status !== 'pending-approval').map((d) => [d.environment, d]),
    );
    await this.environments.reconcile(busy);
    // In id order (the store's), grouped per environment; Map.groupBy needs Node 21.
    const byEnv = new Map<string, DeploymentRecord[]>();
    for (const d of current) byEnv.set(d.environment, [...(byEnv.get(d.environment) ?? []), d]);
    for (const deployments of byEnv.values()) await this.order(deployments);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const worker of this.workers.values()) worker.abort.abort();
    await this.loop;
    await Promise.all([...this.workers.values()].map((w) => w.done));
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.tick();
      } catch (error) {
        this.deps.log(`controller: ${(error as Error).message}`);
      }
      await delay(POLL_MS);
    }
  }

  private async decideApproval(d: DeploymentRecord): Promise<void> {
    const spec = d.spec as DeploymentSpec;
    const state = approvalState(d, spec.approvals, await this.deps.store.approvals(d.id));
    if (state.rejectedBy) {
      await this.deps.store.updateDeployment(d.id, {
        status: 'rejected',
        message: `rejected by ${state.rejectedBy}`,
        finishedAt: this.deps.now(),
      });
      await this.deps.store.addEvent(d.id, 'Rejected', `rejected by ${state.rejectedBy}`);
    } else if (state.approvedBy.length >= d.approvalsRequired) {
      await this.deps.store.updateDeployment(d.id, { status: 'queued', message: null });
      await this.deps.store.addEvent(
        d.id,
        'Approved',
        `approved by ${state.approvedBy.join(', ')}`,
      );
    }
  }

  /**
   * The newest deployment that is not waiting for approval leads its environment; older
   * ones are superseded (those never started at once, the others by their worker, which
   * puts traffic back on stable) and the leader starts only once they are done.
   */
  private async order(deployments: DeploymentRecord[]): Promise<void> {
    const leader = deployments.findLast((d) => d.status !== 'pending-approval');
    let olderRunning = false;
    for (const d of deployments) {
      if (leader && d.id < leader.id) {
        if (d.status === 'pending-approval') {
          await this.deps.store.updateDeployment(d.id, {
            status: 'superseded',
            message: `deployment ${leader.id} replaced it before it was approved`,
            finishedAt: this.deps.now(),
          });
          await this.deps.store.addEvent(d.id, 'Superseded', `deployment ${leader.id} replaced it`);
          continue;
        }
        olderRunning = true;
        if (d.command !== 'supersede' && d.command !== 'abort') {
          await this.deps.store.updateDeployment(d.id, { command: 'supersede' });
          this.workers.get(d.id)?.abort.abort();
        }
        this.ensureWorker(d.id);
      } else if (d === leader) {
        if (!olderRunning) this.ensureWorker(d.id);
      }
      if (d.command && this.workers.has(d.id)) this.workers.get(d.id)!.abort.abort();
    }
  }

  private ensureWorker(id: number): void {
    if (this.workers.has(id) || this.stopping) return;
    const worker: Worker = { abort: new AbortController() };
    this.workers.set(id, worker);
    worker.done = this.work(id, worker).finally(() => this.workers.delete(id));
  }

  /** Reconciles one deployment until it is final; a command interrupts a long step. */
  private async work(id: number, worker: Worker): Promise<void> {
    const memory: WorkerMemory = {};
    while (!this.stopping) {
      try {
        const deployment = await this.deps.store.deployment(id);
        if (!deployment) return;
        const { environment } = deployment;
        const stable = (await this.deps.store.environment(environment))?.stableRelease ?? null;
        const release = await this.deps.store.release(deployment.release);
        if (!release) throw new Error(`release ${deployment.release} is not recorded`);
        const spec = deployment.spec as DeploymentSpec;
        const steps = planDeployment(
          spec.strategy,
          Math.max(...spec.apps.map((a) => a.instances)),
          { first: stable === null, rollback: deployment.trigger === 'rollback' },
        );
        const context = new RolloutContext(
          this.deps,
          deployment,
          spec,
          steps,
          release,
          stable,
          worker.abort.signal,
        );
        const result = await reconcile(context, memory);
        if (result.done) {
          await this.environments.reconcile(new Map(), environment);
          return;
        }
        if (worker.abort.signal.aborted) worker.abort = new AbortController();
        else
          await delay(result.requeueMs, undefined, { signal: worker.abort.signal }).catch(
            () => undefined,
          );
        if (worker.abort.signal.aborted && !this.stopping) worker.abort = new AbortController();
      } catch (error) {
        this.deps.log(`deployment ${id}: ${(error as Error).message}`);
        await delay(1000);
      }
    }
    memory.background?.stop.abort();
  }
}
