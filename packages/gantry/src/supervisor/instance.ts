import { waitForGroupExit } from '../executor/kill-sequence.js';
import { killProcessGroup } from '../executor/process-group.js';
import { CrashHistory } from './crash-history.js';
import { stopGroup } from './group-stop.js';
import { HealthMonitor } from './health-monitor.js';
import { describeExit, launchRun } from './launch.js';
import type { PidFiles } from './pid-file.js';
import { readProcessStartTime } from './process-identity.js';
import { crashedError, crashSummary, notReadyError, type NotReadyFacts } from './release-errors.js';
import {
  DEFAULT_STOP_GRACE_MS,
  DEFAULT_STOP_SIGNAL,
  defaultRestartPolicy,
  type InstanceSpec,
} from './spec.js';
import { StateNotifier, type InstanceState, type StateListener } from './state-notifier.js';
import { waitForReady } from './wait-ready.js';

/** One supervised instance, as the controller sees it. */
export interface Instance {
  readonly spec: InstanceSpec;
  readonly state: InstanceState;
  /** The running group leader; undefined between runs and after the end. */
  readonly pid: number | undefined;
  /** How many times it was started again after a crash. */
  readonly restarts: number;
  /** Every transition, in order, with a human-readable reason. Returns the unsubscribe. */
  onState(listener: StateListener): () => void;
  /**
   * Resolves once 'ready'. Rejects with GANTRY_RELEASE_UNHEALTHY (with the log's last lines) when
   * not ready within `timeoutMs` or stopped first, GANTRY_RELEASE_CRASHED once 'failed'.
   */
  waitReady(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Stop signal, grace, then SIGKILL to the whole group; resolves once the group is gone.
   * Idempotent; nothing restarts afterwards. A 'failed' instance stays 'failed'.
   */
  stop(): Promise<void>;
}

/** How many exits the crash message names. */
const EXITS_KEPT = 5;

/**
 * The lifecycle of one instance: runs of its process (see `launchRun`), a health monitor per run,
 * restarts after crashes, and the stop. Every run's group is recorded in a pid file for as
 * long as it may have members.
 */
export class SupervisedInstance implements Instance {
  private readonly status = new StateNotifier('starting', 'started');
  private readonly crashes: CrashHistory;
  private readonly exits: string[] = [];
  private leader: number | undefined;
  /** The current run's group, until no member of it is left. */
  private group: number | undefined;
  private restartCount = 0;
  private health: HealthMonitor | undefined;
  /** Settles once the current run's exit has been handled. */
  private exited: Promise<void> = Promise.resolve();
  /** Settles once what a crashed run left in its group is gone. */
  private cleanup: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  /** Why the current run is being killed by the supervisor itself, if it is. */
  private runProblem: string | undefined;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly spec: InstanceSpec,
    private readonly pidFiles: PidFiles,
  ) {
    this.crashes = new CrashHistory(spec.restart ?? defaultRestartPolicy);
    this.launch();
  }

  get state(): InstanceState {
    return this.status.state;
  }

  get pid(): number | undefined {
    return this.leader;
  }

  get restarts(): number {
    return this.restartCount;
  }

  onState(listener: StateListener): () => void {
    return this.status.subscribe(listener);
  }

  waitReady(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return waitForReady(this, timeoutMs, signal, {
      notReady: (ms) => notReadyError(this.spec, `was not ready within ${ms} ms`, this.facts()),
      stopped: () => notReadyError(this.spec, 'was stopped before it became ready', this.facts()),
      crashed: () => crashedError(this.spec, this.crashSummary()),
    });
  }

  private facts(): NotReadyFacts {
    return {
      state: this.status.state,
      restarts: this.restartCount,
      lastProbe: this.health?.lastProbe,
    };
  }

  stop(): Promise<void> {
    if (this.stopping !== undefined) return this.stopping;
    clearTimeout(this.restartTimer);
    this.health?.stop();
    if (this.status.state === 'failed') {
      // Nothing runs any more; only what the last run left in its group may still be dying.
      this.stopping = this.cleanup;
      return this.stopping;
    }
    // Assigned before 'stopping' is announced, so a listener that calls stop() gets this promise.
    this.stopping = this.cleanup.then(() => this.terminate());
    this.status.set('stopping', 'stop requested');
    return this.stopping;
  }

