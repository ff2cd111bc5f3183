import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { trackRunningGroup } from '../executor/exit-cleanup.js';
import { stopProcessGroup, waitForGroupExit } from '../executor/process.js';

/** A user to run a server as: PostgreSQL refuses to run as root. */
export interface RunAs {
  uid: number;
  gid: number;
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  /** Output of the process is appended here. */
  logFile: string;
  runAs?: RunAs | undefined;
}

/**
 * A server process in its own process group. Gantry's exit handler kills the group if Gantry
 * exits first, so a crash or `process.exit` never leaves a database running.
 */
export class Daemon {
  private exitCode: number | null | undefined;
  private readonly exitedPromise: Promise<void>;
  private readonly untrack: () => void;
  private stopping: Promise<void> | undefined;

  constructor(
    readonly pid: number,
    exited: Promise<number | null>,
  ) {
    this.untrack = trackRunningGroup(pid);
    this.exitedPromise = exited.then((code) => {
      this.exitCode = code;
    });
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  /** The leader's exit code once it has exited (128 for a signal, 127 if it never started). */
  get code(): number | null | undefined {
    return this.exitCode;
  }

  /** SIGINT (PostgreSQL's fast shutdown, Redis' clean exit), then SIGTERM, then SIGKILL. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await stopProcessGroup(this.pid, { interruptMs: 5000, terminateMs: 2000 });
      await waitForGroupExit(this.pid, 1000);
      this.untrack();
    })();
    return this.stopping;
  }

  /** Resolves when the leader has exited. */
  wait(): Promise<void> {
    return this.exitedPromise;
  }
}

/** Starts `command` detached, output to its log file, and returns without waiting. */
export function startDaemon(
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): Daemon {
  const fd = openSync(options.logFile, 'a');
  try {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', fd, fd],
      ...(options.runAs ?? {}),
    });
    const exited = new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(127));
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : null)));
    });
    child.unref();
    if (child.pid === undefined) return new Daemon(-1, exited);
    return new Daemon(child.pid, exited);
  } finally {
    closeSync(fd);
  }
}

/** Runs a setup command (initdb, psql, rabbitmqctl) to completion; resolves its exit code. */
export async function runToExit(
  command: string,
  args: readonly string[],
  options: SpawnOptions & { signal?: AbortSignal; timeoutMs?: number },
): Promise<number> {
  const daemon = startDaemon(command, args, options);
  if (daemon.pid < 0) {
    await daemon.wait();
    return 127;
  }
  const stop = () => void daemon.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  const timer = options.timeoutMs ? setTimeout(stop, options.timeoutMs) : undefined;
  try {
    await daemon.wait();
    await daemon.stop();
    return daemon.code ?? 1;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
}

/**
 * When Gantry runs as root, the uid/gid of `preferred` (or `nobody`) from /etc/passwd;
 * otherwise undefined (servers run as the current user).
 */
export function unprivilegedUser(preferred: string): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  let passwd: string;
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return { uid: 65534, gid: 65534 };
  }
  const users = new Map<string, RunAs>();
  for (const line of passwd.split('\n')) {
    const [name, , uid, gid] = line.split(':');
    if (name && uid && gid) users.set(name, { uid: Number(uid), gid: Number(gid) });
  }
  return users.get(preferred) ?? users.get('nobody') ?? { uid: 65534, gid: 65534 };
}
