import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync } from 'node:fs';
import { appendLogLine, openLogForChild } from './log-file.js';
import { INSTANCE_ID_ENV, type InstanceSpec } from './spec.js';

/** How one run of an instance's process ended. */
export interface RunExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Why the process never ran (`spawn bash ENOENT`, a log file that cannot be opened). */
  readonly error?: string;
}

export interface LaunchedRun {
  /** Leader of the run's process group; undefined when it failed to start. */
  readonly pid: number | undefined;
  /** Resolves once the leader has exited and the exit line is in the log. Never rejects. */
  readonly exited: Promise<RunExit>;
}

/**
 * Starts one run of an instance: `bash -c <command>` as the leader of a new process group
 * (`detached`, so group id = pid and the whole tree can be signalled at once), with the log file
 * as stdout and stderr and `GANTRY_INSTANCE_ID` in its environment.
 *
 * Deliberately not registered with the executor's exit cleanup: a deployment outlives the
 * command that started it. A Gantry that dies leaves the group running for the next one's
 * `reapOrphans`.
 */
export function launchRun(spec: InstanceSpec): LaunchedRun {
  let fd: number;
  let child: ChildProcess;
  try {
    fd = openLogForChild(spec.logFile);
  } catch (error) {
    return notStarted(spec, `cannot open log file ${spec.logFile}: ${messageOf(error)}`);
  }
  try {
    child = spawn('bash', ['-c', spec.command], {
      cwd: spec.cwd,
      env: { ...spec.env, [INSTANCE_ID_ENV]: spec.id },
      detached: true,
      stdio: ['ignore', fd, fd],
    });
  } catch (error) {
    return notStarted(spec, describeSpawnError(error, spec));
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(fd);
  }
  const { pid } = child;
  const exited = new Promise<RunExit>((resolve) => {
    // `on`, not `once`: a second 'error' without a listener would crash Gantry.
    child.on('error', (error) => {
      if (pid === undefined) {
        resolve({ code: null, signal: null, error: describeSpawnError(error, spec) });
      }
    });
    child.once('exit', (code, signal) => resolve({ code, signal }));
  }).then((exit) => {
    appendLogLine(
      spec.logFile,
      exit.error === undefined
        ? `exited code ${exit.code ?? 'none'} signal ${exit.signal ?? 'none'}`
        : `failed to start: ${exit.error}`,
    );
    return exit;
  });
  // Written right after the fork; a first line from the child may occasionally come before it.
  if (pid !== undefined) appendLogLine(spec.logFile, `started pid ${pid}`);
  return { pid, exited };
}

/** A one-line description of how a run ended, e.g. `exit code 1` or `killed by SIGKILL`. */
export function describeExit(exit: RunExit): string {
  if (exit.error !== undefined) return `failed to start: ${exit.error}`;
  if (exit.signal !== null) return `killed by ${exit.signal}`;
  return `exit code ${exit.code ?? 'unknown'}`;
}

function notStarted(spec: InstanceSpec, error: string): LaunchedRun {
  appendLogLine(spec.logFile, `failed to start: ${error}`);
  return { pid: undefined, exited: Promise.resolve({ code: null, signal: null, error }) };
}

/** Node reports a missing working directory as `spawn bash ENOENT`, which sends people looking for bash. */
function describeSpawnError(error: unknown, spec: InstanceSpec): string {
  const message = messageOf(error);
  if (message.endsWith('ENOENT') && !existsSync(spec.cwd)) {
    return `${message} (working directory ${spec.cwd} does not exist)`;
  }
  return message;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
