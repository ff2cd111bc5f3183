import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { trackRunningGroup } from './exit-cleanup.js';
import { defaultKillSequence, stopProcessGroup } from './kill-sequence.js';
import type { ProcessOptions, ProcessResult } from './process.js';

// The host is a bash with job control on (`set -m`): every background job gets a process
// group of its own, even without a terminal, so a step is killed as a group exactly like a
// process Gantry spawned itself. Forking from a small bash costs a fraction of forking from
// Node. Its own messages (job notices) go to fd 4, away from step output (fds 1 and 5).
const HOST_SCRIPT = `set -m
exec 5>&2 2>&4
while IFS= read -r -d '' id; do
  IFS= read -r -d '' dir; IFS= read -r -d '' envfile; IFS= read -r -d '' argc
  args=(); for ((i = 0; i < argc; i++)); do IFS= read -r -d '' a; args+=("$a"); done
  (
    cd "$dir" || exit 127
    unset GANTRY_STEP_END
    while IFS= read -r -d '' kv; do
      case $kv in -*) unset "\${kv:1}" ;; *) export "\${kv:1}" ;; esac
    done < "$envfile"
    exec "\${args[@]}" </dev/null 2>&5 3>&- 4>&- 5>&-
  ) &
  pid=$!
  printf 'start %s %s\\n' "$id" "$pid" >&3
  wait "$pid"; code=$?
  printf '%s' "$GANTRY_STEP_END$id"; printf '%s' "$GANTRY_STEP_END$id" >&5
  printf 'exit %s %s\\n' "$id" "$code" >&3
done`;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Whether a process can run through the host: its environment must be exportable by bash. */
export function canRunInHost(env: Readonly<Record<string, string>>): boolean {
  return Object.keys(env).every((k) => NAME.test(k));
}

/**
 * Runs the processes of one job leg, one at a time, through a long-lived bash. Same contract
 * as runProcess: a result as data, process groups, timeouts and the graceful kill sequence.
 */
export class StepHost {
  private readonly child: ChildProcess;
  private readonly marker = `@@gantry-${randomBytes(8).toString('hex')}-`;
  private control = '';
  private counter = 0;
  private current: Pending | undefined;
  private closed = false;

  /**
   * @param baseEnv the environment the host starts with; each step sends only its difference
   * from it (a handful of variables), since exporting ~100 variables per step in bash costs
   * more than the fork it saves.
   */
  constructor(
    private readonly tempDir: string,
    private readonly baseEnv: Readonly<Record<string, string>>,
  ) {
    this.child = spawn('bash', ['--noprofile', '--norc', '-c', HOST_SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: { ...baseEnv, GANTRY_STEP_END: this.marker },
    });
    this.child.on('error', () => this.fail('the step host could not start'));
    this.child.on('exit', () => this.fail('the step host exited'));
    this.child.stdio[3]?.on('data', (d: Buffer) => this.onControl(d.toString()));
    (this.child.stdio[4] as Readable | null)?.resume();
    this.child.stdout?.on('data', (d: Buffer) => this.current?.streams[0].push(d));
    this.child.stderr?.on('data', (d: Buffer) => this.current?.streams[1].push(d));
  }

  run(options: ProcessOptions): Promise<ProcessResult> {
    if (this.closed) return Promise.resolve(failed('the step host is closed'));
    const id = String(++this.counter);
    const envFile = `${this.tempDir}/.gantry-step-env-${process.pid}-${id}`;
    writeFileSync(envFile, envDelta(this.baseEnv, options.env));
    const started = performance.now();
    return new Promise<ProcessResult>((resolve) => {
      const end = `${this.marker}${id}`;
      const pending: Pending = {
        id,
        started,
        resolve,
        options,
        streams: [
          new MarkerStream(end, (c) => options.onOutput?.(c, 'stdout')),
          new MarkerStream(end, (c) => options.onOutput?.(c, 'stderr')),
        ],
        exitCode: undefined,
        timedOut: false,
        canceled: false,
      };
      this.current = pending;
      const fields = [
        id,
        options.cwd,
        envFile,
        String(1 + options.args.length),
        options.command,
        ...options.args,
      ];
      this.child.stdin?.write(fields.map((f) => `${f}\0`).join(''));
      const stop = (reason: 'timeout' | 'abort') => {
        if (pending.pid === undefined || pending.stopping) return;
        if (reason === 'timeout') pending.timedOut = true;
        else pending.canceled = true;
        pending.stopping = stopProcessGroup(
          pending.pid,
          options.killSequence ?? defaultKillSequence,
        );
      };
      pending.stop = stop;
      if (options.signal?.aborted) pending.canceled = true;
      options.signal?.addEventListener('abort', () => stop('abort'), { once: true });
      if (options.timeoutMs !== undefined && options.timeoutMs > 0)
        pending.timer = setTimeout(() => stop('timeout'), options.timeoutMs);
    });
  }

