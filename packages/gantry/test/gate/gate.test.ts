import { describe, expect, it } from 'vitest';
import { isGantryError } from '../../src/errors/index.js';
import { readGateConfig } from '../../src/gate/config.js';
import { evaluateGate, type GateInput } from '../../src/gate/evaluate.js';
import {
  parseGantryIgnore,
  parseGitleaksIgnore,
  parseTrivyIgnore,
} from '../../src/gate/ignores.js';
import { gateMarkdown, gateSarif, gateTable } from '../../src/gate/output.js';
import { parseRule } from '../../src/gate/rule.js';
import type { Finding, ReportPart, Vulnerability } from '../../src/reports/model.js';

const finding = (over: Partial<Finding>): Finding => ({
  kind: 'code',
  tool: 'bandit',
  rule: 'B602',
  severity: 'medium',
  message: 'subprocess call with shell=True',
  file: 'backend/app/run.py',
  line: 3,
  ...over,
});
const vuln = (over: Partial<Vulnerability>): Vulnerability => ({
  id: 'GHSA-aaaa-bbbb-cccc',
  aliases: ['CVE-2026-0001'],
  package: 'lodash',
  ecosystem: 'npm',
  version: '4.17.20',
  severity: 'critical',
  fixedVersions: ['4.17.21'],
  source: 'osv',
  file: 'frontend/package-lock.json',
  ...over,
});
const backendTests: ReportPart = {
  tests: { total: 10, passed: 9, failed: 1, errors: 0, skipped: 0, durationMs: 1200, cases: [] },
};
const backendCoverage: ReportPart = {
  coverage: {
    lines: { covered: 76, total: 100 },
    files: [{ path: 'app/main.py', lines: { covered: 76, total: 100 } }],
  },
};
const frontendCoverage: ReportPart = {
  coverage: {
    lines: { covered: 90, total: 100 },
    files: [{ path: 'src/app.ts', lines: { covered: 90, total: 100 } }],
  },
};

const input = (over: Partial<GateInput> = {}): GateInput => ({
  policy: { require: [], warn: [], components: {} },
  reports: [
    { file: 'backend/junit.xml', part: backendTests },
    { file: 'backend/coverage.xml', part: backendCoverage },
    { file: 'frontend/coverage/coverage-summary.json', part: frontendCoverage },
    {
      file: 'bandit.json',
      part: { findings: [finding({}), finding({ severity: 'low', rule: 'B101' })] },
    },
    {
      file: 'vulns.json',
      part: {
        vulns: [
          vuln({}),
          vuln({ id: 'GHSA-x', aliases: ['CVE-2026-0002'], severity: 'high', fixedVersions: [] }),
        ],
      },
    },
  ],
  sizes: [{ path: 'frontend/dist', bytes: 107_000 }],
  ignores: [],
  today: '2026-11-23',
  ...over,
});

describe('gate rules', () => {
  it('parses metric paths, quoted names, signs and percent', () => {
    expect(parseRule("size['frontend/dist'].delta_pct < 5%")).toMatchObject({
      path: ['size', 'frontend/dist', 'delta_pct'],
      op: '<',
      threshold: 5,
    });
    expect(parseRule('coverage.lines.delta >= -1')).toMatchObject({ threshold: -1, op: '>=' });
    expect(parseRule('backend.findings.medium_plus==0').path).toEqual([
      'backend',
      'findings',
      'medium_plus',
    ]);
  });

  it.each([
    'coverage.lines',
    'coverage.lines >= ',
    '>= 80',
    'coverage.lines => 80',
    "size['x' < 1",
  ])('refuses %j with GANTRY_GATE_EXPRESSION_INVALID and the position', (text) => {
    try {
      parseRule(text);
      expect.unreachable();
    } catch (error) {
      expect(isGantryError(error) && error.code).toBe('GANTRY_GATE_EXPRESSION_INVALID');
      expect((error as Error).message).toMatch(/column \d+/);
    }
  });
});

