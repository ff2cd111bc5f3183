import { GantryError } from '../errors/index.js';
import { SupervisedInstance, type Instance } from './instance.js';
import { reapOrphans } from './orphan-reaper.js';
import { PidFiles } from './pid-file.js';
import type { InstanceSpec } from './spec.js';

export interface SupervisorOptions {
  /** Where pid files live: `<stateDir>/<sanitized id>-<hash>.json`. One Gantry per folder. */
  readonly stateDir: string;
}

/**
 * Runs the local deployment provider's instances as process groups and keeps them running
 * (see `Instance`). Meant to live as long as the `gantry agent` that owns it: its instances are
 * not killed when Gantry exits — `stop()`, `stopAll()` and, after a crash of Gantry itself, the
 * next supervisor's `reapOrphans()` are the ways they end.
 */
export class Supervisor {
  private readonly pidFiles: PidFiles;
  /** Instances that run or may run again; 'stopped' and 'failed' ones are dropped. */
  private readonly live = new Map<string, SupervisedInstance>();

  constructor(options: SupervisorOptions) {
    this.pidFiles = new PidFiles(options.stateDir);
  }

  /** Starts `spec` at once; the instance begins in 'starting'. */
  start(spec: InstanceSpec): Instance {
    if (this.live.has(spec.id)) {
      throw new GantryError('GANTRY_INTERNAL', `Instance ${spec.id} is already running.`, {
        hint: 'Stop it first, or give the new instance an id of its own.',
      });
    }
    const instance = new SupervisedInstance(spec, this.pidFiles);
    this.live.set(spec.id, instance);
    instance.onState((state) => {
      if ((state === 'stopped' || state === 'failed') && this.live.get(spec.id) === instance) {
        this.live.delete(spec.id);
      }
    });
    return instance;
  }

  /** The instances that are running, or restarting, in the order they were started. */
  instances(): readonly Instance[] {
    return [...this.live.values()];
  }

  /** Stops every instance in parallel (each one graceful, then forced). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.live.values()].map((instance) => instance.stop()));
  }

  /**
   * At startup: stops the process groups recorded in `stateDir` by an earlier Gantry that is
   * gone, after proving through /proc that each pid still belongs to its instance, so a reused
   * pid is never hit. Instances this supervisor started are left alone. Returns the ids reaped.
   * Call it before starting instances: a new instance with an orphan's id takes over its pid file.
   */
  async reapOrphans(): Promise<readonly string[]> {
    return reapOrphans(this.pidFiles, new Set(this.live.keys()));
  }
}
