import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/index.js';
import { commitAll, createRepo, git, writeFiles } from '../helpers/repo.js';
import { runWorkflow } from '../helpers/run.js';

const wf = (on: string) =>
  `on:\n${on}\njobs:\n  j:\n    runs-on: x\n    steps: [{ run: echo ran }]\n`;

describe('triggers and events', () => {
  it('reports a workflow that does not trigger, with the reason, and runs no job', async () => {
    const repo = createRepo({
      '.github/workflows/main-only.yml': wf('  push:\n    branches: [main]'),
      '.github/workflows/docs.yml': wf('  push:\n    paths: ["docs/**"]'),
      'src/a.txt': 'a',
    });
    writeFiles(repo, { 'src/a.txt': 'b' });
    commitAll(repo, 'change src');
    git(repo, 'checkout', '-q', '-b', 'feature');
    const run = await runWorkflow('', { repoRoot: repo });
    const byFile = Object.fromEntries(run.report.workflows.map((w) => [w.file, w]));
    expect(byFile['.github/workflows/main-only.yml']?.triggered).toBe(false);
    expect(byFile['.github/workflows/main-only.yml']?.reason).toMatch(/feature/);
    expect(byFile['.github/workflows/docs.yml']?.triggered).toBe(false);
    expect(byFile['.github/workflows/docs.yml']?.jobs).toEqual([]);
    expect(run.events.some((e) => e.type === 'job-start')).toBe(false);
  });

  it('builds pull_request events against the merge base', async () => {
    const repo = createRepo({
      '.github/workflows/pr.yml': `on:
  pull_request:
    branches: [main]
    paths: ['backend/**']
jobs:
  j:
    runs-on: x
    steps:
      - run: echo "event=\${{ github.event_name }} ref=\${{ github.ref }} head=\${{ github.head_ref }} base=\${{ github.base_ref }} n=\${{ github.event.pull_request.number }}"
`,
      'backend/x.py': '1',
    });
    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, { 'backend/x.py': '2' });
    commitAll(repo, 'backend change');
    const run = await runWorkflow('', {
      repoRoot: repo,
      event: { eventName: 'pull_request', pr: 42, base: 'main' },
    });
    expect(run.report.workflows[0]?.triggered).toBe(true);
    expect(run.log('j')).toContain(
      'event=pull_request ref=refs/pull/42/merge head=feature base=main n=42',
    );
  });

  it('types and defaults workflow_dispatch inputs', async () => {
    const run = await runWorkflow(
      `on:
  workflow_dispatch:
    inputs:
      dry: { type: boolean, default: true }
      level: { type: choice, options: [low, high], default: low }
jobs:
  j:
    runs-on: x
    steps:
      - run: echo "dry=\${{ inputs.dry }} typed=\${{ inputs.dry == true }} level=\${{ inputs.level }}"
`,
      { event: { eventName: 'workflow_dispatch' }, inputs: { level: 'high' } },
    );
    expect(run.log('j')).toContain('dry=true typed=true level=high');
  });

  it('rejects invalid workflows with every problem and runs nothing', async () => {
    const repo = createRepo({
      '.github/workflows/a.yml':
        'on: push\njobs:\n  a:\n    runs-on: x\n    needs: ghost\n    steps: [{ run: "true" }]\n',
      '.github/workflows/b.yml':
        'on: push\njobs:\n  b:\n    runs-on: x\n    steps: [{ run: "echo ${{ github. }}" }]\n',
    });
    const error = await runWorkflow('', { repoRoot: repo }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.file).sort()).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/b.yml',
    ]);
    expect(problems.every((p) => typeof p.line === 'number')).toBe(true);
  });
});
