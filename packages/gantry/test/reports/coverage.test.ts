import { describe, expect, it } from 'vitest';
import { reportParsers } from '../../src/reports/index.js';
import { gantryErrorOf, readFixture } from './helpers.js';

describe('cobertura', () => {
  it('reads coverage.py `coverage xml`: <source> joined with each filename', () => {
    expect(readFixture('cobertura', 'coveragepy/coverage.xml')).toEqual({
      coverage: {
        lines: { covered: 11, total: 14 },
        branches: { covered: 0, total: 2 },
        files: [
          {
            path: '/tmp/gantry-fixtures-py/calc.py',
            lines: { covered: 6, total: 9 },
            branches: { covered: 0, total: 2 },
          },
          { path: '/tmp/gantry-fixtures-py/test_calc.py', lines: { covered: 5, total: 5 } },
        ],
      },
    });
  });

  it('reads Coverlet: Windows paths, classes of one file merged, methods as functions', () => {
    expect(readFixture('cobertura', 'cobertura/coverlet.xml')).toEqual({
      coverage: {
        lines: { covered: 3, total: 7 },
        branches: { covered: 1, total: 2 },
        functions: { covered: 3, total: 4 },
        files: [
          {
            // Line 15 is listed by two classes; it counts once, with the higher hit count.
            path: 'C:/work/Shop/src/Cart.cs',
            lines: { covered: 3, total: 4 },
            branches: { covered: 1, total: 2 },
            functions: { covered: 3, total: 3 },
          },
          {
            path: 'C:/work/Shop/src/Price.cs',
            lines: { covered: 0, total: 3 },
            functions: { covered: 0, total: 1 },
          },
        ],
      },
    });
  });

  it('keeps the root totals of a report that lists no classes', () => {
    const xml =
      '<coverage lines-valid="10" lines-covered="4" line-rate="0.4"><packages/></coverage>';
    expect(reportParsers['cobertura']!.parse(xml, 'empty.xml')).toEqual({
      coverage: { lines: { covered: 4, total: 10 }, files: [] },
    });
  });

  it('names the problem: a JUnit file, a Clover-ish <coverage>, a line without hits', () => {
    const parse = (xml: string) => reportParsers['cobertura']!.parse(xml, 'coverage.xml');
    expect(gantryErrorOf(() => parse('<testsuites><testsuite/></testsuites>')).message).toBe(
      'coverage.xml: not a Cobertura XML report: the root element is <testsuites> ' +
        '(it looks like a JUnit XML report: format "junit")',
    );
    expect(
      gantryErrorOf(() => parse('<coverage generated="1"><project/></coverage>')).message,
    ).toBe(
      'coverage.xml: not a Cobertura XML report: <coverage> has neither <packages> nor a line-rate',
    );
    const noHits =
      '<coverage line-rate="1"><packages><package><classes><class filename="a.py"><lines>' +
      '<line number="1"/></lines></class></classes></package></packages></coverage>';
    expect(gantryErrorOf(() => parse(noHits)).message).toBe(
      'coverage.xml: a <line> element lacks its number or hits attribute',
    );
  });
});

describe('lcov', () => {
  it('reads coverage.py `coverage lcov` (FN with end lines, branch ids with spaces)', () => {
    expect(readFixture('lcov', 'coveragepy/coverage.lcov')).toEqual({
      coverage: {
        lines: { covered: 11, total: 14 },
        branches: { covered: 0, total: 2 },
        functions: { covered: 4, total: 5 },
        files: [
          {
            path: 'calc.py',
            lines: { covered: 6, total: 9 },
            branches: { covered: 0, total: 2 },
            functions: { covered: 2, total: 3 },
          },
          {
            path: 'test_calc.py',
            lines: { covered: 5, total: 5 },
            functions: { covered: 2, total: 2 },
          },
        ],
      },
    });
  });

  it("reads Vitest's V8 lcov.info", () => {
    expect(readFixture('lcov', 'vitest/lcov.info').coverage?.files).toEqual([
      {
        path: 'math.mjs',
        lines: { covered: 2, total: 5 },
        branches: { covered: 1, total: 4 },
        functions: { covered: 2, total: 3 },
      },
    ]);
  });

  it('adds up a file recorded under two test names, and falls back to LF/LH', () => {
    const text = [
      'TN:unit',
      'SF:src\\a.js',
      'DA:1,1',
      'DA:2,0',
      'end_of_record',
      'TN:e2e',
      'SF:src\\a.js',
      'DA:2,3',
      'DA:3,0',
      'end_of_record',
      'SF:src/b.js',
      'LF:10',
      'LH:7',
      'end_of_record',
      '',
    ].join('\r\n');
    expect(reportParsers['lcov']!.parse(text, 'lcov.info').coverage).toEqual({
      lines: { covered: 9, total: 13 },
      files: [
        { path: 'src/a.js', lines: { covered: 2, total: 3 } },
        { path: 'src/b.js', lines: { covered: 7, total: 10 } },
      ],
    });
  });

  it('names the line of a bad record and says when the file stops mid-record', () => {
    const parse = (text: string) => reportParsers['lcov']!.parse(text, 'lcov.info');
    expect(gantryErrorOf(() => parse('SF:a.js\nDA:1,x\nend_of_record\n')).message).toBe(
      'lcov.info: line 2: DA:1,x has a bad count',
    );
    expect(gantryErrorOf(() => parse('SF:a.js\nDA:1,1\nDA:2')).message).toBe(
      'lcov.info: line 3: DA:2 has a bad count (the file looks truncated)',
    );
    expect(gantryErrorOf(() => parse('SF:a.js\nDA:1,1\n')).message).toBe(
      'lcov.info: the record for a.js has no end_of_record (the file looks truncated)',
    );
    expect(gantryErrorOf(() => parse('DA:1,1\nend_of_record\n')).message).toBe(
      'lcov.info: line 1: DA: outside a record (no SF: line before it)',
    );
  });
});

