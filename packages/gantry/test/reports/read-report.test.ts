import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectFormat, readReport, reportParsers } from '../../src/reports/index.js';
import { fixturePath, fixtureText, gantryErrorOf, readFixture, tempFile } from './helpers.js';

const formats = [
  'junit',
  'cobertura',
  'lcov',
  'istanbul',
  'coveragepy',
  'sarif',
  'bandit',
  'trivy',
  'gitleaks',
  'npm-audit',
  'pip-audit',
  'latency',
];

describe('reportParsers', () => {
  it('has one parser per format, keyed by its own name and described', () => {
    expect(Object.keys(reportParsers)).toEqual(formats);
    for (const [key, parser] of Object.entries(reportParsers)) {
      expect(parser.format).toBe(key);
      expect(parser.description.length).toBeGreaterThan(10);
    }
  });
});

describe('readReport', () => {
  it('says GANTRY_REPORT_MISSING and names a file that does not exist', () => {
    const missing = path.join(os.tmpdir(), 'gantry-no-such-dir', 'junit.xml');
    const error = gantryErrorOf(() => readReport('junit', missing));
    expect(error.code).toBe('GANTRY_REPORT_MISSING');
    expect(error.message).toBe(`${missing}: the report does not exist`);
  });

  it('says GANTRY_USAGE and lists the formats for an unknown one, before touching the file', () => {
    const error = gantryErrorOf(() => readReport('clover', '/nonexistent/clover.xml'));
    expect(error.code).toBe('GANTRY_USAGE');
    expect(error.message).toBe(
      `unknown report format "clover"; known formats: ${formats.join(', ')}`,
    );
    expect(gantryErrorOf(() => readReport('toString', 'x')).code).toBe('GANTRY_USAGE');
  });

  it('refuses a directory as a report', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-reports-'));
    const error = gantryErrorOf(() => readReport('junit', dir));
    expect(error.code).toBe('GANTRY_REPORT_INVALID');
    expect(error.message).toBe(`${dir}: cannot read the report: it is a directory`);
  });

  it('reads UTF-8 with a byte-order mark and UTF-16 as PowerShell writes it', () => {
    const text = fixtureText('bandit/bandit.json');
    const expected = readFixture('bandit', 'bandit/bandit.json');
    const bom = tempFile('bom.json', `\uFEFF${text}`);
    const utf16le = tempFile(
      'le.json',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    );
    const utf16be = tempFile(
      'be.json',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    );
    for (const file of [bom, utf16le, utf16be])
      expect(readReport('bandit', file)).toEqual(expected);
  });
});

describe('detectFormat', () => {
  const fixtures: [string, string][] = [
    ['pytest/junit.xml', 'junit'],
    ['vitest/junit.xml', 'junit'],
    ['jest/junit.xml', 'junit'],
    ['go-junit-report/junit.xml', 'junit'],
    ['junit/surefire-testsuite.xml', 'junit'],
    ['coveragepy/coverage.xml', 'cobertura'],
    ['cobertura/coverlet.xml', 'cobertura'],
    ['coveragepy/coverage.lcov', 'lcov'],
    ['vitest/lcov.info', 'lcov'],
    ['vitest/coverage-summary.json', 'istanbul'],
    ['vitest/coverage-final.json', 'istanbul'],
    ['coveragepy/coverage.json', 'coveragepy'],
    ['ruff/ruff.sarif', 'sarif'],
    ['bandit/bandit.sarif', 'sarif'],
    ['semgrep/semgrep.sarif', 'sarif'],
    ['eslint/eslint.sarif', 'sarif'],
    ['gitleaks/gitleaks.sarif', 'sarif'],
    ['sarif/scores-and-secrets.sarif', 'sarif'],
    ['bandit/bandit.json', 'bandit'],
    ['trivy/fs.json', 'trivy'],
    ['gitleaks/dir.json', 'gitleaks'],
    ['gitleaks/git.json', 'gitleaks'],
    ['npm-audit/npm10.json', 'npm-audit'],
    ['npm-audit/npm6.json', 'npm-audit'],
    ['pip-audit/vulns.json', 'pip-audit'],
    ['pip-audit/skipped.json', 'pip-audit'],
    ['autocannon/autocannon.json', 'latency'],
    ['k6/summary-export.json', 'latency'],
    ['k6/handle-summary.json', 'latency'],
  ];

  it.each(fixtures)('recognizes %s as %s by its content alone', (name, format) => {
    expect(detectFormat(readFileSync(fixturePath(name), 'utf8'), 'report')).toBe(format);
  });

  it('falls back to the file name only when the content cannot tell', () => {
    const truncated = fixtureText('ruff/ruff.sarif').slice(0, 300);
    expect(detectFormat(truncated, 'out/results.sarif')).toBe('sarif');
    expect(detectFormat(truncated, 'out/results.json')).toBeUndefined();
    expect(detectFormat('[]', 'gitleaks-report.json')).toBe('gitleaks');
    expect(detectFormat('[]', 'report.json')).toBeUndefined();
    // Content wins over a misleading name.
    expect(detectFormat(fixtureText('trivy/fs.json'), 'bandit.json')).toBe('trivy');
  });

  it('recognizes nothing in text that is no report', () => {
    expect(detectFormat('hello, world\n', 'notes.txt')).toBeUndefined();
    expect(detectFormat('{"name": "gantry"}', 'package.json')).toBeUndefined();
    expect(detectFormat('<html><body/></html>', 'index.html')).toBeUndefined();
    expect(
      detectFormat('<coverage clover="4.5"><project/></coverage>', 'clover.xml'),
    ).toBeUndefined();
  });
});
