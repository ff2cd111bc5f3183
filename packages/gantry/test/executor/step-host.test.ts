import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessGroupAlive } from '../../src/executor/process.js';
import { StepHost, canRunInHost } from '../../src/executor/step-host.js';

const hosts: StepHost[] = [];
afterEach(() => hosts.splice(0).forEach((h) => h.close()));

function host(): { host: StepHost; dir: string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-host-'));
  const h = new StepHost(dir, {
    PATH: process.env['PATH'] ?? '',
    HOME_FROM_HOST: 'x',
    GREETING: 'old',
  });
  hosts.push(h);
  return { host: h, dir };
}

async function run(
  h: StepHost,
  dir: string,
  script: string,
  extra: Partial<Parameters<StepHost['run']>[0]> = {},
) {
  const file = path.join(dir, `s${Math.random()}.sh`);
  writeFileSync(file, script);
  let out = '';
  let err = '';
  const result = await h.run({
    command: 'bash',
    args: ['-e', file],
    cwd: dir,
    env: { PATH: process.env['PATH'] ?? '', GREETING: 'hello there' },
    onOutput: (c, stream) => (stream === 'stdout' ? (out += c.toString()) : (err += c.toString())),
    ...extra,
  });
  return { result, out, err };
}

describe('StepHost', () => {
  it('runs steps one after another with their env, cwd, output and exit code', async () => {
    const { host: h, dir } = host();
    const a = await run(h, dir, 'echo "$GREETING from $(pwd)"; echo err >&2; printf no-newline');
    expect(a.result.exitCode).toBe(0);
    expect(a.out).toBe(`hello there from ${dir}\nno-newline`);
    expect(a.err).toBe('err\n');
    const b = await run(h, dir, 'exit 7');
    expect(b.result.exitCode).toBe(7);
    const c = await run(h, dir, 'test -z "$HOME_FROM_HOST" && echo isolated', {
      env: { PATH: process.env['PATH'] ?? '' },
    });
    expect(c.out).toBe('isolated\n');
  });

  it('gives each step its own process group and kills the whole tree on timeout', async () => {
    const { host: h, dir } = host();
    const started = Date.now();
    const { result } = await run(h, dir, 'sleep 30 & sleep 30; wait', {
      timeoutMs: 300,
      killSequence: { interruptMs: 200, terminateMs: 200 },
    });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.pid).toBeGreaterThan(0);
    expect(isProcessGroupAlive(result.pid ?? 0)).toBe(false);
    const next = await run(h, dir, 'echo still-usable');
    expect(next.out).toBe('still-usable\n');
  });

  it('cancels on abort and does not hang on a background process holding the output', async () => {
    const { host: h, dir } = host();
    const bg = await run(h, dir, 'sleep 5 & echo started-bg');
    expect(bg.out).toBe('started-bg\n');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const { result } = await run(h, dir, 'sleep 30', {
      signal: controller.signal,
      killSequence: { interruptMs: 200, terminateMs: 200 },
    });
    expect(result.canceled).toBe(true);
  });

  it('accepts only environments bash can export', () => {
    expect(canRunInHost({ A_1: 'x' })).toBe(true);
    expect(canRunInHost({ 'BASH_FUNC_f%%': '() { :; }' })).toBe(false);
  });
});
