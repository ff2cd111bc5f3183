import path from 'node:path';
import type { DeployProxy, Target } from '../proxy/index.js';
import { choosePort, releasePort } from '../services/ports.js';
import type { Instance, Supervisor } from '../supervisor/index.js';
import type { AppConfig } from './model.js';

/** The running instances of one app at one release in one environment. */
export interface ReleaseSet {
  readonly environment: string;
  readonly app: string;
  readonly release: string;
  readonly instances: readonly Instance[];
  readonly targets: readonly Target[];
}

/** A share of an environment's traffic: `weight` percent to `release`. */
export interface TrafficSplit {
  readonly release: string;
  readonly weight: number;
}

/**
 * The local provider: releases run as supervised processes on loopback ports, behind Gantry's
 * proxy, one host per environment. An instance is in the proxy's rotation exactly while the
 * supervisor says it is ready, so traffic never reaches an instance that is starting, failing
 * its liveness probe or stopping.
 */
export class LocalProvider {
  private readonly sets = new Map<string, ReleaseSet>();

  constructor(
    private readonly supervisor: Supervisor,
    private readonly proxy: DeployProxy,
    private readonly stateDir: string,
  ) {}

  private key(environment: string, app: string, release: string): string {
    return `${environment}/${app}/${release}`;
  }

  releaseSet(environment: string, app: string, release: string): ReleaseSet | undefined {
    return this.sets.get(this.key(environment, app, release));
  }

  /** Starts `count` instances of a prepared release (idempotent) and waits until all are ready. */
  async start(options: {
    readonly environment: string;
    readonly app: AppConfig;
    readonly release: string;
    readonly dir: string;
    readonly env: Readonly<Record<string, string>>;
    readonly signal?: AbortSignal;
  }): Promise<ReleaseSet> {
    const { environment, app, release } = options;
    const key = this.key(environment, app.name, release);
    let set = this.sets.get(key);
    if (!set) {
      const instances: Instance[] = [];
      const targets: Target[] = [];
      for (let i = 0; i < app.instances; i++) {
        const port = await choosePort(undefined);
        const id = `${key}/${i}`;
        const instance = this.supervisor.start({
          id,
          command: app.start,
          cwd: options.dir,
          env: {
            ...options.env,
            PORT: String(port),
            GANTRY_ENVIRONMENT: environment,
            GANTRY_RELEASE: release,
          },
          logFile: path.join(this.stateDir, 'logs', environment, app.name, release, `${i}.log`),
          readiness: {
            url: `http://127.0.0.1:${port}${app.readiness.path}`,
            intervalMs: app.readiness.intervalMs,
            timeoutMs: app.readiness.timeoutMs,
          },
          stopGraceMs: app.stopGraceMs,
        });
        instance.onState((state) => {
          this.proxy.setReady(id, state === 'ready');
          if (state === 'stopped' || state === 'failed') releasePort(port);
        });
        instances.push(instance);
        targets.push({ id, url: `http://127.0.0.1:${port}` });
      }
      set = { environment, app: app.name, release, instances, targets };
      this.sets.set(key, set);
    }
    await Promise.all(set.instances.map((i) => i.waitReady(app.startTimeoutMs, options.signal)));
    return set;
  }

  /** Replaces the environment's route atomically: new requests follow the split at once. */
  route(host: string, environment: string, app: string, split: readonly TrafficSplit[]): void {
    this.proxy.setRoute({
      host,
      backends: split.map(({ release, weight }) => ({
        release,
        weight,
        targets: this.releaseSet(environment, app, release)?.targets ?? [],
      })),
    });
  }

  unroute(host: string): void {
    this.proxy.removeRoute(host);
  }

  async stop(environment: string, app: string, release: string): Promise<void> {
    const key = this.key(environment, app, release);
    const set = this.sets.get(key);
    if (!set) return;
    this.sets.delete(key);
    await Promise.all(set.instances.map((i) => i.stop()));
  }

  /** Every release set of an environment (for `gantry env status` and teardown). */
  setsOf(environment: string): ReleaseSet[] {
    return [...this.sets.values()].filter((s) => s.environment === environment);
  }
}