describe('istanbul', () => {
  const vitest = {
    lines: { covered: 2, total: 5 },
    branches: { covered: 1, total: 4 },
    functions: { covered: 2, total: 3 },
  };

  it("reads Vitest's coverage-summary.json", () => {
    expect(readFixture('istanbul', 'vitest/coverage-summary.json')).toEqual({
      coverage: { ...vitest, files: [{ path: '/tmp/gantry-fixtures-js/math.mjs', ...vitest }] },
    });
  });

  it("reads Vitest's coverage-final.json to the same counts as its summary and lcov", () => {
    const final = readFixture('istanbul', 'vitest/coverage-final.json');
    expect(final).toEqual(readFixture('istanbul', 'vitest/coverage-summary.json'));
    const lcov = readFixture('lcov', 'vitest/lcov.info').coverage;
    expect(final.coverage?.files[0]).toEqual({
      ...lcov?.files[0],
      path: '/tmp/gantry-fixtures-js/math.mjs',
    });
  });

  it('reads an empty coverage-final.json as no files', () => {
    expect(reportParsers['istanbul']!.parse('{}', 'coverage-final.json')).toEqual({
      coverage: { lines: { covered: 0, total: 0 }, files: [] },
    });
  });

  it('names a missing field by its path', () => {
    const text = JSON.stringify({ total: { lines: { covered: 1 } } });
    expect(gantryErrorOf(() => reportParsers['istanbul']!.parse(text, 's.json')).message).toBe(
      's.json: total.lines.total is missing',
    );
  });
});

describe('coveragepy', () => {
  it('reads `coverage json`: statements and branches, the same totals as its XML and LCOV', () => {
    const part = readFixture('coveragepy', 'coveragepy/coverage.json');
    expect(part).toEqual({
      coverage: {
        lines: { covered: 11, total: 14 },
        branches: { covered: 0, total: 2 },
        files: [
          { path: 'calc.py', lines: { covered: 6, total: 9 }, branches: { covered: 0, total: 2 } },
          {
            path: 'test_calc.py',
            lines: { covered: 5, total: 5 },
            branches: { covered: 0, total: 0 },
          },
        ],
      },
    });
    const xml = readFixture('cobertura', 'coveragepy/coverage.xml').coverage;
    const lcov = readFixture('lcov', 'coveragepy/coverage.lcov').coverage;
    expect([xml?.lines, lcov?.lines, xml?.branches, lcov?.branches]).toEqual([
      part.coverage?.lines,
      part.coverage?.lines,
      part.coverage?.branches,
      part.coverage?.branches,
    ]);
  });

  it('leaves branches out when the run did not measure them', () => {
    const text = JSON.stringify({
      meta: { format: 3, branch_coverage: false },
      files: { 'pkg\\m.py': { summary: { covered_lines: 3, num_statements: 4 } } },
      totals: { covered_lines: 3, num_statements: 4 },
    });
    expect(reportParsers['coveragepy']!.parse(text, 'coverage.json')).toEqual({
      coverage: {
        lines: { covered: 3, total: 4 },
        files: [{ path: 'pkg/m.py', lines: { covered: 3, total: 4 } }],
      },
    });
  });
});
