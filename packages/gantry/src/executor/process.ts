import type * as ChildProcesses from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { trackRunningGroup } from './exit-cleanup.js';
import { defaultKillSequence, stopProcessGroup, type KillSequence } from './kill-sequence.js';

export { isProcessGroupAlive, killProcessGroup, listProcessGroup } from './process-group.js';
export {
  defaultKillSequence,
  stopProcessGroup,
  waitForGroupExit,
  type KillSequence,
} from './kill-sequence.js';

/** Gantry's own environment with its unset entries dropped: the base of a complete `env`. */
export function definedEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  return out;
}

export interface ProcessOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  /** The complete environment; nothing from Gantry's own `process.env` is added. */
  env: Record<string, string>;
  /** Stop the whole process group (via the kill sequence) after this long → `timedOut: true`. */
  timeoutMs?: number;
  /** Aborting stops the whole process group (via the kill sequence) → `canceled: true`. */
  signal?: AbortSignal;
  /** Raw output as it arrives; chunks are not split on lines. */
  onOutput?: (chunk: Buffer, stream: 'stdout' | 'stderr') => void;
  /** Defaults to GitHub's: SIGINT, wait 7500 ms, SIGTERM, wait 2500 ms, SIGKILL. */
  killSequence?: KillSequence;
  /**
   * Give the program Gantry's own terminal (stdin, stdout, stderr) and keep it in the
   * foreground process group, so it can read input (a prompt, an editor, a REPL). Its
   * output is not seen by `onOutput`; stopping it signals the process, not a group.
   */
  interactive?: boolean;
}

/** One shape for every outcome: success, failure, timeout, cancellation, failure to start. */
export interface ProcessResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  canceled: boolean;
  durationMs: number;
  pid: number | undefined;
  /** Why the process never ran, e.g. `spawn bash ENOENT`. Never thrown: the result is data. */
  failedToStart?: string;
}

// Loaded on the first spawn: a fully cached `gantry task` starts no process at all.
const nodeRequire = createRequire(import.meta.url);
const childProcess = (): typeof ChildProcesses =>
  nodeRequire('node:child_process') as typeof ChildProcesses;

/**
 * How long output may keep flowing after the main process exited. A step that starts a server
 * with `&` leaves a grandchild holding the pipes open; waiting for them to close would hang the
 * job, so after this grace period (and once the pipes have gone quiet) the step is done and the
 * grandchild keeps running.
 */
const DRAIN_GRACE_MS = 100;

/**
 * Runs a program in its own process group and resolves once it has exited and its output has
 * been drained. Cancellation and timeout send the kill sequence to the whole group and wait
 * until no member is left, so they leave no orphans behind.
 */
export async function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const notStarted = (failedToStart: string | undefined): ProcessResult => ({
    exitCode: null,
    signal: null,
    timedOut: false,
    canceled: failedToStart === undefined,
    durationMs: Math.round(performance.now() - started),
    pid: undefined,
    ...(failedToStart === undefined ? {} : { failedToStart }),
  });
  // Cancelled before it started: nothing to run, nothing to kill.
  if (options.signal?.aborted) return notStarted(undefined);

  let child: ChildProcess;
  try {
    child = childProcess().spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: options.interactive !== true,
      stdio: options.interactive === true ? 'inherit' : ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    return notStarted(describeSpawnError(error, options));
  }
  // `on`, not `once`: a second 'error' without a listener would crash Gantry.
  const spawnError = new Promise<Error>((resolve) => child.on('error', resolve));
  const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('exit', (code, signal) => resolve([code, signal])),
  );
  const { pid } = child;
  if (pid === undefined) return notStarted(describeSpawnError(await spawnError, options));

  const untrack = options.interactive === true ? () => {} : trackRunningGroup(pid);
  let forwarding = true;
  const chunksSeen = { count: 0 };
  const streams = [forward(child.stdout, 'stdout'), forward(child.stderr, 'stderr')];
  function forward(stream: Readable | null, name: 'stdout' | 'stderr'): Promise<void> {
    if (stream === null) return Promise.resolve();
    stream.on('data', (chunk: Buffer) => {
      chunksSeen.count += 1;
      if (forwarding) options.onOutput?.(chunk, name);
    });
    return new Promise((resolve) => stream.once('close', () => resolve()));
  }

  let timedOut = false;
  let canceled = false;
  let stopping: Promise<unknown> | undefined;
  let leaderExited = false;
  const stop = (reason: 'timeout' | 'abort'): void => {
    if (leaderExited || stopping !== undefined) return;
    if (reason === 'timeout') timedOut = true;
    else canceled = true;
    stopping =
      options.interactive === true
        ? Promise.resolve(child.kill('SIGTERM'))
        : stopProcessGroup(pid, options.killSequence ?? defaultKillSequence);
  };
  const onAbort = (): void => stop('abort');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs !== undefined && options.timeoutMs > 0
      ? setTimeout(() => stop('timeout'), options.timeoutMs)
      : undefined;

  const [exitCode, signal] = await exited;
  leaderExited = true;
  untrack();
  clearTimeout(timer);
  options.signal?.removeEventListener('abort', onAbort);

  const drained = Promise.all(streams);
  await drain(drained, chunksSeen);
  if (stopping !== undefined) {
    // The leader is gone but the group may not be; finish the sequence, then collect the
    // last output of the members that were just stopped.
    await stopping;
    await drain(drained, chunksSeen);
  }
  forwarding = false;
  releasePipes(child);

  return {
    exitCode,
    signal,
    timedOut,
    canceled,
    durationMs: Math.round(performance.now() - started),
    pid,
  };
}

/**
 * Waits for the pipes to close, or for the grace period and then a full turn of the event loop
 * in which nothing more arrived. The wall clock alone loses output when the loop is saturated
 * (hundreds of commands at once): the timer can fire before the loop has read what the process
 * wrote just before it exited. Timers run before the poll phase and `setImmediate` after it, so
 * each turn gives the pipes one more read.
 */
async function drain(drained: Promise<unknown>, chunksSeen: { count: number }): Promise<void> {
  let closed = false;
  void drained.then(() => (closed = true));
  await within(drained, DRAIN_GRACE_MS);
  // A background grandchild that never stops writing must not hold the step forever.
  const deadline = performance.now() + DRAIN_GRACE_MS * 5;
  let seen = -1;
  while (!closed && seen !== chunksSeen.count && (seen === -1 || performance.now() < deadline)) {
    seen = chunksSeen.count;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/**
 * Pipes still held by a background grandchild keep being read (and discarded) so the
 * grandchild never blocks on a full pipe or dies of SIGPIPE, but they must not keep Gantry's
 * event loop alive after the run is over.
 */
function releasePipes(child: ChildProcess): void {
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null || stream.destroyed) continue;
    (stream as Readable & { unref?: () => void }).unref?.();
  }
}

/** Node reports a missing cwd as `spawn <command> ENOENT`, which points at the wrong thing. */
function describeSpawnError(error: unknown, options: ProcessOptions): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.endsWith('ENOENT') && !existsSync(options.cwd)) {
    return `${message} (working directory ${options.cwd} does not exist)`;
  }
  return message;
}

/**
 * Waits for `promise` at most `ms`. The timer is cleared as soon as the promise settles, so a
 * grace period never keeps Gantry alive (a lingering timer delayed every exit by 100 ms).
 */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
