import { describe, expect, it } from 'vitest';
import { parseWorkflowSource } from '../../src/workflow/parse.js';

const valid = `name: CI
on: [push]
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 0.5
    steps:
      - id: hello
        run: echo hi
        shell: bash
        working-directory: sub
        timeout-minutes: 1
      - uses: actions/checkout@v4
        with:
          path: x
  test:
    needs: build
    if: github.ref == 'refs/heads/main'
    runs-on: ubuntu-latest
    steps:
      - run: echo test
`;

describe('parseWorkflowSource', () => {
  it('reads jobs, steps and the keys GitHub converter does not model', async () => {
    const result = await parseWorkflowSource('.github/workflows/ci.yml', valid);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { workflow } = result;
    expect(workflow.name).toBe('CI');
    expect(workflow.jobs.map((j) => j.id)).toEqual(['build', 'test']);
    const [build, test] = workflow.jobs;
    expect(String(build?.timeoutMinutes)).toBe('0.5');
    expect(build?.steps.map((s) => s.id)).toEqual(['hello', '__actions_checkout']);
    expect(build?.steps[0]?.userId).toBe(true);
    expect(build?.steps[1]?.userId).toBe(false);
    expect(String(build?.steps[0]?.shell)).toBe('bash');
    expect(String(build?.steps[0]?.workingDirectory)).toBe('sub');
    expect(build?.steps[1]?.uses).toBe('actions/checkout@v4');
    expect(test?.needs).toEqual(['build']);
    expect(test?.if).toBe("success() && (github.ref == 'refs/heads/main')");
  });

  it('reports every problem at once with line and column', async () => {
    const source = `on: push
jobs:
  a:
    runs-on: x
    needs: [nope]
    steps:
      - run: echo \${{ github.ref == }}
  b:
    steps: not a list
`;
    const result = await parseWorkflowSource('w.yml', source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const messages = result.problems.map((p) => `${p.line}:${p.col} ${p.message}`);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expect(messages.some((m) => m.includes("unknown job 'nope'"))).toBe(true);
    expect(result.problems.every((p) => p.file === 'w.yml')).toBe(true);
    expect(result.problems.find((p) => p.message.includes('nope'))?.snippet).toContain(
      'needs: [nope]',
    );
  });

  it('detects needs cycles', async () => {
    const source = `on: push
jobs:
  r: { runs-on: x, steps: [{run: 'true'}] }
  a: { runs-on: x, needs: [r, b], steps: [{run: 'true'}] }
  b: { runs-on: x, needs: a, steps: [{run: 'true'}] }
`;
    const result = await parseWorkflowSource('w.yml', source);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.some((p) => p.message.includes('cycle'))).toBe(true);
  });

  it('reports invalid YAML with a position', async () => {
    const result = await parseWorkflowSource('w.yml', 'on: push\njobs:\n  a: [unclosed\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.line).toBe(4);
    expect(result.problems[0]?.message).toMatch(/^invalid YAML: /);
  });
});
