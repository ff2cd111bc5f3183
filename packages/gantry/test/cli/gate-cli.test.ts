import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin =
  process.env['GANTRY_BIN'] ?? path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');

const junit = (failures: number) => `<?xml version="1.0" encoding="utf-8"?>
<testsuites><testsuite name="pytest" errors="0" failures="${failures}" skipped="0" tests="3" time="0.1">
<testcase classname="tests.test_app" name="test_a" time="0.01"/>
<testcase classname="tests.test_app" name="test_b" time="0.01"/>
<testcase classname="tests.test_app" name="test_c" time="0.01">${failures > 0 ? '<failure message="assert 1 == 2">boom</failure>' : ''}</testcase>
</testsuite></testsuites>
`;
const lcov = (hit: number) =>
  `TN:\nSF:src/app.ts\n${Array.from({ length: 10 }, (_, i) => `DA:${i + 1},${i < hit ? 1 : 0}`).join('\n')}\nLF:10\nLH:${hit}\nend_of_record\n`;

/** A repository on `main` with reports; `gate(...)` runs the real CLI in it. */
function repository() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-gate-'));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
  git('init', '-q', '-b', 'main');
  writeFileSync(path.join(dir, 'README.md'), '# app\n');
  git('add', '.');
  git('-c', 'user.name=a', '-c', 'user.email=a@b', 'commit', '-qm', 'init');
  const write = (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
  };
  const gate = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [bin, 'gate', ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GITHUB_STEP_SUMMARY: '', ...env },
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  return { dir, write, gate };
}

describe('gantry gate', () => {
  it('passes and fails on real reports with the exit code, table and step summary', () => {
    const repo = repository();
    repo.write({ 'backend/junit.xml': junit(0), 'frontend/lcov.info': lcov(9) });
    const summary = path.join(repo.dir, 'summary.md');
    writeFileSync(summary, '');
    const pass = repo.gate(
      [
        '--report',
        'junit:backend/junit.xml',
        '--report',
        'frontend/lcov.info',
        '--require',
        'tests.failed == 0',
        '--require',
        'coverage.lines >= 80',
      ],
      { GITHUB_STEP_SUMMARY: summary },
    );
    expect(pass.code).toBe(0);
    expect(pass.out).toContain('gate passed');
    expect(readFileSync(summary, 'utf8')).toContain('### Quality gate: passed');

    repo.write({ 'backend/junit.xml': junit(1) });
    const fail = repo.gate([
      '--report',
      'junit:backend/junit.xml',
      '--require',
      'tests.failed == 0',
      '--json',
      'gate.json',
    ]);
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/tests\.failed == 0\s+required\s+1\s+== 0\s+FAIL/);
    expect(JSON.parse(readFileSync(path.join(repo.dir, 'gate.json'), 'utf8'))).toMatchObject({
      passed: false,
    });
  });

  it('compares coverage with the last passing gate on the default branch', () => {
    const repo = repository();
    repo.write({ 'lcov.info': lcov(9) });
    const rules = ['--report', 'lcov:lcov.info', '--require', 'coverage.lines.delta >= -15'];
    const first = repo.gate(rules);
    expect(first.code).toBe(0);
    expect(first.out).toContain('n/a');
    repo.write({ 'lcov.info': lcov(8) });
    expect(repo.gate(rules).code).toBe(0);
    repo.write({ 'lcov.info': lcov(2) });
    const dropped = repo.gate(rules);
    expect(dropped.code).toBe(1);
    expect(dropped.out).toContain('-60 is not >= -15');
  });

  it('fails when an expected report is missing, and reports a malformed one by name', () => {
    const repo = repository();
    const missing = repo.gate([
      '--report',
      'junit:backend/junit.xml',
      '--require',
      'tests.failed == 0',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain('GANTRY_REPORT_MISSING');
    repo.write({ 'junit.xml': '<testsuites><testsuite name="x" tests="1">' });
    const malformed = repo.gate(['--report', 'junit:junit.xml']);
    expect(malformed.code).not.toBe(0);
    expect(malformed.err).toContain('junit.xml');
    expect(malformed.err).toContain('GANTRY_REPORT_INVALID');
    const badRule = repo.gate(['--require', 'coverage.lines =< 80']);
    expect(badRule.code).toBe(2);
    expect(badRule.err).toContain('GANTRY_GATE_EXPRESSION_INVALID');
  });

  it('reads the policy from gantry.yml and reports its problems with lines', () => {
    const repo = repository();
    repo.write({
      'gantry.yml':
        "gates:\n  reports: ['lcov:lcov.info']\n  require:\n    - coverage.lines >= 95\n  bogus: true\n",
      'lcov.info': lcov(9),
    });
    const broken = repo.gate([]);
    expect(broken.code).not.toBe(0);
    expect(broken.err).toMatch(/gantry\.yml:5.*unknown key 'bogus'/);
    repo.write({
      'gantry.yml':
        "gates:\n  reports: ['lcov:lcov.info']\n  require:\n    - coverage.lines >= 95\n",
    });
    const strict = repo.gate([]);
    expect(strict.code).toBe(1);
    expect(strict.out).toContain('90 is not >= 95');
  });
});
