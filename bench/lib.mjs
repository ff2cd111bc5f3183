// Shared helpers for Gantry's benchmarks: timing of whole commands, medians, ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const gantryBin =
  process.env.GANTRY_BIN ?? path.join(root, 'packages', 'gantry', 'dist', 'bin', 'gantry.mjs');

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs a command `runs` times (after one warm-up) and returns the wall times in ms. */
export function timeCommand(command, args, options = {}, runs = 7) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(command, args, { stdio: 'ignore', ...options });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (result.status !== 0)
      throw new Error(`${command} ${args.join(' ')} exited ${result.status}`);
    if (i > 0) times.push(ms);
  }
  return times;
}

/** Interleaves the runs of several commands so machine noise hits them alike. */
export function timeSideBySide(commands, runs = 7) {
  const times = commands.map(() => []);
  for (let i = 0; i <= runs; i++) {
    commands.forEach(([command, args, options], k) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(command, args, { stdio: 'ignore', ...(options ?? {}) });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0)
        throw new Error(
          `${command} ${args.join(' ')} exited ${result.status}: ${result.stderr ?? ''}`,
        );
      if (i > 0) times[k].push(ms);
    });
  }
  return times;
}

export function tempRepo(files) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-'));
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  const git = (...args) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'add', '-A');
  git('-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', 'commit', '-q', '-m', 'bench');
  return dir;
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`;

/** Runs a command to completion with its output captured; throws with its stderr on failure. */
export function runOnce(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 28, ...options });
  if (result.error) throw new Error(`${command} ${args.join(' ')}: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited ${result.status}:\n${`${result.stdout}${result.stderr}`.slice(-2000)}`,
    );
  return `${result.stdout}${result.stderr}`;
}

/**
 * timeSideBySide for commands given as `{command, args, options, before}`: `before()` runs
 * (untimed) ahead of every run of its command, e.g. to delete outputs. A failing run is run
 * again with its output captured, for the error message.
 */
export function timeRounds(commands, runs = 10) {
  const times = commands.map(() => []);
  for (let i = 0; i <= runs; i++) {
    commands.forEach(({ command, args, options = {}, before }, k) => {
      before?.();
      const start = process.hrtime.bigint();
      const result = spawnSync(command, args, { stdio: 'ignore', ...options });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) {
        before?.();
        runOnce(command, args, options);
        throw new Error(`${command} ${args.join(' ')} exited ${result.status} (then passed)`);
      }
      if (i > 0) times[k].push(ms);
    });
  }
  return times;
}

/** go-task, the peer of `gantry task`: $GANTRY_PEER_TASK or $(go env GOPATH)/bin/task. */
export function taskPeer() {
  let bin = process.env.GANTRY_PEER_TASK;
  if (!bin) {
    const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
    if (gopath.status === 0 && gopath.stdout.trim())
      bin = path.join(gopath.stdout.trim().split(path.delimiter)[0], 'bin', 'task');
  }
  const version = bin && spawnSync(bin, ['--version'], { encoding: 'utf8' });
  if (!version || version.status !== 0)
    throw new Error(
      `go-task peer not found (${bin ?? 'no GANTRY_PEER_TASK and no go env GOPATH'}): install it with \`go install github.com/go-task/task/v3/cmd/task@latest\` or set GANTRY_PEER_TASK`,
    );
  return { bin, version: version.stdout.trim().replace(/^Task version:\s*/i, '') };
}

/** The environment for task benchmarks: no remote cache, no outer cache dir, no telemetry. */
export function taskBenchEnv(extra = {}) {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (/^(GANTRY_|TURBO_)/.test(name) && name !== 'GANTRY_PEER_TASK') delete env[name];
  return {
    ...env,
    TURBO_TELEMETRY_DISABLED: '1',
    DO_NOT_TRACK: '1',
    TURBO_NO_UPDATE_NOTIFIER: '1',
    ...extra,
  };
}

export const ratio = (a, b) => `${(a / b).toFixed(2)}x`;

/** mulberry32: a seeded generator, so synthetic data is the same on every run and machine. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A program on PATH (`nginx`, `prometheus`), or undefined: no fixed install paths. */
export function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = dir && path.join(dir, name);
    if (file && existsSync(file)) return file;
  }
  return undefined;
}
