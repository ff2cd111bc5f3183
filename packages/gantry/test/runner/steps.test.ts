import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../helpers/run.js';

describe('steps', () => {
  it('applies env precedence workflow < job < step, GITHUB_ENV and GITHUB_PATH to later steps', async () => {
    const run = await runWorkflow(`on: push
env: { A: workflow, B: workflow, C: workflow }
jobs:
  j:
    runs-on: ubuntu-latest
    env: { B: job, C: job }
    steps:
      - run: echo "A=$A B=$B C=$C"
        env: { C: step }
      - run: |
          echo "EXPORTED=from-step-2" >> "$GITHUB_ENV"
          mkdir -p "$RUNNER_TEMP/bin" && printf '#!/bin/sh\\necho tool-ran\\n' > "$RUNNER_TEMP/bin/mytool" && chmod +x "$RUNNER_TEMP/bin/mytool"
          echo "$RUNNER_TEMP/bin" >> "$GITHUB_PATH"
      - run: echo "EXPORTED=$EXPORTED via-ctx=\${{ env.EXPORTED }}" && mytool
`);
    expect(run.report.status).toBe('success');
    const log = run.log('j');
    expect(log).toContain('A=workflow B=job C=step');
    expect(log).toContain('EXPORTED=from-step-2 via-ctx=from-step-2');
    expect(log).toContain('tool-ran');
  });

  it('sets the GitHub environment contract', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo "ws=$GITHUB_WORKSPACE"
          echo "ref=$GITHUB_REF sha=$GITHUB_SHA event=$GITHUB_EVENT_NAME job=$GITHUB_JOB ci=$CI os=$RUNNER_OS"
          test -f "$GITHUB_EVENT_PATH" && test -f "$GITHUB_OUTPUT" && test -d "$RUNNER_TEMP"
          test "$(pwd)" = "$GITHUB_WORKSPACE"
          test -f .github/workflows/w.yml
`);
    expect(run.report.status).toBe('success');
    const log = run.log('j').join('\n');
    expect(log).toMatch(/ref=refs\/heads\/main sha=[0-9a-f]{40} event=push job=j ci=true os=Linux/);
    expect(log).toContain(`ws=${run.repo}/.gantry/runs/`);
  });

  it('runs the working tree, uncommitted changes included, unless --clean', async () => {
    const { createRepo, writeFiles } = await import('../helpers/repo.js');
    const repo = createRepo({
      '.github/workflows/w.yml':
        'on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: cat file.txt\n',
      'file.txt': 'committed\n',
    });
    writeFiles(repo, { 'file.txt': 'edited\n' });
    const dirty = await runWorkflow('', { repoRoot: repo });
    expect(dirty.log('j')).toContain('edited');
    const clean = await runWorkflow('', { repoRoot: repo, clean: true });
    expect(clean.log('j')).toContain('committed');
  });

  it("never copies Gantry's own .gantry/ state into a workspace", async () => {
    const first = await runWorkflow(
      'on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: test ! -e .gantry && echo clean-workspace\n',
    );
    expect(first.log('j')).toContain('clean-workspace');
    const second = await runWorkflow('', { repoRoot: first.repo });
    expect(second.log('j')).toContain('clean-workspace');
  });

  it('honours shells, defaults.run and working-directory', async () => {
    const run = await runWorkflow(
      `on: push
defaults:
  run:
    working-directory: sub
jobs:
  j:
    runs-on: x
    steps:
      - run: import os; print("py in", os.path.basename(os.getcwd()))
        shell: python
      - run: console.log('node says', 6 * 7)
        shell: node
      - run: false | true; echo "no pipefail by default"
      - run: false | true
        shell: bash
        continue-on-error: true
        id: pipefail
      - run: echo "pipefail outcome=\${{ steps.pipefail.outcome }} conclusion=\${{ steps.pipefail.conclusion }}"
        working-directory: .
`,
      { files: { 'sub/.keep': '' } },
    );
    const log = run.log('j');
    expect(log).toContain('py in sub');
    expect(log).toContain('node says 42');
    expect(log).toContain('no pipefail by default');
    expect(log).toContain('pipefail outcome=failure conclusion=success');
    expect(run.report.status).toBe('success');
  });

  it('skips later steps after a failure except failure()/always() ones', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: exit 3
      - run: echo should-not-run
      - if: failure()
        run: echo on-failure
      - if: always()
        run: echo always
`);
    expect(run.report.status).toBe('failure');
    const job = run.job('j');
    expect(job.steps.map((s) => s.status)).toEqual(['failure', 'skipped', 'success', 'success']);
    expect(job.steps[0]?.exitCode).toBe(3);
    expect(run.log('j')).not.toContain('should-not-run');
    expect(job.reason).toContain('exit code 3');
  });

  it('enforces fractional step timeouts by killing the process group', async () => {
    const started = Date.now();
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: sleep 30 & sleep 30; wait
        timeout-minutes: 0.02
      - if: always()
        run: echo after-timeout
`);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(run.job('j').steps[0]?.status).toBe('failure');
    expect(run.log('j')).toContain('##[error]The action has timed out.');
    expect(run.log('j')).toContain('after-timeout');
  });

  it('enforces the job timeout', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    timeout-minutes: 0.02
    steps:
      - run: sleep 30
`);
    expect(run.job('j').status).toBe('failure');
    expect(run.job('j').reason).toContain('timeout-minutes');
  });

  it('handles workflow commands: groups, annotations, masks, stop-commands, set-output', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    steps:
      - id: s
        run: |
          echo "::group::My group"
          echo inside
          echo "::endgroup::"
          echo "::error file=app.py,line=3::Broken thing"
          echo "::add-mask::hunter2-value"
          echo "the value is hunter2-value"
          echo "::stop-commands::pause-token"
          echo "::error::not a command now"
          echo "::pause-token::"
          echo "::set-output name=legacy::old-style"
          echo "modern=new-style" >> "$GITHUB_OUTPUT"
      - run: echo "\${{ steps.s.outputs.legacy }} \${{ steps.s.outputs.modern }}"
`);
    const log = run.log('j');
    expect(log).toContain('inside');
    expect(log).toContain('the value is ***');
    expect(log.join('\n')).not.toContain('hunter2-value');
    expect(log).toContain('::error::not a command now');
    expect(log).toContain('old-style new-style');
    const annotations = run.events.filter((e) => e.type === 'annotation');
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatchObject({
      annotation: { level: 'error', file: 'app.py', line: 3, message: 'Broken thing' },
    });
    expect(
      run.events.some((e) => e.type === 'log' && e.group === 'start' && e.text === 'My group'),
    ).toBe(true);
  });

  it('writes step summaries, masked, into the run directory report', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  j:
    runs-on: x
    steps:
      - run: echo "### Result for \${{ secrets.TOKEN }}" >> "$GITHUB_STEP_SUMMARY"
`,
      { secrets: { TOKEN: 's3cr3t-token-value' } },
    );
    const summary = path.join(run.repo, '.gantry', 'runs', String(run.report.runId), 'summary.md');
    expect(existsSync(summary)).toBe(true);
    const text = readFileSync(summary, 'utf8');
    expect(text).toContain('### Result for ***');
    expect(text).not.toContain('s3cr3t-token-value');
  });
});