  close(): void {
    this.closed = true;
    this.child.stdin?.end();
  }

  private onControl(text: string): void {
    this.control += text;
    let newline = this.control.indexOf('\n');
    while (newline !== -1) {
      const [kind, id, value] = this.control.slice(0, newline).split(' ');
      this.control = this.control.slice(newline + 1);
      newline = this.control.indexOf('\n');
      const pending = this.current;
      if (!pending || pending.id !== id) continue;
      if (kind === 'start') {
        pending.pid = Number(value);
        // If Gantry exits while the step runs, its group is killed like any step's.
        pending.untrack = trackRunningGroup(pending.pid);
        if (pending.canceled) pending.stop?.('abort');
      } else if (kind === 'exit') {
        pending.exitCode = Number(value);
        void this.settle(pending);
      }
    }
  }

  private async settle(pending: Pending): Promise<void> {
    await Promise.all(pending.streams.map((s) => s.done));
    if (pending.stopping) await pending.stopping;
    clearTimeout(pending.timer);
    pending.untrack?.();
    if (this.current === pending) this.current = undefined;
    pending.resolve({
      exitCode: pending.exitCode ?? null,
      signal: null,
      timedOut: pending.timedOut,
      canceled: pending.canceled,
      durationMs: Math.round(performance.now() - pending.started),
      pid: pending.pid,
    });
  }

  private fail(message: string): void {
    this.closed = true;
    const pending = this.current;
    this.current = undefined;
    if (pending) {
      clearTimeout(pending.timer);
      pending.resolve(failed(message));
    }
  }
}

interface Pending {
  id: string;
  started: number;
  resolve: (r: ProcessResult) => void;
  options: ProcessOptions;
  streams: [MarkerStream, MarkerStream];
  pid?: number;
  exitCode: number | undefined;
  timedOut: boolean;
  canceled: boolean;
  timer?: NodeJS.Timeout;
  stopping?: Promise<unknown>;
  stop?: (reason: 'timeout' | 'abort') => void;
  untrack?: () => void;
}

function failed(message: string): ProcessResult {
  return {
    exitCode: null,
    signal: null,
    timedOut: false,
    canceled: false,
    durationMs: 0,
    pid: undefined,
    failedToStart: message,
  };
}

/** Forwards a step's bytes until the end marker the host writes after the step exits. */
class MarkerStream {
  private held = Buffer.alloc(0);
  private finish!: () => void;
  readonly done = new Promise<void>((resolve) => (this.finish = resolve));
  private ended = false;

  constructor(
    private readonly marker: string,
    private readonly forward: (chunk: Buffer) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.ended) return;
    const data = this.held.length > 0 ? Buffer.concat([this.held, chunk]) : chunk;
    const at = data.indexOf(this.marker);
    if (at !== -1) {
      if (at > 0) this.forward(data.subarray(0, at));
      this.held = Buffer.alloc(0);
      this.ended = true;
      this.finish();
      return;
    }
    // Hold back what could be the start of the marker.
    const keep = Math.min(data.length, this.marker.length - 1);
    if (data.length > keep) this.forward(data.subarray(0, data.length - keep));
    this.held = Buffer.from(data.subarray(data.length - keep));
  }
}

/** `+NAME=value` for what differs from the base, `-NAME` for what the step must not see. */
function envDelta(
  base: Readonly<Record<string, string>>,
  env: Readonly<Record<string, string>>,
): string {
  let out = '';
  for (const [k, v] of Object.entries(env)) if (base[k] !== v) out += `+${k}=${v}\0`;
  for (const k of Object.keys(base)) if (!(k in env)) out += `-${k}\0`;
  return out;
}
