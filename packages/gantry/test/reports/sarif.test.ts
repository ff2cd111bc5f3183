import { describe, expect, it } from 'vitest';
import { reportParsers, type Finding } from '../../src/reports/index.js';
import { fixtureText, gantryErrorOf, readFixture } from './helpers.js';

const sarif = (log: unknown) => reportParsers['sarif']!.parse(JSON.stringify(log), 'results.sarif');

describe('sarif', () => {
  it('reads ruff: level error is high, file:// URIs become paths', () => {
    expect(readFixture('sarif', 'ruff/ruff.sarif')).toEqual({
      findings: [
        {
          kind: 'code',
          tool: 'ruff',
          rule: 'F401',
          severity: 'high',
          message: '`os` imported but unused',
          file: '/tmp/gantry-fixtures-py/calc.py',
          line: 3,
          column: 8,
        },
      ],
      secrets: [],
    });
  });

  it("reads Bandit's SARIF with Bandit's own severity, as its JSON report reads", () => {
    const part = readFixture('sarif', 'bandit/bandit.sarif');
    expect(part.findings).toEqual([
      {
        kind: 'code',
        tool: 'bandit',
        rule: 'B307',
        severity: 'medium',
        message: 'Use of possibly insecure function - consider using safer ast.literal_eval.',
        file: 'calc.py',
        line: 12,
      },
    ]);
    const { column: _, ...fromJson } = readFixture('bandit', 'bandit/bandit.json').findings![0]!;
    expect(part.findings?.[0]).toEqual(fromJson);
  });

  it('reads Semgrep: the level comes from the rule when the result has none', () => {
    const part = readFixture('sarif', 'semgrep/semgrep.sarif');
    expect(part.findings?.map((f) => [f.tool, f.rule, f.severity, f.file, f.line])).toEqual([
      ['semgrep', 'python-eval-of-input', 'high', 'calc.py', 12],
      ['semgrep', 'python-float-division-in-halve', 'low', 'calc.py', 17],
    ]);
  });

  it('reads ESLint: artifacts by index, Windows file URIs, suppressed results left out', () => {
    expect(readFixture('sarif', 'eslint/eslint.sarif').findings).toEqual([
      {
        kind: 'code',
        tool: 'eslint',
        rule: 'no-unused-vars',
        severity: 'medium',
        message: "'total' is assigned a value but never used.",
        file: 'C:/work/shop/src/cart.js',
        line: 4,
        column: 7,
      },
      {
        kind: 'code',
        tool: 'eslint',
        rule: 'no-eval',
        severity: 'high',
        message: 'eval can be harmful.',
        file: 'C:/work/shop/src/legacy code/rules.js',
        line: 12,
        column: 10,
      },
    ]);
  });

  it('ranks by security-severity (result over rule), fills message arguments, skips passes', () => {
    const { findings } = readFixture('sarif', 'sarif/scores-and-secrets.sarif');
    expect(findings?.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['js/sql-injection', 'high', 'This query string depends on a user-provided value.'],
      [
        'js/reflected-xss',
        'critical',
        'Cross-site scripting vulnerability due to a user-provided value.',
      ],
      ['js/unused-local-variable', 'low', 'Unused variable tmp.'],
    ]);
    expect(findings?.every((f) => f.tool === 'codeql' && f.kind === 'code')).toBe(true);
  });

  it('puts a secret scanner run under secrets, the secret redacted from its message', () => {
    const { secrets } = readFixture('sarif', 'sarif/scores-and-secrets.sarif');
    expect(secrets).toEqual([
      {
        kind: 'secret',
        tool: 'trufflehog',
        rule: 'Github',
        severity: 'high',
        message: 'Found a GitHub token ghp_***** in commit history',
        file: 'deploy/publish.sh',
        line: 5,
        commit: '9f2c1e7a4b5d6e8f0a1b2c3d4e5f6a7b8c9d0e1f',
        fingerprint: '9f2c1e7a4b5d6e8f0a1b2c3d4e5f6a7b8c9d0e1f:deploy/publish.sh:Github:5',
      },
    ]);
  });

  it("reads gitleaks' SARIF to the same secrets and fingerprints as its JSON report", () => {
    const part = readFixture('sarif', 'gitleaks/gitleaks.sarif');
    expect(part.findings).toEqual([]);
    const json = readFixture('gitleaks', 'gitleaks/dir.json').secrets ?? [];
    // Sorted: gitleaks scans concurrently and writes its two reports in different orders.
    const identity = (secrets: readonly Finding[] = []) =>
      secrets.map((s) => [s.rule, s.file, s.line, s.severity, s.fingerprint].join(' ')).sort();
    expect(identity(part.secrets)).toEqual(identity(json));
    expect(identity(json)).toHaveLength(2);
    expect(JSON.stringify(part)).not.toContain('AKIAZ7Q2VXJ4KD3LTM6P');
  });

  it('counts the same rule name from a non-secret driver as a code finding', () => {
    const log = JSON.parse(fixtureText('gitleaks/gitleaks.sarif')) as {
      runs: { tool: { driver: { name: string } } }[];
    };
    log.runs[0]!.tool.driver.name = 'my-linter';
    const part = sarif(log);
    expect([part.findings?.length, part.secrets?.length]).toEqual([2, 0]);
  });

  it('refuses other SARIF versions and logs without runs', () => {
    expect(gantryErrorOf(() => sarif({ version: '2.0.0', runs: [] })).message).toBe(
      'results.sarif: SARIF version 2.0.0 is not supported (Gantry reads SARIF 2.1.0)',
    );
    expect(gantryErrorOf(() => sarif({ version: '2.1.0' })).message).toBe(
      'results.sarif: not a SARIF log: it has no "runs"',
    );
    expect(gantryErrorOf(() => sarif({ version: '2.1.0', runs: [{ results: [] }] })).message).toBe(
      'results.sarif: runs[0].tool is missing',
    );
  });
});
