// The bundled example's pipeline is part of the suite: it passes as shipped, and each fault a
// team fears makes the right gate fail with a message that says what is wrong. Everything is
// real: uv, npm, pytest, Ruff, mypy, Bandit, Vitest, PostgreSQL and Redis started natively.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, git, writeFiles } from '../helpers/repo.js';

const root = path.resolve(import.meta.dirname, '../../../..');
const example = path.join(root, 'examples', 'polyglot-monorepo');
const bin = process.env['GANTRY_BIN'] ?? path.join(root, 'packages/gantry/dist/bin/gantry.mjs');
const generated = new Set(['node_modules', '.venv', 'dist', 'coverage', 'reports', '.gantry']);

interface StepReport {
  name: string;
  status: string;
}
interface JobReport {
  id: string;
  status: string;
  steps: StepReport[];
}
interface RunReport {
  status: string;
  workflows: { file: string; triggered: boolean; status: string; jobs: JobReport[] }[];
}
interface PipelineRun {
  code: number | null;
  output: string;
  report: RunReport;
}

let repo: string;
let env: NodeJS.ProcessEnv;
let pr = 1;

/** Runs the example's workflows for a pull request from `branch` into main. */
function runPullRequest(
  branch: string,
  workflows: string[],
  extraEnv: Record<string, string> = {},
): Promise<PipelineRun> {
  const json = path.join(repo, `.gantry-report-${pr}.json`);
  const args = [bin, 'run', '--pr', String(pr++), '--base', 'main', '--json', json];
  for (const file of workflows) args.push('-W', `.github/workflows/${file}`);
  git(repo, 'checkout', '-q', branch);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: repo,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      git(repo, 'checkout', '-q', 'main');
      try {
        const report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
        resolve({ code, output, report });
      } catch (error) {
        reject(
          new Error(`no run report (exit ${code}):\n${output.slice(-4000)}`, { cause: error }),
        );
      }
    });
  });
}

/** A branch from main with the fault applied and committed. */
function faultBranch(name: string, apply: () => void): string {
  git(repo, 'checkout', '-q', '-B', name, 'main');
  apply();
  commitAll(repo, `fault: ${name}`);
  git(repo, 'checkout', '-q', 'main');
  return name;
}

function job(run: PipelineRun, id: string): JobReport {
  const found = run.report.workflows.flatMap((w) => w.jobs).find((j) => j.id === id);
  if (!found) throw new Error(`job ${id} did not run:\n${run.output.slice(-3000)}`);
  return found;
}

/** The failed steps of a job; on a mismatch the test shows the run's output. */
function expectFailedSteps(run: PipelineRun, id: string, steps: string[]): void {
  const failed = job(run, id)
    .steps.filter((s) => s.status === 'failure')
    .map((s) => s.name);
  expect(failed, run.output.slice(-6000)).toEqual(steps);
}

beforeAll(() => {
  for (const [tool, hint] of [
    ['uv', 'pip install uv (.ci/run and npm run demo install it)'],
    ['initdb', 'apt-get install postgresql'],
  ] as const) {
    const found =
      tool === 'initdb'
        ? spawnOk('sh', ['-c', 'command -v initdb || ls /usr/lib/postgresql/*/bin/initdb'])
        : spawnOk(tool, ['--version']);
    if (!found) throw new Error(`the example pipeline needs ${tool}: ${hint}`);
  }
  const shims = mkdtempSync(path.join(os.tmpdir(), 'gantry-example-bin-'));
  writeFileSync(
    path.join(shims, 'gantry'),
    `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`,
  );
  chmodSync(path.join(shims, 'gantry'), 0o755);
  env = { ...process.env, PATH: `${shims}${path.delimiter}${process.env['PATH'] ?? ''}` };
  for (const name of Object.keys(env)) {
    if (name.startsWith('GITHUB_') || name === 'GANTRY_OSV_DB') delete env[name];
  }
  env['GANTRY_OSV_DB'] = path.join(root, 'scripts', 'demo-osv');

  repo = mkdtempSync(path.join(os.tmpdir(), 'gantry-example-'));
  cpSync(example, repo, {
    recursive: true,
    filter: (source) => !generated.has(path.basename(source)),
  });
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'config', 'user.name', 'A New User');
  git(repo, 'config', 'user.email', 'new.user@example.com');
  git(repo, 'config', 'commit.gpgsign', 'false');
  commitAll(repo, 'The example as shipped');
});