describe('evaluateGate', () => {
  it('fails on a required rule, warns on a warning, and explains each', () => {
    const outcome = evaluateGate(
      input({
        policy: {
          require: ['tests.failed == 0', 'coverage.lines >= 80', 'vulns.critical == 0'],
          warn: ['findings.medium_plus == 0'],
          components: {},
        },
      }),
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.rows.map((r) => [r.rule, r.status, r.value])).toEqual([
      ['tests.failed == 0', 'fail', 1],
      ['coverage.lines >= 80', 'pass', 83],
      ['vulns.critical == 0', 'fail', 1],
      ['findings.medium_plus == 0', 'fail', 1],
    ]);
    const table = gateTable(outcome);
    expect(table).toContain('1 is not == 0');
    expect(table).toContain('gate FAILED: 2 required rules not met');
    expect(gateMarkdown(outcome)).toContain('| ❌ | `tests.failed == 0` | required | 1 | == 0 |');
  });

  it('lists what a failed count counted: tests, findings, secrets, vulnerabilities', () => {
    const cases = [
      {
        suite: 'tests.unit.test_domain',
        name: 'test_total',
        status: 'failed' as const,
        message: 'assert 2 == 3',
      },
      { suite: 'tests.unit.test_domain', name: 'test_ok', status: 'passed' as const },
    ];
    const many = Array.from({ length: 12 }, (_, i) =>
      finding({ rule: `B${600 + i}`, line: i + 1 }),
    );
    const outcome = evaluateGate(
      input({
        policy: {
          require: [
            'tests.failed == 0',
            'findings.bandit.medium_plus == 0',
            'vulns.fixable.high_plus == 0',
            'secrets == 0',
          ],
          warn: ['coverage.lines >= 80'],
          components: {},
        },
        reports: [
          { file: 'junit.xml', part: { tests: { ...backendTests.tests!, cases } } },
          { file: 'bandit.json', part: { findings: many } },
          {
            file: 'vulns.json',
            part: { vulns: [vuln({}), vuln({ id: 'GHSA-x', fixedVersions: [] })] },
          },
          {
            file: 'gitleaks.json',
            part: {
              secrets: [
                finding({
                  kind: 'secret',
                  tool: 'gitleaks',
                  rule: 'aws-access-token',
                  severity: 'high',
                  message: 'AWS access key AKIA****',
                  file: 'backend/app/aws.py',
                  line: 3,
                }),
              ],
            },
          },
        ],
      }),
    );
    const [tests, findings, vulns, secrets] = outcome.rows;
    expect(tests?.items).toEqual(['tests.unit.test_domain › test_total: assert 2 == 3']);
    expect(findings?.items).toHaveLength(12);
    expect(findings?.items?.[0]).toBe(
      'B600 medium: subprocess call with shell=True at backend/app/run.py:1',
    );
    expect(vulns?.items).toEqual([
      'GHSA-aaaa-bbbb-cccc critical: lodash 4.17.20, fixed in 4.17.21 (frontend/package-lock.json)',
    ]);
    expect(secrets?.items).toEqual([
      'aws-access-token high: AWS access key AKIA**** at backend/app/aws.py:3',
    ]);
    const table = gateTable(outcome);
    expect(table).toContain(
      '      - B609 medium: subprocess call with shell=True at backend/app/run.py:10\n',
    );
    expect(table).not.toContain('B610');
    expect(table).toContain('      ... and 2 more (--json lists all)');
    expect(gateMarkdown(outcome)).toContain('1 is not == 0: tests.unit.test_domain › test_total');
    // A passing row lists nothing.
    expect(outcome.rows[4]?.items).toBeUndefined();
  });

  it('scopes rules to components by the reports read from their paths', () => {
    const outcome = evaluateGate(
      input({
        policy: {
          require: [
            'backend.coverage.lines >= 80',
            'frontend.coverage.lines >= 80',
            'frontend.vulns.total == 2',
          ],
          warn: [],
          components: { backend: ['backend/**'], frontend: ['frontend/**'] },
        },
      }),
    );
    expect(outcome.rows.map((r) => [r.rule, r.status, r.value])).toEqual([
      ['backend.coverage.lines >= 80', 'fail', 76],
      ['frontend.coverage.lines >= 80', 'pass', 90],
      ['frontend.vulns.total == 2', 'pass', 2],
    ]);
  });

  it('counts only fixable vulnerabilities under vulns.fixable and severities at or above X_plus', () => {
    const outcome = evaluateGate(
      input({
        policy: {
          require: [
            'vulns.fixable.high_plus == 1',
            'vulns.high_plus == 2',
            'findings.low_plus == 2',
            "findings['bandit'].medium == 1",
          ],
          warn: [],
          components: {},
        },
      }),
    );
    expect(outcome.rows.every((r) => r.status === 'pass')).toBe(true);
  });

  it('compares deltas with the baseline, and passes them as n/a without one', () => {
    const rules = {
      require: ['coverage.lines.delta >= -1', "size['frontend/dist'].delta_pct < 5"],
      warn: [],
      components: {},
    };
    const first = evaluateGate(input({ policy: rules }));
    expect(first.passed).toBe(true);
    expect(first.rows.map((r) => r.status)).toEqual(['n/a', 'n/a']);
    expect(first.metrics).toMatchObject({
      'coverage.lines': 83,
      'size["frontend/dist"].bytes': 107_000,
    });

    const baseline = {
      sha: 'abc',
      metrics: { 'coverage.lines': 85, 'size["frontend/dist"].bytes': 100_000 },
    };
    const second = evaluateGate(input({ policy: rules, baseline }));
    expect(second.rows.map((r) => [r.status, r.value])).toEqual([
      ['fail', -2],
      ['fail', 7],
    ]);
  });

  it('fails a required rule whose report is missing rather than passing it', () => {
    const outcome = evaluateGate(
      input({
        reports: [],
        policy: { require: ['latency.p95_ms < 100'], warn: [], components: {} },
      }),
    );
    expect(outcome.passed).toBe(false);
    expect(outcome.rows[0]?.why).toBe('no latency report was read');
  });

  it('honours ignores until they expire, and an expired one fails loudly', () => {
    const ignores = [
      ...parseTrivyIgnore(
        '# accepted\nCVE-2026-0001 exp:2026-12-31\nGHSA-x exp:2026-01-01\n',
        '.trivyignore',
      ),
    ];
    const outcome = evaluateGate(
      input({ ignores, policy: { require: ['vulns.total == 0'], warn: [], components: {} } }),
    );
    // CVE-2026-0001 hides the critical one (by alias); GHSA-x's entry expired, so it counts.
    expect(outcome.rows[0]).toMatchObject({ status: 'fail', value: 1 });
    expect(outcome.rows[1]).toMatchObject({ rule: 'ignore GHSA-x', status: 'fail' });
    expect(outcome.rows[1]?.why).toContain('.trivyignore:3');
    expect(outcome.passed).toBe(false);
  });

  it('reads gitleaks fingerprints and Gantry ignore entries, which need a reason', () => {
    expect(parseGitleaksIgnore('abc:src/a.ts:aws-access-key:3\n\n', '.gitleaksignore')).toEqual([
      { id: 'abc:src/a.ts:aws-access-key:3', source: '.gitleaksignore:1' },
    ]);
    expect(() => parseGantryIgnore([{ id: 'B602' }], '.gantryignore.yml')).toThrow(
      /a reason is required/,
    );
    expect(
      parseGantryIgnore([{ id: 'B602', reason: 'trusted input', expires: '2027-01-01' }], 'f'),
    ).toEqual([{ id: 'B602', reason: 'trusted input', expires: '2027-01-01', source: 'f[0]' }]);
  });

  it('writes one SARIF log with a run per tool, vulnerabilities at their lockfile', () => {
    const outcome = evaluateGate(input());
    const sarif = gateSarif(outcome.model, '0.1.0') as {
      version: string;
      runs: { tool: { driver: { name: string } }; results: { ruleId: string; level: string }[] }[];
    };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs.map((r) => r.tool.driver.name)).toEqual(['bandit', 'osv']);
    expect(sarif.runs[1]?.results[0]).toMatchObject({
      ruleId: 'GHSA-aaaa-bbbb-cccc',
      level: 'error',
    });
  });
});

