import { describe, expect, it } from 'vitest';
import { runWorkflow } from '../helpers/run.js';

describe('jobs', () => {
  it('passes outputs through needs and cascades skips unless a status function is used', async () => {
    const run = await runWorkflow(`on: push
jobs:
  a:
    runs-on: x
    outputs:
      greeting: \${{ steps.g.outputs.text }}
    steps:
      - id: g
        run: echo "text=hello from a" >> "$GITHUB_OUTPUT"
  b:
    needs: a
    runs-on: x
    steps:
      - run: echo "b got \${{ needs.a.outputs.greeting }} result=\${{ needs.a.result }}"
  skipped:
    needs: a
    if: github.ref == 'refs/heads/nope'
    runs-on: x
    steps: [{ run: 'true' }]
  after-skipped:
    needs: skipped
    runs-on: x
    steps: [{ run: echo should-not-run }]
  always-after-skipped:
    needs: skipped
    if: always()
    runs-on: x
    steps:
      - run: echo "ran; skipped result=\${{ needs.skipped.result }}"
`);
    expect(run.report.status).toBe('success');
    expect(run.log('b')).toContain('b got hello from a result=success');
    expect(run.job('a').outputs).toEqual({ greeting: 'hello from a' });
    expect(run.job('skipped').status).toBe('skipped');
    expect(run.job('after-skipped').status).toBe('skipped');
    expect(run.job('always-after-skipped').status).toBe('success');
    expect(run.log('always-after-skipped')).toContain('ran; skipped result=skipped');
  });

  it('runs failure() jobs only when an ancestor failed', async () => {
    const run = await runWorkflow(`on: push
jobs:
  a: { runs-on: x, steps: [{ run: exit 1 }] }
  b: { needs: a, runs-on: x, steps: [{ run: 'true' }] }
  c: { needs: b, if: failure(), runs-on: x, steps: [{ run: echo cleanup }] }
  d: { needs: b, if: success(), runs-on: x, steps: [{ run: 'true' }] }
`);
    expect(run.report.status).toBe('failure');
    expect(run.job('b').status).toBe('skipped');
    expect(run.job('c').status).toBe('success');
    expect(run.job('d').status).toBe('skipped');
  });

  it('starts a job as soon as its own needs are done (ready queue, not levels)', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  fast: { runs-on: x, steps: [{ run: 'true' }] }
  slow: { runs-on: x, steps: [{ run: sleep 2 }] }
  after-fast: { needs: fast, runs-on: x, steps: [{ run: 'true' }] }
`,
      { parallel: 3 },
    );
    const order = run.events
      .filter((e) => e.type === 'job-start' || e.type === 'job-end')
      .map((e) => `${e.type}:${e.job.split('/').pop()}`);
    expect(order.indexOf('job-start:after-fast')).toBeLessThan(order.indexOf('job-end:slow'));
  });

  it('expands a matrix with include/exclude and names legs like GitHub', async () => {
    const run = await runWorkflow(`on: push
jobs:
  test:
    runs-on: x
    strategy:
      matrix:
        os: [linux, mac]
        py: ['3.10', '3.11']
        exclude: [{ os: mac, py: '3.10' }]
        include: [{ os: linux, py: '3.11', extra: yes }]
    steps:
      - run: echo "leg \${{ matrix.os }} \${{ matrix.py }} extra=\${{ matrix.extra }} index=\${{ strategy.job-index }}/\${{ strategy.job-total }}"
`);
    const names = run.report.workflows[0]?.jobs.map((j) => j.name);
    expect(names).toEqual(['test (linux, 3.10)', 'test (linux, 3.11)', 'test (mac, 3.11)']);
    expect(run.log('test (linux, 3.11)')).toContain('leg linux 3.11 extra=yes index=1/3');
  });

  it('fail-fast cancels running siblings; fail-fast false lets them finish', async () => {
    const workflow = (failFast: boolean) => `on: push
jobs:
  m:
    runs-on: x
    strategy:
      fail-fast: ${failFast}
      matrix: { n: [fail, slow] }
    steps:
      - run: if [ "\${{ matrix.n }}" = fail ]; then sleep 0.5; exit 1; else sleep 4; fi
`;
    const fast = await runWorkflow(workflow(true), { parallel: 2 });
    expect(fast.job('m (fail)').status).toBe('failure');
    expect(fast.job('m (slow)').status).toBe('cancelled');
    expect(fast.job('m (slow)').durationMs).toBeLessThan(3500);
    const slow = await runWorkflow(workflow(false), { parallel: 2 });
    expect(slow.job('m (slow)').status).toBe('success');
  });

  it('respects max-parallel and --parallel', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  m:
    runs-on: x
    strategy:
      max-parallel: 1
      matrix: { n: [1, 2, 3] }
    steps: [{ run: sleep 0.3 }]
`,
      { parallel: 4 },
    );
    let active = 0;
    let peak = 0;
    for (const e of run.events) {
      if (e.type === 'job-start') peak = Math.max(peak, ++active);
      if (e.type === 'job-end') active--;
    }
    expect(peak).toBe(1);
  });

  it('merges matrix outputs with the last leg to finish winning', async () => {
    const run = await runWorkflow(`on: push
jobs:
  m:
    runs-on: x
    strategy:
      max-parallel: 1
      matrix: { n: [long, short] }
    outputs:
      who: \${{ steps.o.outputs.who }}
    steps:
      - id: o
        run: |
          if [ "\${{ matrix.n }}" = long ]; then sleep 0.5; fi
          echo "who=\${{ matrix.n }}" >> "$GITHUB_OUTPUT"
  after:
    needs: m
    runs-on: x
    steps:
      - run: echo "winner=\${{ needs.m.outputs.who }}"
`);
    expect(run.log('after')).toContain('winner=short');
  });

  it('job continue-on-error keeps the workflow successful', async () => {
    const run = await runWorkflow(`on: push
jobs:
  flaky: { runs-on: x, continue-on-error: true, steps: [{ run: exit 1 }] }
  next: { needs: flaky, runs-on: x, steps: [{ run: 'true' }] }
`);
    expect(run.job('flaky').status).toBe('failure');
    expect(run.job('next').status).toBe('success');
    expect(run.report.status).toBe('success');
  });

  it('serialises a concurrency group and cancels an older pending member', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  one: { runs-on: x, concurrency: deploy, steps: [{ run: sleep 1 }] }
  two: { runs-on: x, concurrency: Deploy, steps: [{ run: 'true' }] }
  three: { runs-on: x, concurrency: DEPLOY, steps: [{ run: 'true' }] }
`,
      { parallel: 3 },
    );
    const statuses = ['one', 'two', 'three'].map((j) => run.job(j).status);
    expect(statuses.filter((s) => s === 'cancelled')).toHaveLength(1);
    expect(run.job('one').status).toBe('success');
  });

  it('cancel-in-progress cancels the running job of the group and starts the new one', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  old: { runs-on: x, concurrency: deploy, steps: [{ run: sleep 30 }] }
  gate: { runs-on: x, steps: [{ run: sleep 0.3 }] }
  new:
    needs: gate
    runs-on: x
    concurrency: { group: deploy, cancel-in-progress: true }
    steps: [{ run: sleep 0.5 }]
`,
      { parallel: 3 },
    );
    expect(run.job('old').status).toBe('cancelled');
    expect(run.job('new').status).toBe('success');
  });

  it('fails container jobs and services with a clear unsupported error', async () => {
    const run = await runWorkflow(`on: push
jobs:
  c: { runs-on: x, container: node:20, steps: [{ run: 'true' }] }
`);
    expect(run.job('c').status).toBe('failure');
    expect(run.job('c').reason).toContain('GANTRY_UNSUPPORTED');
  });

  it('runs only the selected job and what it needs', async () => {
    const run = await runWorkflow(
      `on: push
jobs:
  a: { runs-on: x, steps: [{ run: 'true' }] }
  b: { needs: a, runs-on: x, steps: [{ run: 'true' }] }
  c: { runs-on: x, steps: [{ run: 'true' }] }
`,
      { jobs: ['b'] },
    );
    expect(run.report.workflows[0]?.jobs.map((j) => j.id).sort()).toEqual(['a', 'b']);
  });
});
