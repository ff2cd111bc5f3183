import { describe, expect, it } from 'vitest';
import {
  emptyModel,
  mergeModels,
  type FileCoverage,
  type ReportPart,
} from '../../src/reports/index.js';
import { readFixture } from './helpers.js';

const file = (path: string, covered: number, total: number): FileCoverage => ({
  path,
  lines: { covered, total },
});

describe('mergeModels', () => {
  it('returns the empty model for no parts, with every list present', () => {
    expect(mergeModels([])).toEqual(emptyModel);
    expect(mergeModels([{}, {}])).toEqual(emptyModel);
  });

  it('adds tests up and keeps every case, in order', () => {
    const pytest = readFixture('junit', 'pytest/junit.xml');
    const jest = readFixture('junit', 'jest/junit.xml');
    const { tests } = mergeModels([pytest, jest]);
    expect(tests).toMatchObject({ total: 6, passed: 3, failed: 2, errors: 0, skipped: 1 });
    expect(tests?.durationMs).toBe(41 + 1532);
    expect(tests?.cases).toEqual([...pytest.tests!.cases, ...jest.tests!.cases]);
  });

  it('keeps a single report exactly as read', () => {
    const part = readFixture('istanbul', 'vitest/coverage-summary.json');
    expect(mergeModels([part, readFixture('bandit', 'bandit/bandit.json')]).coverage).toBe(
      part.coverage,
    );
  });

  it('unites files of several coverage reports and sums the totals over them', () => {
    const python = readFixture('lcov', 'coveragepy/coverage.lcov');
    const js = readFixture('lcov', 'vitest/lcov.info');
    expect(mergeModels([python, js]).coverage).toEqual({
      lines: { covered: 13, total: 19 },
      branches: { covered: 1, total: 6 },
      functions: { covered: 6, total: 8 },
      files: [...python.coverage!.files, ...js.coverage!.files],
    });
  });

  it('keeps, for a file in two reports, the larger total, then the more lines covered', () => {
    const part = (...files: FileCoverage[]): ReportPart => ({
      coverage: { lines: { covered: 0, total: 0 }, files },
    });
    const merged = mergeModels([
      part(file('a.ts', 8, 10), file('b.ts', 1, 4), file('c.ts', 2, 2)),
      part(file('a.ts', 5, 12), file('b.ts', 3, 4)),
      part(file('c.ts', 1, 2)),
    ]);
    expect(merged.coverage).toEqual({
      lines: { covered: 10, total: 18 },
      files: [file('a.ts', 5, 12), file('b.ts', 3, 4), file('c.ts', 2, 2)],
    });
  });

  it('drops a vulnerability seen before for the same package and version, by id or alias', () => {
    const trivy = readFixture('trivy', 'trivy/fs.json');
    const pipAudit = readFixture('pip-audit', 'pip-audit/vulns.json');
    const { vulns } = mergeModels([trivy, pipAudit, trivy]);
    // Trivy's CVE-2024-22195 for jinja2 3.1.2 is pip-audit's GHSA-h5c8-rqwp-cp95.
    expect(vulns.map((v) => `${v.source}:${v.package}@${v.version}:${v.id}`)).toEqual([
      'trivy:lodash@4.17.20:CVE-2021-23337',
      'trivy:minimist@1.2.5:CVE-2021-44906',
      'trivy:jinja2@3.1.2:CVE-2024-22195',
      'pip-audit:flask@0.5:PYSEC-2019-179',
      'pip-audit:flask@0.5:PYSEC-2018-66',
      'pip-audit:django@4.2.1:GHSA-7h4p-27mh-hmrw',
    ]);
  });

  it('keeps the same advisory for two installed versions', () => {
    const { vulns } = mergeModels([readFixture('npm-audit', 'npm-audit/npm6.json')]);
    expect(vulns.filter((v) => v.id === 'NPM-1179').map((v) => v.version)).toEqual([
      '0.0.8',
      '1.2.0',
    ]);
  });

  it('lists findings, secrets and sizes one report after another', () => {
    const merged = mergeModels([
      readFixture('sarif', 'ruff/ruff.sarif'),
      readFixture('bandit', 'bandit/bandit.json'),
      readFixture('gitleaks', 'gitleaks/dir.json'),
      readFixture('trivy', 'trivy/fs.json'),
      { sizes: [{ path: 'dist/app.js', bytes: 1200 }] },
      { sizes: [{ path: 'dist/app.css', bytes: 300 }] },
    ]);
    expect(merged.findings.map((f) => `${f.tool}:${f.rule}`)).toEqual([
      'ruff:F401',
      'bandit:B307',
      'trivy:DS002',
    ]);
    expect(merged.secrets.map((s) => `${s.tool}:${s.fingerprint}`)).toEqual([
      ...readFixture('gitleaks', 'gitleaks/dir.json').secrets!.map(
        (s) => `gitleaks:${s.fingerprint}`,
      ),
      'trivy:config/.env.production:aws-access-key-id:3',
    ]);
    expect(merged.secrets).toHaveLength(3);
    expect(merged.sizes).toEqual([
      { path: 'dist/app.js', bytes: 1200 },
      { path: 'dist/app.css', bytes: 300 },
    ]);
  });

  it('takes the latency of the last report that has one', () => {
    const autocannon = readFixture('latency', 'autocannon/autocannon.json');
    const k6 = readFixture('latency', 'k6/summary-export.json');
    expect(mergeModels([autocannon, k6, {}]).latency).toEqual(k6.latency);
    expect(mergeModels([k6, autocannon]).latency).toEqual(autocannon.latency);
  });
});
