import path from 'node:path';
import { definedEnv } from '../executor/process.js';
import { DeployProxy } from '../proxy/index.js';
import type { DeployStore } from '../store/index.js';
import { Supervisor } from '../supervisor/index.js';
import { DeployController } from './controller/controller.js';
import type { ControllerDeps } from './controller/context.js';
import { LocalProvider } from './local-provider.js';

export interface DeployRuntimeOptions {
  readonly repoRoot: string;
  /** Where releases, instance logs and pid files live (`.gantry/deploy`). */
  readonly stateDir: string;
  readonly store: DeployStore;
  /** 0 picks free ports (tests); gantry.yml's `deploy.proxy` otherwise. */
  readonly port: number;
  readonly metricsPort?: number;
  readonly log?: (line: string) => void;
  readonly baseEnv?: Readonly<Record<string, string>>;
}

/**
 * Everything the local provider needs running in one process: the proxy, the supervisor
 * (which first reaps instances a killed predecessor left behind), and the controller.
 */
export class DeployRuntime {
  private constructor(
    readonly proxy: DeployProxy,
    readonly supervisor: Supervisor,
    readonly provider: LocalProvider,
    readonly controller: DeployController,
    readonly reaped: readonly string[],
  ) {}

  static async start(options: DeployRuntimeOptions): Promise<DeployRuntime> {
    const supervisor = new Supervisor({ stateDir: path.join(options.stateDir, 'pids') });
    const reaped = await supervisor.reapOrphans();
    const proxy = await DeployProxy.start({
      port: options.port,
      ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    });
    const provider = new LocalProvider(supervisor, proxy, options.stateDir);
    const deps: ControllerDeps = {
      store: options.store,
      provider,
      proxy,
      proxyUrl: `http://127.0.0.1:${proxy.port}`,
      repoRoot: options.repoRoot,
      stateDir: options.stateDir,
      baseEnv: options.baseEnv ?? definedEnv(),
      log: options.log ?? (() => undefined),
      now: Date.now,
    };
    const controller = new DeployController(deps);
    controller.start();
    return new DeployRuntime(proxy, supervisor, provider, controller, reaped);
  }

  /** Stops the controller, every release process (gracefully) and the proxy. */
  async stop(): Promise<void> {
    await this.controller.stop();
    await this.supervisor.stopAll();
    await this.proxy.stop();
  }
}