  private launch(): void {
    const run = launchRun(this.spec);
    this.leader = run.pid;
    this.group = run.pid;
    if (run.pid !== undefined && this.record(run.pid)) {
      this.health = new HealthMonitor(this.spec.readiness, {
        ready: (reason) => this.onHealth('ready', reason),
        unready: (reason) => this.onHealth('unready', reason),
      });
    }
    this.exited = run.exited.then((exit) => this.onExit(this.runProblem ?? describeExit(exit)));
  }

  /** Writes the run's pid file; a run that could not be recorded is killed at once. */
  private record(pid: number): boolean {
    try {
      this.pidFiles.write({
        id: this.spec.id,
        pid,
        pgid: pid,
        startedAt: new Date().toISOString(),
        command: this.spec.command,
        startTime: readProcessStartTime(pid),
        stopSignal: this.spec.stopSignal ?? DEFAULT_STOP_SIGNAL,
        stopGraceMs: this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS,
      });
      return true;
    } catch (error) {
      // Untracked, the group would survive a Gantry restart unnoticed, holding its port.
      const message = error instanceof Error ? error.message : String(error);
      this.runProblem = `not run: cannot write its pid file (${message})`;
      killProcessGroup(pid, 'SIGKILL');
      return false;
    }
  }

  private onHealth(next: 'ready' | 'unready', reason: string): void {
    const state = this.status.state;
    if (state === 'starting' || state === 'ready' || state === 'unready') {
      this.status.set(next, reason);
    }
  }

  private async onExit(description: string): Promise<void> {
    this.health?.stop();
    this.leader = undefined;
    this.runProblem = undefined;
    this.exits.push(description);
    if (this.exits.length > EXITS_KEPT) this.exits.shift();
    if (this.stopping !== undefined) return; // terminate() takes it from here
    // Killed before the state changes, so no member of a failed instance outlives 'failed'.
    const pgid = this.group;
    if (pgid !== undefined) killProcessGroup(pgid, 'SIGKILL');
    const backoffMs = this.crashes.record(Date.now());
    if (backoffMs === undefined) {
      this.status.set('failed', `${description}; ${this.crashSummary()}`);
    } else {
      this.status.set('restarting', `${description}; restarting in ${backoffMs} ms`);
    }
    // Members the leader left behind (a worker, a child started with `&`) would keep the port.
    this.cleanup = this.forgetGroup(pgid);
    await this.cleanup;
    if (backoffMs === undefined || this.stopping !== undefined) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      this.restartCount += 1;
      this.status.set('starting', `restart ${this.restartCount} after ${description}`);
      this.launch();
    }, backoffMs);
  }

  /**
   * Waits for the crashed run's group to empty, then drops its pid file. A member that outlives
   * SIGKILL for seconds (stuck in the kernel) keeps the file, so a later reapOrphans retries.
   */
  private async forgetGroup(pgid: number | undefined): Promise<void> {
    if (pgid !== undefined && !(await waitForGroupExit(pgid, 2000))) return;
    this.group = undefined;
    this.pidFiles.remove(this.spec.id);
  }

  private async terminate(): Promise<void> {
    const pgid = this.group;
    let how = 'was not running';
    if (pgid !== undefined) {
      const signal = this.spec.stopSignal ?? DEFAULT_STOP_SIGNAL;
      const graceMs = this.spec.stopGraceMs ?? DEFAULT_STOP_GRACE_MS;
      const { sent, gone } = await stopGroup(pgid, signal, graceMs);
      how = sent.length === 0 ? 'had already exited' : `stopped with ${sent.join(', then ')}`;
      if (gone) {
        await this.exited; // the exit line is in the log before 'stopped'
        this.group = undefined;
      }
    }
    // A member that survived SIGKILL (stuck in the kernel) stays on record for reapOrphans.
    if (this.group === undefined) this.pidFiles.remove(this.spec.id);
    this.status.set('stopped', how);
  }

  private crashSummary(): string {
    const { maxRestarts } = this.spec.restart ?? defaultRestartPolicy;
    return crashSummary(this.crashes.recent, maxRestarts, this.exits);
  }
}
