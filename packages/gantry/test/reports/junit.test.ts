import { describe, expect, it } from 'vitest';
import { reportParsers } from '../../src/reports/index.js';
import { gantryErrorOf, readFixture } from './helpers.js';

const junit = (xml: string) => reportParsers['junit']!.parse(xml, 'inline.xml');

describe('junit', () => {
  it('reads pytest --junitxml: suite from classname, failure message, seconds to ms', () => {
    expect(readFixture('junit', 'pytest/junit.xml')).toEqual({
      tests: {
        total: 2,
        passed: 1,
        failed: 1,
        errors: 0,
        skipped: 0,
        durationMs: 41,
        cases: [
          { suite: 'test_calc', name: 'test_add', status: 'passed', durationMs: 0 },
          {
            suite: 'test_calc',
            name: 'test_evaluate_is_wrong_on_purpose',
            status: 'failed',
            durationMs: 1,
            // pytest encodes the newline as &#10; in the attribute; only the first line is kept.
            message: 'AssertionError: assert 6 == 7',
          },
        ],
      },
    });
  });

  it("reads Vitest's junit reporter, skipped cases included", () => {
    const { tests } = readFixture('junit', 'vitest/junit.xml');
    expect(tests).toMatchObject({ total: 4, passed: 2, failed: 1, errors: 0, skipped: 1 });
    expect(tests?.durationMs).toBeCloseTo(8.003, 3);
    expect(tests?.cases.map((c) => [c.suite, c.name, c.status])).toEqual([
      ['math.spec.mjs', 'math > adds', 'passed'],
      ['math.spec.mjs', 'math > clamps below the minimum', 'passed'],
      ['math.spec.mjs', 'math > is wrong on purpose', 'failed'],
      ['math.spec.mjs', 'math > is skipped', 'skipped'],
    ]);
    expect(tests?.cases[2]?.message).toBe('expected 4 to be 5 // Object.is equality');
  });

  it('reads jest-junit: the suite name when classname only repeats the test name', () => {
    const { tests } = readFixture('junit', 'jest/junit.xml');
    expect(tests).toMatchObject({ total: 4, passed: 2, failed: 1, skipped: 1, durationMs: 1532 });
    expect(tests?.cases).toEqual([
      { suite: 'cart', name: 'cart adds an item', status: 'passed', durationMs: 4 },
      {
        suite: 'cart',
        name: 'cart rejects a negative quantity',
        status: 'failed',
        durationMs: 12,
        message: 'Error: expect(received).toThrow()',
      },
      { suite: 'cart', name: 'cart applies a coupon', status: 'skipped', durationMs: 0 },
      {
        suite: 'price',
        name: 'price formats cents',
        file: 'src/price.test.js',
        status: 'passed',
        durationMs: 2,
      },
    ]);
  });

  it('reads go-junit-report: properties ignored, skipped and build errors counted', () => {
    const { tests } = readFixture('junit', 'go-junit-report/junit.xml');
    // No time on <testsuites>: the suites' times add up (160 + 12 + 0 ms).
    expect(tests).toMatchObject({
      total: 5,
      passed: 2,
      failed: 1,
      errors: 1,
      skipped: 1,
      durationMs: 172,
    });
    expect(tests?.cases.filter((c) => c.status !== 'passed')).toEqual([
      {
        suite: 'example.com/shop/cart',
        name: 'TestTotal',
        status: 'failed',
        durationMs: 100,
        message: 'Failed',
      },
      {
        suite: 'example.com/shop/cart',
        name: 'TestCoupon',
        status: 'skipped',
        durationMs: 0,
        message: 'Skipped',
      },
      {
        suite: 'example.com/shop/store',
        name: '[build failed]',
        status: 'error',
        durationMs: 0,
        message: 'Build error',
      },
    ]);
  });

  it('reads a bare <testsuite> root (Surefire), thousands separators in times', () => {
    const { tests } = readFixture('junit', 'junit/surefire-testsuite.xml');
    expect(tests).toMatchObject({ total: 3, passed: 2, errors: 1, durationMs: 1_024_052 });
    expect(tests?.cases[1]).toEqual({
      suite: 'com.example.CalculatorTest',
      name: 'divides',
      status: 'error',
      durationMs: 10,
      message: '/ by zero',
    });
    expect(tests?.cases[2]?.durationMs).toBe(1_024_039);
  });

  it('counts nested suites and ranks a failure above an error on the same case', () => {
    const { tests } = junit(`<testsuites>
      <testsuite name="outer">
        <testcase name="a" time="0.5"><failure message="boom"/><error message="teardown"/></testcase>
        <testsuite name="inner"><testcase name="b"/><testcase name="c"><error>no message attr
        second line</error></testcase></testsuite>
      </testsuite>
    </testsuites>`);
    expect(tests?.cases).toEqual([
      { suite: 'outer', name: 'a', status: 'failed', durationMs: 500, message: 'boom' },
      { suite: 'inner', name: 'b', status: 'passed' },
      { suite: 'inner', name: 'c', status: 'error', message: 'no message attr' },
    ]);
    expect(tests).toMatchObject({ total: 3, failed: 1, errors: 1, durationMs: 500 });
  });

  it('reads an empty suite as zero tests, not as an error', () => {
    expect(junit('<testsuites name="none"/>').tests).toMatchObject({ total: 0, cases: [] });
  });

  it('refuses a non-JUnit root element and a non-numeric time', () => {
    expect(
      gantryErrorOf(() => junit('<coverage line-rate="1"><packages/></coverage>')).message,
    ).toBe(
      'inline.xml: not a JUnit XML report: the root element is <coverage> ' +
        '(it looks like a Cobertura XML report: format "cobertura")',
    );
    expect(
      gantryErrorOf(() => junit('<testsuite><testcase time="soon"/></testsuite>')).message,
    ).toBe('inline.xml: <testcase time="soon"> is not a number');
  });
});
