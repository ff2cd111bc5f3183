import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, mergeModels, readReport } from '../../src/reports/index.js';
import { fixturePath } from './helpers.js';

/**
 * Runs the real Python tools on test/reports/fixtures/sample-py (one passing and one failing
 * test, one Bandit finding, one ruff issue) and reads their fresh output. The tools are not
 * optional: a missing one fails the suite with the command that installs it, so a CI that
 * lacks them is red, never silently green. GANTRY_PYTHON picks the interpreter.
 */
const python = process.env['GANTRY_PYTHON'] ?? 'python3';
const pins =
  'pytest==9.2.0 coverage==7.17.3 ruff==0.17.6 bandit==1.9.4 bandit-sarif-formatter==1.1.1';
/** Each package and how to tell it is there (`bandit -f sarif` needs sarif-om and friends). */
const packages: [string, string[]][] = [
  ['pytest', ['-m', 'pytest', '--version']],
  ['coverage', ['-m', 'coverage', '--version']],
  ['ruff', ['-m', 'ruff', '--version']],
  ['bandit', ['-m', 'bandit', '--version']],
  ['bandit-sarif-formatter', ['-c', 'import sarif_om, jschema_to_python']],
];

/** `python -m <args>` in `cwd`; `expected` is the exit code the tool must give. */
function tool(cwd: string, expected: number, ...args: string[]): string {
  const result = spawnSync(python, ['-m', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', NO_COLOR: '1' },
  });
  if (result.status !== expected) {
    throw new Error(
      `${python} -m ${args.join(' ')} exited ${String(result.status)} (expected ${expected})\n` +
        `${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/** Copies the sample to a temp dir and runs every tool there; returns the dir. */
function generate(): string {
  const missing = packages
    .filter(([, probe]) => spawnSync(python, probe, { encoding: 'utf8' }).status !== 0)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new Error(
      `the real-tools report tests need ${missing.join(', ')} for ${python}; install them with ` +
        `\`${python} -m pip install --user ${pins}\` (or point GANTRY_PYTHON at an interpreter that has them)`,
    );
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-real-tools-'));
  cpSync(fixturePath('sample-py'), dir, { recursive: true });
  // pytest exits 1 for the failing test, ruff and bandit exit 1 because they found something.
  tool(
    dir,
    1,
    'coverage',
    'run',
    '--branch',
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:cacheprovider',
    '--junitxml=junit.xml',
  );
  tool(dir, 0, 'coverage', 'json', '-o', 'coverage.json');
  tool(dir, 0, 'coverage', 'xml', '-o', 'coverage.xml');
  tool(dir, 0, 'coverage', 'lcov', '-o', 'coverage.lcov');
  const sarif = tool(
    dir,
    1,
    'ruff',
    'check',
    '--isolated',
    '--no-cache',
    '--output-format',
    'sarif',
    '.',
  );
  writeFileSync(path.join(dir, 'ruff.sarif'), sarif);
  tool(dir, 1, 'bandit', '-q', '-f', 'json', '-o', 'bandit.json', 'calc.py');
  tool(dir, 1, 'bandit', '-q', '-f', 'sarif', '-o', 'bandit.sarif', 'calc.py');
  return dir;
}

let outcome: { dir: string } | { error: unknown } | undefined;

/**
 * The tools run once, on first use. Every test calls this rather than a beforeAll hook, so a
 * missing tool fails each test with the message above instead of marking them skipped.
 */
function runTools(): string {
  if (outcome === undefined) {
    try {
      outcome = { dir: generate() };
    } catch (error) {
      outcome = { error };
    }
  }
  if ('error' in outcome) throw outcome.error;
  return outcome.dir;
}

const report = (format: string, name: string) => readReport(format, path.join(runTools(), name));

describe('reports from the real tools, freshly run', () => {
  it('pytest --junitxml: one passed, one failed', () => {
    const { tests } = report('junit', 'junit.xml');
    expect(tests).toMatchObject({ total: 2, passed: 1, failed: 1, errors: 0, skipped: 0 });
    expect(tests?.cases.map((c) => [c.suite, c.name, c.status])).toEqual([
      ['test_calc', 'test_add', 'passed'],
      ['test_calc', 'test_evaluate_is_wrong_on_purpose', 'failed'],
    ]);
    expect(tests?.cases[1]?.message).toBe('AssertionError: assert 6 == 7');
  });

  it('coverage.py json, xml and lcov: 11 of 14 statements, 0 of 2 branches', () => {
    const json = report('coveragepy', 'coverage.json').coverage;
    expect(json?.lines).toEqual({ covered: 11, total: 14 });
    expect(json?.branches).toEqual({ covered: 0, total: 2 });
    expect(json?.files.find((f) => f.path === 'calc.py')?.lines).toEqual({ covered: 6, total: 9 });
    const xml = report('cobertura', 'coverage.xml').coverage;
    const work = runTools();
    expect(xml?.files.map((f) => f.path)).toEqual([
      `${work}/calc.py`.replaceAll('\\', '/'),
      `${work}/test_calc.py`.replaceAll('\\', '/'),
    ]);
    const lcov = report('lcov', 'coverage.lcov').coverage;
    expect([xml?.lines, xml?.branches, lcov?.lines, lcov?.branches]).toEqual([
      json?.lines,
      json?.branches,
      json?.lines,
      json?.branches,
    ]);
  });

  it('ruff SARIF: the one unused import', () => {
    const { findings } = report('sarif', 'ruff.sarif');
    expect(findings).toHaveLength(1);
    expect(findings?.[0]).toMatchObject({ tool: 'ruff', rule: 'F401', line: 3, column: 8 });
    expect(findings?.[0]?.file?.endsWith('/calc.py')).toBe(true);
  });

  it('bandit JSON and SARIF: the one eval, medium', () => {
    const expected = {
      kind: 'code',
      tool: 'bandit',
      rule: 'B307',
      severity: 'medium',
      file: 'calc.py',
      line: 12,
    };
    expect(report('bandit', 'bandit.json').findings).toEqual([
      { ...expected, message: expect.any(String), column: 12 },
    ]);
    expect(report('sarif', 'bandit.sarif').findings).toEqual([
      { ...expected, message: expect.any(String) },
    ]);
  });

  it('every fresh report is detected by its content, and they merge into one model', () => {
    const files: [string, string][] = [
      ['junit.xml', 'junit'],
      ['coverage.json', 'coveragepy'],
      ['coverage.xml', 'cobertura'],
      ['coverage.lcov', 'lcov'],
      ['ruff.sarif', 'sarif'],
      ['bandit.json', 'bandit'],
      ['bandit.sarif', 'sarif'],
    ];
    const parts = files.map(([name, format]) => {
      expect(detectFormat(readFileSync(path.join(runTools(), name), 'utf8'), 'report')).toBe(
        format,
      );
      return report(format, name);
    });
    const model = mergeModels([parts[0]!, parts[1]!, parts[4]!, parts[5]!]);
    expect(model.tests?.total).toBe(2);
    expect(model.coverage?.lines).toEqual({ covered: 11, total: 14 });
    expect(model.findings.map((f) => `${f.tool}:${f.rule}`)).toEqual(['ruff:F401', 'bandit:B307']);
  });
});
