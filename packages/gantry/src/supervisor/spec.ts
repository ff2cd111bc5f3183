/**
 * What the controller asks the supervisor to run: one instance of one release of an app, as a
 * local process group behind Gantry's proxy. Defaults live here so every part of the supervisor
 * reads the same numbers.
 */

/** How the supervisor tells that an instance serves traffic, and keeps checking once it does. */
export interface Readiness {
  /** HTTP(S) GET; a 2xx or 3xx status means ready. Redirects are not followed. */
  readonly url: string;
  /** Between probes: default 200 ms until ready (and while unready), 2000 ms once ready. */
  readonly intervalMs?: number;
  /** Per probe; default 1000 ms. */
  readonly timeoutMs?: number;
  /** Consecutive failed probes, once ready, before the instance is 'unready'; default 3. */
  readonly failureThreshold?: number;
}

export interface RestartPolicy {
  /** Crashes tolerated within a 60 s window; one more and the instance is 'failed'. */
  readonly maxRestarts: number;
  /** Delay before the first restart; doubles with every crash in the window, capped at 10 s. */
  readonly backoffMs: number;
}

export interface InstanceSpec {
  /** Unique, e.g. `staging/web/r7/0`; sanitized into pid file names. */
  readonly id: string;
  /** Run with `bash -c` as the leader of its own process group. */
  readonly command: string;
  readonly cwd: string;
  /** The full environment (the caller sets PORT etc.); `GANTRY_INSTANCE_ID` is added. */
  readonly env: Readonly<Record<string, string>>;
  /**
   * stdout and stderr are appended here, with `[gantry] started pid N` and
   * `[gantry] exited code N signal S` lines between runs. Parent folders are created.
   */
  readonly logFile: string;
  /** None: ready once the process has been up for 500 ms. */
  readonly readiness?: Readiness;
  /** Sent to the whole process group on stop; default SIGTERM. */
  readonly stopSignal?: NodeJS.Signals;
  /** How long the group gets after `stopSignal` before SIGKILL; default 10000 ms. */
  readonly stopGraceMs?: number;
  /** Default `{ maxRestarts: 3, backoffMs: 500 }`. */
  readonly restart?: RestartPolicy;
}

/** The environment variable that marks every process of an instance (see `reapOrphans`). */
export const INSTANCE_ID_ENV = 'GANTRY_INSTANCE_ID';

/** Without a readiness check, this much uptime counts as ready. */
export const UPTIME_READY_MS = 500;

export const readinessDefaults = Object.freeze({
  startingIntervalMs: 200,
  liveIntervalMs: 2000,
  timeoutMs: 1000,
  failureThreshold: 3,
});

export const defaultRestartPolicy: Readonly<RestartPolicy> = Object.freeze({
  maxRestarts: 3,
  backoffMs: 500,
});

export const DEFAULT_STOP_SIGNAL: NodeJS.Signals = 'SIGTERM';
export const DEFAULT_STOP_GRACE_MS = 10_000;
