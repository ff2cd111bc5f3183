import { describe, expect, it } from 'vitest';
import { readReport, reportParsers } from '../../src/reports/index.js';
import { fixtureText, gantryErrorOf, tempFile } from './helpers.js';

/** One real report per format, and one of another format to hand it by mistake. */
const cases: { format: string; fixture: string; wrong: string }[] = [
  { format: 'junit', fixture: 'pytest/junit.xml', wrong: 'coveragepy/coverage.xml' },
  { format: 'cobertura', fixture: 'coveragepy/coverage.xml', wrong: 'pytest/junit.xml' },
  { format: 'lcov', fixture: 'vitest/lcov.info', wrong: 'vitest/coverage-summary.json' },
  {
    format: 'istanbul',
    fixture: 'vitest/coverage-summary.json',
    wrong: 'coveragepy/coverage.json',
  },
  {
    format: 'coveragepy',
    fixture: 'coveragepy/coverage.json',
    wrong: 'vitest/coverage-summary.json',
  },
  { format: 'sarif', fixture: 'ruff/ruff.sarif', wrong: 'bandit/bandit.json' },
  { format: 'bandit', fixture: 'bandit/bandit.json', wrong: 'ruff/ruff.sarif' },
  { format: 'trivy', fixture: 'trivy/fs.json', wrong: 'npm-audit/npm10.json' },
  { format: 'gitleaks', fixture: 'gitleaks/dir.json', wrong: 'trivy/fs.json' },
  { format: 'npm-audit', fixture: 'npm-audit/npm10.json', wrong: 'pip-audit/vulns.json' },
  { format: 'pip-audit', fixture: 'pip-audit/vulns.json', wrong: 'npm-audit/npm6.json' },
  { format: 'latency', fixture: 'autocannon/autocannon.json', wrong: 'coveragepy/coverage.json' },
];

/** Reads `content` saved as `name` in `format`; returns the error, which must be INVALID. */
function invalid(format: string, name: string, content: string): string {
  const file = tempFile(name, content);
  const error = gantryErrorOf(() => readReport(format, file));
  expect(error.code).toBe('GANTRY_REPORT_INVALID');
  expect(error.message.startsWith(`${file}: `)).toBe(true);
  return error.message.slice(file.length + 2);
}

describe.each(cases)('$format refuses what it cannot read', ({ format, fixture, wrong }) => {
  const name = fixture.split('/').pop()!;
  const text = fixtureText(fixture);

  it('a file cut in half, saying it looks truncated', () => {
    const problem = invalid(format, name, text.slice(0, Math.floor(text.length / 2)));
    expect(problem).toContain('(the file looks truncated)');
  });

  it('a file cut one character short', () => {
    // Whatever is missing, the report must not read as a smaller valid one.
    expect(invalid(format, name, text.trimEnd().slice(0, -1))).not.toBe('');
  });

  it('an empty file', () => {
    expect(invalid(format, name, '')).toMatch(/empty|no SF: record/);
  });

  it('plain text', () => {
    expect(invalid(format, name, 'Traceback (most recent call last):\n  oops\n')).not.toBe('');
  });

  it('a report of another format, naming the format it looks like', () => {
    const problem = invalid(format, name, fixtureText(wrong));
    expect(problem).toMatch(/^not an? |^the top level is/);
    expect(problem).toMatch(/\(it looks like an? .+: format "[a-z-]+"\)$/);
  });
});

describe('error messages say what is wrong and where', () => {
  it('JSON cut short names the position and says it looks truncated', () => {
    const text = fixtureText('ruff/ruff.sarif').slice(0, 1234);
    expect(() => reportParsers['sarif']!.parse(text, 'results.sarif')).toThrow(
      'results.sarif: invalid JSON at position 1234 (the file looks truncated)',
    );
  });

  it('a JSON syntax error mid-file gives line and column', () => {
    const text = '{\n  "runs": [\n    {"tool": }\n  ]\n}\n';
    expect(() => reportParsers['sarif']!.parse(text, 'results.sarif')).toThrow(
      /^results\.sarif: invalid JSON at line 3, column 14 \(position 27\): Unexpected token/,
    );
  });

  it('XML cut short lists the elements left open', () => {
    const text = fixtureText('pytest/junit.xml');
    const cut = text.slice(0, text.indexOf('</testcase>') + '</testcase>'.length);
    expect(() => reportParsers['junit']!.parse(cut, 'junit.xml')).toThrow(
      'junit.xml: invalid XML: elements left open: <testsuites>, <testsuite> (the file looks truncated)',
    );
  });

  it('malformed XML gives line and column', () => {
    const text = '<testsuites>\n  <testsuite>\n  </testsuites>\n';
    expect(() => reportParsers['junit']!.parse(text, 'junit.xml')).toThrow(
      /^junit\.xml: invalid XML at line 3, column \d+: Expected closing tag 'testsuite'/,
    );
  });

  it('XML given to a JSON format, and JSON given to an XML one', () => {
    expect(() => reportParsers['sarif']!.parse('<testsuites/>', 'r.sarif')).toThrow(
      'r.sarif: not a SARIF log: the file is XML, not JSON',
    );
    expect(() => reportParsers['cobertura']!.parse('{"files": {}}', 'c.xml')).toThrow(
      'c.xml: not a Cobertura XML report: the file is not XML (it looks like JSON)',
    );
  });
});
