import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  isProcessGroupAlive,
  killProcessGroup,
  runProcess,
  waitForGroupExit,
  type ProcessOptions,
} from '../../src/executor/process.js';

const signalsFixture = fileURLToPath(new URL('./fixtures/signals.mjs', import.meta.url));
const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

let dir: string;
const groups: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gantry-process-'));
});
afterEach(() => {
  // A failing test must not leave its sleepers behind.
  for (const pgid of groups.splice(0)) killProcessGroup(pgid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function run(options: Partial<ProcessOptions> & Pick<ProcessOptions, 'command' | 'args'>) {
  const chunks = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  const result = await runProcess({
    cwd: dir,
    env,
    onOutput: (chunk, stream) => chunks[stream].push(chunk),
    ...options,
  });
  if (result.pid !== undefined) groups.push(result.pid);
  return {
    result,
    stdout: Buffer.concat(chunks.stdout).toString(),
    stderr: Buffer.concat(chunks.stderr).toString(),
  };
}

/** Non-zombie members of a process group, as `ps` sees them (independent of our /proc reader). */
function psGroupMembers(pgid: number): number[] {
  return execFileSync('ps', ['-eo', 'pid=,pgid=,stat='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, group, stat]) => Number(group) === pgid && stat !== undefined && !stat.startsWith('Z'),
    )
    .map(([pid]) => Number(pid));
}

/** Starts the signal-recording fixture and aborts it once its handlers are installed. */
async function abortSignalsFixture(
  mode: 'ignore' | 'exit-on-int',
  killSequence: ProcessOptions['killSequence'],
) {
  const log = join(dir, 'signals.log');
  const controller = new AbortController();
  const { result } = await run({
    command: process.execPath,
    args: [signalsFixture, log, mode],
    signal: controller.signal,
    killSequence,
    onOutput: (chunk) => {
      if (chunk.toString().includes('ready')) controller.abort();
    },
  });
  const received = readFileSync(log, 'utf8').trim().split('\n');
  return { result, received };
}

describe('runProcess', () => {
  it('reports the exit code as data for success and failure', async () => {
    const ok = await run({ command: 'sh', args: ['-c', 'exit 0'] });
    const failed = await run({ command: 'sh', args: ['-c', 'exit 3'] });
    expect(ok.result).toMatchObject({
      exitCode: 0,
      signal: null,
      timedOut: false,
      canceled: false,
    });
    expect(failed.result).toMatchObject({
      exitCode: 3,
      signal: null,
      timedOut: false,
      canceled: false,
    });
    expect(failed.result.pid).toBeGreaterThan(1);
    expect(failed.result.failedToStart).toBeUndefined();
  });

  it('streams stdout and stderr separately and uses the given cwd and env only', async () => {
    const { stdout, stderr } = await run({
      command: 'sh',
      args: ['-c', 'echo "out $GANTRY_T $(pwd)"; echo err >&2; echo "home=${HOME-unset}"'],
      env: { ...env, GANTRY_T: 'yes' },
    });
    expect(stdout).toBe(`out yes ${dir}\nhome=unset\n`);
    expect(stderr).toBe('err\n');
  });

  it('delivers all output written right before exit', async () => {
    const { result, stdout } = await run({
      command: process.execPath,
      args: ['-e', 'process.stdout.write("x".repeat(1 << 20))'],
    });
    expect(result.exitCode).toBe(0);
    expect(stdout.length).toBe(1 << 20);
  });

  it('on timeout stops the whole tree, including children that ignore SIGINT', async () => {
    // Non-interactive sh starts `&` children with SIGINT ignored: the first signal kills the
    // shell and its foreground sleep, only the escalation reaches the background sleep.
    const { result } = await run({
      command: 'sh',
      args: ['-c', 'sleep 30 & sleep 30; wait'],
      timeoutMs: 200,
      killSequence: { interruptMs: 300, terminateMs: 300 },
    });
    expect(result).toMatchObject({ timedOut: true, canceled: false, exitCode: null });
    expect(result.durationMs).toBeLessThan(5000);
    const pgid = result.pid ?? 0;
    expect(isProcessGroupAlive(pgid)).toBe(false);
    expect(psGroupMembers(pgid)).toEqual([]);
  });

  it('on abort escalates SIGINT → SIGTERM → SIGKILL for a process that ignores both', async () => {
    const { result, received } = await abortSignalsFixture('ignore', {
      interruptMs: 300,
      terminateMs: 300,
    });
    expect(received).toEqual(['SIGINT', 'SIGTERM']);
    expect(result).toMatchObject({
      canceled: true,
      timedOut: false,
      exitCode: null,
      signal: 'SIGKILL',
    });
    expect(result.durationMs).toBeGreaterThanOrEqual(600);
  });

  it('stops after the first signal when the process exits on SIGINT', async () => {
    const { result, received } = await abortSignalsFixture('exit-on-int', {
      interruptMs: 10_000,
      terminateMs: 10_000,
    });
    expect(received).toEqual(['SIGINT']);
    expect(result).toMatchObject({ canceled: true, exitCode: 130, signal: null });
    expect(result.durationMs).toBeLessThan(5000);
  });

  it('returns failedToStart instead of throwing for a missing command or cwd', async () => {
    const missing = await run({ command: 'gantry-no-such-command', args: [] });
    expect(missing.result).toMatchObject({ exitCode: null, pid: undefined, canceled: false });
    expect(missing.result.failedToStart).toBe('spawn gantry-no-such-command ENOENT');

    const noCwd = await run({ command: 'sh', args: ['-c', 'true'], cwd: join(dir, 'nope') });
    expect(noCwd.result.failedToStart).toContain('working directory');
  });

  it('does not start a process when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const marker = join(dir, 'ran');
    const { result } = await run({
      command: 'sh',
      args: ['-c', `touch ${marker}`],
      signal: controller.signal,
    });
    expect(result).toMatchObject({ canceled: true, pid: undefined });
    expect(() => readFileSync(marker)).toThrow();
  });

  it('does not wait for a background grandchild that never stops writing', async () => {
    const { result, stdout } = await run({
      command: 'sh',
      args: ['-c', '(while :; do echo noise; done) & echo started'],
    });
    expect(result.exitCode).toBe(0);
    expect(stdout).toContain('started\n');
    expect(result.durationMs).toBeLessThan(2000);
  });

  it('does not wait for a background grandchild that keeps the pipes open', async () => {
    const { result, stdout } = await run({
      command: 'sh',
      args: ['-c', 'sleep 100 & echo started'],
    });
    expect(result.exitCode).toBe(0);
    expect(stdout).toBe('started\n');
    expect(result.durationMs).toBeLessThan(2000);

    // The server-style grandchild outlives the step until the job cleans up its group.
    const pgid = result.pid ?? 0;
    expect(isProcessGroupAlive(pgid)).toBe(true);
    expect(psGroupMembers(pgid)).toHaveLength(1);
    expect(killProcessGroup(pgid, 'SIGTERM')).toBe(true);
    expect(await waitForGroupExit(pgid, 2000)).toBe(true);
    expect(psGroupMembers(pgid)).toEqual([]);
  });
});

describe('runProcess under load', () => {
  it('loses no output when the event loop is saturated', async () => {
    // 300 commands at once, each writing its last line just before it exits, while every
    // chunk costs the main thread a millisecond: the loop falls far behind the exits.
    const busy = (): void => {
      const until = performance.now() + 1;
      while (performance.now() < until);
    };
    const lines = 20;
    const outputs = await Promise.all(
      Array.from({ length: 300 }, async (_, i) => {
        let text = '';
        const result = await runProcess({
          command: 'sh',
          args: [
            '-c',
            `for n in $(seq 1 ${lines}); do echo "p${i} line $n"; done; echo "p${i} last"`,
          ],
          cwd: dir,
          env,
          onOutput: (chunk) => {
            busy();
            text += chunk.toString();
          },
        });
        return { result, text };
      }),
    );
    const incomplete = outputs.filter(({ text }, i) => !text.endsWith(`p${i} last\n`));
    expect(incomplete.map(({ text }) => text.split('\n').at(-2))).toEqual([]);
    for (const { result } of outputs) expect(result.exitCode).toBe(0);
  }, 60_000);
});
