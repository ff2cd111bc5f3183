import type { DeploymentRecord, EnvironmentRecord } from '../../store/index.js';
import { releaseAppDir } from '../release-workspace.js';
import { appHosts, instanceEnv, type DeploymentSpec } from '../spec.js';
import type { ControllerDeps } from './context.js';
import { planRollout, stableRunning } from './plan.js';
import { applyTraffic, previewHosts } from './traffic.js';

/** How long a stable release that will not start waits before the next try. */
const RETRY_MS = 10_000;

/**
 * Keeps environments as the store says between rollouts: the stable release running and
 * taking all traffic (after a restart, after an abort), old releases stopped once their
 * scale-down delay is over (kept until then for an instant rollback), expired pull-request
 * environments and destroyed ones torn down.
 */
export class EnvironmentKeeper {
  private readonly routed = new Map<string, string>();
  private readonly retireAt = new Map<string, number>();
  private readonly failedAt = new Map<string, number>();
  /** Each environment's stable release and its spec, read once between rollouts. */
  private readonly specs = new Map<string, { release: string; spec?: DeploymentSpec }>();

  constructor(private readonly deps: ControllerDeps) {}

  /** `busy`: each environment's rollout in progress; `only` narrows the pass to one. */
  async reconcile(busy: ReadonlyMap<string, DeploymentRecord>, only?: string): Promise<void> {
    const { store, now } = this.deps;
    for (const env of await store.environments({ includeDestroyed: true })) {
      if (only !== undefined && env.name !== only) continue;
      const rollout = busy.get(env.name);
      if (
        env.status === 'active' &&
        env.kind === 'ephemeral' &&
        env.expiresAt !== null &&
        env.expiresAt < now() &&
        !rollout
      ) {
        await store.destroyEnvironment(env.name);
        this.deps.log(`environment ${env.name}: expired, destroying`);
        env.status = 'destroyed';
      }
      if (env.status === 'destroyed') await this.teardown(env);
      else await this.keep(env, rollout);
    }
  }

  private async keep(env: EnvironmentRecord, rollout: DeploymentRecord | undefined): Promise<void> {
    const { deps } = this;
    if (rollout) {
      this.routed.delete(env.name);
      this.specs.delete(env.name);
    }
    const stable = env.stableRelease;
    const spec = stable ? await this.stableSpec(env.name, stable) : undefined;
    if (stable && spec) {
      const needed =
        !rollout ||
        stableRunning(planRollout((rollout.spec as DeploymentSpec).strategy, 1), rollout.step) ||
        rollout.finishedAt !== null;
      if (needed && (this.failedAt.get(env.name) ?? -Infinity) + RETRY_MS < deps.now()) {
        try {
          await this.startStable(env.name, stable, spec);
          this.failedAt.delete(env.name);
        } catch (error) {
          this.failedAt.set(env.name, deps.now());
          deps.log(
            `environment ${env.name}: stable release ${stable} does not start: ${(error as Error).message}`,
          );
          // An instance past its restart limit stays failed: the next try starts afresh.
          for (const app of spec.apps) await deps.provider.stop(env.name, app.name, stable);
        }
      }
      if (!rollout && this.routed.get(env.name) !== stable) {
        applyTraffic(deps.provider, spec, [{ release: stable, weight: 100 }]);
        this.routed.set(env.name, stable);
      }
    }
    if (rollout) return;
    // Releases other than the stable one: stopped after the strategy's scale-down delay.
    const delayMs =
      spec && 'scaleDownDelayMs' in spec.strategy ? spec.strategy.scaleDownDelayMs : 0;
    for (const set of deps.provider.setsOf(env.name)) {
      if (set.release === stable) continue;
      const key = `${env.name}/${set.app}/${set.release}`;
      const at = this.retireAt.get(key) ?? deps.now() + delayMs;
      this.retireAt.set(key, at);
      if (at > deps.now()) continue;
      this.retireAt.delete(key);
      await deps.provider.stop(env.name, set.app, set.release);
      deps.log(`environment ${env.name}: stopped ${set.app}@${set.release} (no longer stable)`);
    }
  }

  private async startStable(
    environment: string,
    release: string,
    spec: DeploymentSpec,
  ): Promise<void> {
    const { deps } = this;
    const sha = (await deps.store.release(release))?.sha ?? '';
    for (const app of spec.apps)
      await deps.provider.start({
        environment,
        app,
        release,
        dir: releaseAppDir(deps.stateDir, app, release),
        env: instanceEnv(deps.baseEnv, spec, app.name, { name: release, sha }),
      });
  }

  /**
   * What the stable release runs: the spec of the deployment that made it stable. Only a
   * rollout changes it, so it is read again after each one, not on every pass.
   */
  private async stableSpec(
    environment: string,
    release: string,
  ): Promise<DeploymentSpec | undefined> {
    const known = this.specs.get(environment);
    if (known?.release === release) return known.spec;
    const deployments = await this.deps.store.deployments({ environment, limit: 200 });
    const made = deployments.find((d) => d.release === release && d.status === 'succeeded');
    const spec = made?.spec as DeploymentSpec | undefined;
    this.specs.set(environment, { release, ...(spec ? { spec } : {}) });
    return spec;
  }

  private async teardown(env: EnvironmentRecord): Promise<void> {
    const { provider } = this.deps;
    const sets = provider.setsOf(env.name);
    if (sets.length === 0 && !this.routed.has(env.name)) return;
    const [latest] = await this.deps.store.deployments({ environment: env.name, limit: 1 });
    const spec = latest?.spec as DeploymentSpec | undefined;
    if (spec)
      for (const app of spec.apps)
        for (const host of [...appHosts(spec, app.name), ...previewHosts(spec, app.name)])
          provider.unroute(host);
    for (const set of sets) await provider.stop(env.name, set.app, set.release);
    this.routed.delete(env.name);
    this.deps.log(`environment ${env.name}: destroyed (${sets.length} release sets stopped)`);
  }
}
