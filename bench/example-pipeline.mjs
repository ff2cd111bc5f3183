// The bundled example's full pull-request pipeline (backend CI, frontend CI, integration tests
// on native PostgreSQL and Redis, contract tests, security), as `gantry run --pr` runs it:
// cold = a fresh clone with an empty task cache and no installed dependencies (uv's and npm's
// own download caches are warm, as on any CI machine that has run once); warm = the same
// pipeline again in that clone, where unchanged stages come from the task cache.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createExampleRepo, featureBranch, gantryShim } from '../scripts/example-repo.mjs';
import { gantryBin, median } from './lib.mjs';

const fmtS = (ms) => `${(ms / 1000).toFixed(1)} s`;

export function examplePipeline(rounds = 3) {
  const shims = gantryShim(gantryBin);
  const env = {
    ...process.env,
    CI: 'true',
    PATH: `${shims}:${path.join(os.homedir(), '.local', 'bin')}:${process.env.PATH}`,
    GANTRY_OSV_DB: path.resolve(import.meta.dirname, '..', 'scripts', 'demo-osv'),
  };
  const run = (dir, pr) => {
    const start = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [gantryBin, 'run', '--pr', String(pr), '--base', 'main'],
      { cwd: dir, env, encoding: 'utf8', maxBuffer: 1 << 30 },
    );
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0)
      throw new Error(`the example pipeline failed (exit ${r.status}):\n${r.stdout.slice(-3000)}`);
    const cached = (r.stdout.match(/restored from the local cache|is up to date/g) ?? []).length;
    return { ms, cached };
  };
  const cold = [];
  const warm = [];
  let coldCached = 0;
  let warmCached = 0;
  // Round 0 warms uv's and npm's download caches and is not counted.
  for (let i = 0; i <= rounds; i++) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-example-'));
    try {
      createExampleRepo(dir);
      featureBranch(dir);
      const first = run(dir, 1);
      const second = run(dir, 2);
      if (i > 0) {
        cold.push(first.ms);
        warm.push(second.ms);
        coldCached = first.cached;
        warmCached = second.cached;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  rmSync(shims, { recursive: true, force: true });
  const c = median(cold);
  const w = median(warm);
  return {
    title: "The bundled example's pull-request pipeline (5 workflows, 6 jobs), cold and warm",
    rows: [
      [`cold: fresh clone, empty task cache (median of ${rounds})`, fmtS(c)],
      [`warm: the same pull request again (median of ${rounds})`, fmtS(w)],
      ['warm / cold', `${(w / c).toFixed(2)}x`],
      ['task cache hits and up-to-date tasks, cold run', String(coldCached)],
      ['task cache hits and up-to-date tasks, warm run', String(warmCached)],
    ],
    target: 'report both; the warm run skips unchanged stages through the task cache',
    pass: warmCached > coldCached && w < c,
  };
}
