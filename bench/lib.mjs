// Shared helpers for Gantry's benchmarks: timing of whole commands, medians, ratios.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');
export const gantryBin = path.join(root, 'packages', 'gantry', 'dist', 'bin', 'gantry.mjs');

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
