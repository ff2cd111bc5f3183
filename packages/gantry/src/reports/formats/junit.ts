import { lookalike } from '../detect.js';
import type { ReportParser, TestCase, TestSummary } from '../model.js';
import { failFor, type Fail } from '../report-error.js';
import { parseXml, type XmlElement } from '../xml-input.js';

/**
 * JUnit XML as pytest, Vitest, jest-junit, go-junit-report, Surefire and most others write
 * it: a `<testsuites>` root (or one bare `<testsuite>`), suites possibly nested, `<testcase>`
 * elements with a `<failure>`, `<error>` or `<skipped>` child, `time` in seconds.
 */
export const junitParser: ReportParser = {
  format: 'junit',
  description: 'JUnit XML test results (pytest, Vitest, Jest with jest-junit, go-junit-report)',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = parseXml(text, 'JUnit XML report', fail);
    if (root.name !== 'testsuites' && root.name !== 'testsuite') {
      fail(`not a JUnit XML report: the root element is <${root.name}>${lookalike(text, 'junit')}`);
    }
    const suites = root.name === 'testsuite' ? [root] : root.children('testsuite');
    const cases = suites.flatMap((suite) => readSuite(suite, fail));
    const suiteTime = sum(suites.map((s) => seconds(s, fail)));
    const caseTime = sum(cases.map((c) => c.durationMs));
    const rootTime = root.name === 'testsuites' ? seconds(root, fail) : undefined;
    return { tests: summarize(cases, rootTime ?? suiteTime ?? caseTime ?? 0) };
  },
};

function readSuite(suite: XmlElement, fail: Fail): TestCase[] {
  const name = suite.attr('name') ?? '';
  const own = suite.children('testcase').map((testcase) => readCase(testcase, suite, name, fail));
  // Some writers (PHPUnit, Surefire with nested classes) put suites inside suites.
  return [...own, ...suite.children('testsuite').flatMap((inner) => readSuite(inner, fail))];
}

function readCase(
  testcase: XmlElement,
  suite: XmlElement,
  suiteName: string,
  fail: Fail,
): TestCase {
  const name = testcase.attr('name') ?? '';
  const classname = testcase.attr('classname');
  // pytest names every suite "pytest" and puts the module in classname; jest-junit repeats the
  // test's name as its classname. Use classname when it says something the name does not.
  const owner =
    classname !== undefined && classname !== '' && classname !== name ? classname : suiteName;
  const [status, detail] = outcome(testcase);
  const file = testcase.attr('file') ?? suite.attr('file');
  const time = seconds(testcase, fail);
  const message = detail === undefined ? undefined : firstLine(detail);
  return {
    suite: owner,
    name,
    ...(file === undefined ? {} : { file: file.replaceAll('\\', '/') }),
    status,
    ...(time === undefined ? {} : { durationMs: time }),
    ...(message === undefined || message === '' ? {} : { message }),
  };
}

/** A failure outranks an error (pytest adds an error for a failing teardown), then a skip. */
function outcome(testcase: XmlElement): [TestCase['status'], string | undefined] {
  for (const [element, status] of [
    ['failure', 'failed'],
    ['error', 'error'],
    ['skipped', 'skipped'],
  ] as const) {
    const child = testcase.children(element)[0];
    if (child !== undefined) return [status, child.attr('message') ?? child.text()];
  }
  return ['passed', undefined];
}

function summarize(cases: TestCase[], durationMs: number): TestSummary {
  const count = (status: TestCase['status']) => cases.filter((c) => c.status === status).length;
  return {
    total: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    durationMs,
    cases,
  };
}

function seconds(element: XmlElement, fail: Fail): number | undefined {
  const time = element.numberAttr('time', fail);
  return time === undefined ? undefined : Math.round(time * 1_000_000) / 1000;
}

function sum(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  if (known.length === 0) return undefined;
  return Math.round(known.reduce((a, b) => a + b, 0) * 1000) / 1000;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line !== '') ?? ''
  );
}
