import { describe, expect, it } from 'vitest';
import { createRepo } from '../helpers/repo.js';
import { runWorkflow } from '../helpers/run.js';

const workflow = (concurrency: string, sleep: number) =>
  `on: push\nconcurrency: ${concurrency}\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: sleep ${sleep}\n`;

describe('workflow-level concurrency', () => {
  it('runs workflows of one group one after the other', async () => {
    const repo = createRepo({
      '.github/workflows/a.yml': workflow('deploy-${{ github.ref_name }}', 1),
      '.github/workflows/b.yml': workflow('DEPLOY-main', 0),
    });
    const run = await runWorkflow('', { repoRoot: repo, parallel: 4 });
    expect(run.report.workflows.map((w) => w.status)).toEqual(['success', 'success']);
    const order = run.events.flatMap((e) =>
      e.type === 'job-start' || e.type === 'job-end' ? [`${e.type}:${e.job}`] : [],
    );
    expect(order).toEqual([
      'job-start:.github/workflows/a.yml/j',
      'job-end:.github/workflows/a.yml/j',
      'job-start:.github/workflows/b.yml/j',
      'job-end:.github/workflows/b.yml/j',
    ]);
  });

  it('cancel-in-progress cancels the running workflow of the group', async () => {
    const repo = createRepo({
      '.github/workflows/a.yml': workflow('deploy', 30),
      '.github/workflows/b.yml': workflow('{ group: deploy, cancel-in-progress: true }', 0),
    });
    const started = Date.now();
    const run = await runWorkflow('', { repoRoot: repo, parallel: 4 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.report.workflows.map((w) => w.status)).toEqual(['cancelled', 'success']);
  });
});
