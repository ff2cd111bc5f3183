import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessGroupAlive } from '../../src/executor/process.js';
import { runWorkflow } from '../helpers/run.js';

describe('cancellation', () => {
  it('stops the whole process tree of a running step, then runs always() steps', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const run = await runWorkflow(
      `on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: |
          sh -c 'sleep 60' &
          echo $! > "$GITHUB_WORKSPACE/child.pid"
          echo "$$" > "$GITHUB_WORKSPACE/shell.pid"
          sleep 60
      - if: always()
        run: echo cleanup-ran
      - run: echo should-not-run
`,
      { signal: controller.signal },
    );
    expect(run.report.status).toBe('cancelled');
    const job = run.job('j');
    expect(job.status).toBe('cancelled');
    expect(job.steps.map((s) => s.status)).toEqual(['cancelled', 'success', 'skipped']);
    expect(run.log('j')).toContain('cleanup-ran');
    const workspace = path.join(run.repo, '.gantry', 'runs', String(run.report.runId), 'jobs');
    const { readdirSync } = await import('node:fs');
    const [dir] = readdirSync(workspace);
    const shellPid = Number(
      readFileSync(path.join(workspace, dir ?? '', 'workspace', 'shell.pid'), 'utf8'),
    );
    expect(isProcessGroupAlive(shellPid)).toBe(false);
  });

  it('stops background processes a step left running when the job ends', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: |
          (sleep 60 & echo $! > "$GITHUB_WORKSPACE/bg.pid"; wait) &
          sleep 0.2
      - run: kill -0 "$(cat bg.pid)" && echo "still alive in the next step"
`);
    expect(run.log('j')).toContain('still alive in the next step');
    const jobs = path.join(run.repo, '.gantry', 'runs', String(run.report.runId), 'jobs');
    const { readdirSync } = await import('node:fs');
    const pid = Number(
      readFileSync(path.join(jobs, readdirSync(jobs)[0] ?? '', 'workspace', 'bg.pid'), 'utf8'),
    );
    let alive: boolean;
    try {
      process.kill(pid, 0);
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      alive = !/\) Z /.test(stat);
    } catch {
      alive = false;
    }
    expect(alive).toBe(false);
  });
});