afterAll(() => {
  if (repo) rmSync(repo, { recursive: true, force: true });
});

function spawnOk(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the bundled example pipeline', { timeout: 300_000 }, () => {
  it('passes as shipped: a pull request touching every part runs every workflow but docs', async () => {
    const branch = faultBranch('feature/touch-everything', () => {
      writeFiles(repo, { 'backend/app/notes.py': '"""Discount notes."""\n\nMAX_DISCOUNT = 100\n' });
      for (const file of ['frontend/src/config.ts', 'contracts/lib/schemas.mjs']) {
        const target = path.join(repo, file);
        writeFileSync(target, `${readFileSync(target, 'utf8').trimEnd()}\n// touched\n`);
      }
    });
    const run = await runPullRequest(branch, []);
    expect(run.report.status, run.output.slice(-4000)).toBe('success');
    const triggered = run.report.workflows.filter((w) => w.triggered).map((w) => w.file);
    expect(triggered.sort()).toEqual(
      [
        'backend-ci.yml',
        'contracts.yml',
        'frontend-ci.yml',
        'integration-tests.yml',
        'security.yml',
      ].map((f) => `.github/workflows/${f}`),
    );
    for (const id of ['backend', 'frontend', 'integration', 'contracts', 'secrets']) {
      expect(job(run, id).status).toBe('success');
    }
    expect(run.output).toMatch(/coverage\.lines >= 80\s+required\s+\d+(\.\d+)?\s+>= 80\s+pass/);
    expect(run.output).toMatch(/findings\.medium_plus == 0\s+required\s+0\s+== 0\s+pass/);
    expect(run.output).toContain('Migrations and API on PostgreSQL and Redis');
  });

  it('a failing unit test fails the backend gate', async () => {
    const branch = faultBranch('fault/failing-test', () =>
      writeFiles(repo, {
        'backend/tests/unit/test_fault.py':
          '"""A regression."""\n\n\ndef test_total_of_two_items() -> None:\n    assert 1 + 1 == 3\n',
      }),
    );
    const run = await runPullRequest(branch, ['backend-ci.yml']);
    expect(run.code).toBe(1);
    expectFailedSteps(run, 'backend', [
      'Lint, type check, tests with coverage',
      'Gate: no failing test, coverage >= 80 %',
    ]);
    expect(run.output).toMatch(/tests\.failed == 0\s+required\s+1\s+== 0\s+FAIL/);
    expect(run.output).toContain('test_total_of_two_items');
  });

  it('coverage below 80 % fails the backend gate', async () => {
    const branch = faultBranch('fault/coverage', () => {
      const functions = Array.from(
        { length: 40 },
        (_, i) =>
          `def bucket_${i}(value: int) -> int:\n    total = value * ${i + 2}\n    total += ${i}\n    if total > ${i * 10}:\n        total -= 1\n    return total\n`,
      );
      writeFiles(repo, {
        'backend/app/reporting.py': `"""Monthly reporting, not tested yet."""\n\n\n${functions.join('\n\n')}`,
      });
    });
    const run = await runPullRequest(branch, ['backend-ci.yml']);
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/coverage\.lines >= 80\s+required\s+[67]\d(\.\d+)?\s+>= 80\s+FAIL/);
    expect(run.output).toMatch(/[67]\d(\.\d+)? is not >= 80/);
    expect(run.output).toMatch(/tests\.failed == 0\s+required\s+0\s+== 0\s+pass/);
  });

  it('a Bandit medium finding fails the security gate', async () => {
    const branch = faultBranch('fault/bandit', () =>
      writeFiles(repo, {
        'backend/app/bind.py': '"""Where the admin server listens."""\n\nADMIN_HOST = "0.0.0.0"\n',
      }),
    );
    const run = await runPullRequest(branch, ['security.yml']);
    expect(run.code).toBe(1);
    expectFailedSteps(run, 'sast-and-dependencies', [
      'Gate: no medium+ Bandit finding, no fixable critical or high vulnerability',
    ]);
    expect(run.output).toMatch(/findings\.medium_plus == 0\s+required\s+1\s+== 0\s+FAIL/);
    expect(run.output).toContain('B104');
  });

  it('a planted secret fails the secrets scan without printing it', async () => {
    const key = ['AKIA', 'QYLPMN5HFIQR7BXZ'].join('');
    const secret = ['wJalrXUtnFEMI', 'K7MDENGbPxRfiCYzQ9aB3dLm'].join('/');
    const branch = faultBranch('fault/secret', () =>
      writeFiles(repo, {
        'backend/app/aws.py': `"""Upload settings."""\n\nAWS_ACCESS_KEY_ID = "${key}"\nAWS_SECRET_ACCESS_KEY = "${secret}"\n`,
      }),
    );
    const run = await runPullRequest(branch, ['security.yml']);
    expect(run.code).toBe(1);
    expect(job(run, 'secrets').status).toBe('failure');
    expect(run.output).toContain('backend/app/aws.py');
    expect(run.output).toMatch(/aws-access-token/);
    expect(run.output).not.toContain(key);
    expect(run.output).not.toContain(secret);
  });

  it('a vulnerable pinned dependency fails the security gate', async () => {
    const lock = readFileSync(path.join(repo, 'backend/uv.lock'), 'utf8');
    const pinned = /\[\[package\]\]\nname = "starlette"\nversion = "([^"]+)"/.exec(lock)?.[1];
    expect(pinned).toBeDefined();
    const osv = mkdtempSync(path.join(os.tmpdir(), 'gantry-example-osv-'));
    writeFileSync(
      path.join(osv, 'GHSA-test-star-lett.json'),
      JSON.stringify({
        schema_version: '1.6.0',
        id: 'GHSA-test-star-lett',
        modified: '2026-11-01T00:00:00Z',
        summary: 'Starlette multipart parser exhausts memory (a test record)',
        affected: [
          {
            package: { ecosystem: 'PyPI', name: 'starlette' },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '999.0.0' }] }],
          },
        ],
        database_specific: { severity: 'HIGH' },
      }),
    );
    const branch = faultBranch('fault/vulnerable-dependency', () =>
      writeFiles(repo, { 'backend/VULNERABILITIES.md': `starlette ${pinned} is pinned\n` }),
    );
    const run = await runPullRequest(branch, ['security.yml'], { GANTRY_OSV_DB: osv });
    rmSync(osv, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/vulns\.fixable\.high_plus == 0\s+required\s+1\s+== 0\s+FAIL/);
    expect(run.output).toContain('GHSA-test-star-lett');
  });

  it('a broken migration fails the integration workflow at the migration step', async () => {
    const branch = faultBranch('fault/migration', () =>
      writeFiles(repo, {
        'backend/migrations/versions/0002_discounts.py': [
          '"""discounts on orders',
          '',
          'Revision ID: 0002',
          'Revises: 0001',
          '"""',
          '',
          'from alembic import op',
          '',
          'revision: str = "0002"',
          'down_revision: str | None = "0001"',
          'branch_labels = None',
          'depends_on = None',
          '',
          '',
          'def upgrade() -> None:',
          '    op.execute("ALTER TABLE order_discounts ADD COLUMN percent integer")',
          '',
          '',
          'def downgrade() -> None:',
          '    op.execute("ALTER TABLE order_discounts DROP COLUMN percent")',
          '',
        ].join('\n'),
      }),
    );
    const run = await runPullRequest(branch, ['integration-tests.yml']);
    expect(run.code).toBe(1);
    // The gate after it fails too: the integration tests' report was never written.
    expectFailedSteps(run, 'integration', [
      'Alembic migrations (upgrade head)',
      'Gate: no failing integration test',
    ]);
    expect(run.output).toContain('backend/reports/junit-integration.xml does not exist');
    expect(run.output).toContain('relation "order_discounts" does not exist');
    // The tests never ran against a half-migrated database.
    expect(
      job(run, 'integration').steps.find((s) => s.name.startsWith('Integration'))?.status,
    ).toBe('skipped');
  });

  it('a breaking change to an event schema fails the contract check', async () => {
    const branch = faultBranch('fault/schema', () => {
      // `from` no longer required: consumers that read it break on events without it.
      const file = path.join(repo, 'contracts/schemas/order.status_changed.v1.json');
      const schema = readFileSync(file, 'utf8');
      writeFileSync(file, schema.replace('["order_id", "from", "to"]', '["order_id", "to"]'));
    });
    const run = await runPullRequest(branch, ['contracts.yml']);
    expect(run.code).toBe(1);
    expectFailedSteps(run, 'contracts', ['No breaking change to an event schema']);
    expect(run.output).toContain(
      'BREAKING  data.from: required field made optional (consumers rely on it)',
    );
  });
});
