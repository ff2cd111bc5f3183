import { execFileSync, spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRepo } from '../helpers/repo.js';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');
const gantry = (cwd: string, ...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', NO_COLOR: '1', GITHUB_ACTIONS: '' },
  });

const workflow = `name: CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      v: \${{ steps.v.outputs.v }}
    steps:
      - id: v
        run: echo "v=1.2.3" >> "$GITHUB_OUTPUT"
  test:
    needs: build
    runs-on: ubuntu-latest
    strategy:
      matrix:
        n: [1, 2]
    steps:
      - run: echo "testing \${{ matrix.n }} of \${{ needs.build.outputs.v }} with $TOKEN"
        env:
          TOKEN: \${{ secrets.TOKEN }}
`;

describe('gantry CLI', () => {
  it('prints its version without loading the workflow machinery', () => {
    const result = gantry(process.cwd(), '--version');
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('rejects unknown commands and flags with GANTRY_USAGE and exit code 2', () => {
    expect(gantry(process.cwd(), 'explode').status).toBe(2);
    const repo = createRepo({ '.github/workflows/ci.yml': workflow });
    const result = gantry(repo, 'run', '--no-such-flag');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('[GANTRY_USAGE]');
  });

  it('runs a workflow, writes a masked JSON report, and records it for runs/logs', () => {
    const repo = createRepo({ '.github/workflows/ci.yml': workflow });
    const result = gantry(repo, 'run', '--secret', 'TOKEN=tok-123456789', '--json', 'report.json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('testing 1 of 1.2.3 with ***');
    expect(result.stdout).not.toContain('tok-123456789');
    expect(result.stdout).toMatch(/Run succeeded — 1 workflow, 3 jobs: 3 succeeded/);
    const report = JSON.parse(
      execFileSync('cat', ['report.json'], { cwd: repo, encoding: 'utf8' }),
    );
    expect(report.status).toBe('success');
    expect(report.workflows[0].jobs.map((j: { name: string }) => j.name)).toEqual([
      'build',
      'test (1)',
      'test (2)',
    ]);
    expect(report.workflows[0].jobs[0].outputs).toEqual({ v: '1.2.3' });
    expect(report.workflows[0].jobs[1].steps[0]).toMatchObject({ status: 'success', exitCode: 0 });
    const runs = gantry(repo, 'runs');
    expect(runs.stdout).toMatch(/#1\s+success\s+push refs\/heads\/main/);
    const logs = gantry(repo, 'logs', '1', 'test (2)');
    expect(logs.status).toBe(0);
    expect(logs.stdout).toContain('testing 2 of 1.2.3 with ***');
    expect(gantry(repo, 'logs', '99').stderr).toContain('[GANTRY_RUN_NOT_FOUND]');
  });

  it('exits 1 with the first failure and its log tail', () => {
    const repo = createRepo({
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  bad:\n    runs-on: x\n    steps:\n      - run: |\n          echo "about to fail"\n          exit 7\n',
    });
    const result = gantry(repo, 'run');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('First failure: .github/workflows/ci.yml › bad');
    expect(result.stdout).toContain('│ about to fail');
    expect(result.stdout).toContain('exit code 7');
  });

  it('reports every configuration problem with file:line:column and exit code 2', () => {
    const repo = createRepo({
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  root:\n    runs-on: x\n    steps: [{ run: "true" }]\n  a:\n    runs-on: x\n    needs: [root, ghost]\n    steps:\n      - run: echo ${{ github.ref == }}\n',
    });
    const result = gantry(repo, 'run');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('[GANTRY_CONFIG_INVALID]');
    expect(result.stderr).toMatch(/\.github\/workflows\/ci\.yml:8:\d+: .*ghost/);
    expect(result.stderr).toMatch(/ci\.yml:10:\d+: Unexpected end of expression/);
    expect(result.stderr).toContain('Nothing was run.');
  });

  it('shows a plan: triggered workflows, needs, matrix legs, and why others do not run', () => {
    const repo = createRepo({
      '.github/workflows/ci.yml': workflow,
      '.github/workflows/tags.yml':
        'on:\n  push:\n    tags: ["v*"]\njobs:\n  t: { runs-on: x, steps: [{ run: "true" }] }\n',
    });
    const result = gantry(repo, 'run', '--plan');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('● CI (.github/workflows/ci.yml)');
    expect(result.stdout).toContain('test needs: build');
    expect(result.stdout).toContain('- test (2)');
    expect(result.stdout).toMatch(/○ .*tags\.yml.*not triggered/);
    const json = gantry(repo, 'run', '--plan', '--json', '-');
    expect(JSON.parse(json.stdout).workflows[0].jobs[1].legs).toEqual(['test (1)', 'test (2)']);
  });

  it("cancels on SIGINT with GitHub's sequence and leaves no step process behind", async () => {
    const repo = createRepo({
      '.github/workflows/ci.yml':
        'on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - run: echo started; sleep 59.123\n',
    });
    const child = spawn(process.execPath, [bin, 'run'], {
      cwd: repo,
      env: { ...process.env, CI: 'true' },
    });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('started')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(out).toContain('Run cancelled');
    const left = spawnSync('pgrep', ['-f', 'sleep 59.123'], { encoding: 'utf8' }).stdout.trim();
    expect(left).toBe('');
  });
});