describe('gates: config', () => {
  it('reports every problem at once with its line', () => {
    const lines: Record<string, number> = { 'gates.require.1': 4, 'gates.bogus': 7 };
    try {
      readGateConfig(
        { require: ['tests.failed == 0', 'coverage.lines >'], bogus: 1, components: { api: 3 } },
        'gantry.yml',
        (p) => lines[p.join('.')],
      );
      expect.unreachable();
    } catch (error) {
      const text = String(
        (error as Error & { problems?: unknown[] }).problems?.map((p) => JSON.stringify(p)),
      );
      expect(text).toContain('"line":7');
      expect(text).toContain("unknown key 'bogus'");
      expect(text).toContain('"line":4');
      expect(text).toContain("component 'api'");
    }
  });
});

describe('gantry.yml JSON Schema', () => {
  it('accepts the documented gates section and rejects unknown keys and rules without a comparison', async () => {
    const { Ajv } = await import('ajv');
    const { readFileSync } = await import('node:fs');
    const schema = JSON.parse(
      readFileSync(new URL('../../schema/gantry.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(
      validate({
        gates: {
          components: { backend: ['backend/**'], frontend: 'frontend/**' },
          reports: ['junit:backend/junit.xml', 'coverage.xml'],
          require: ['tests.failed == 0', 'backend.coverage.lines >= 80'],
          warn: ["size['frontend/dist'].delta_pct < 5%"],
          sizes: ['frontend/dist'],
          baseline: 'main',
          ignore: '.gantryignore.yml',
        },
      }),
    ).toBe(true);
    expect(validate({ gates: { requires: [] } })).toBe(false);
    expect(validate({ gates: { require: ['coverage.lines'] } })).toBe(false);
  });
});
