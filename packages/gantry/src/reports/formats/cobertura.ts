import { fileCoverage, summarizeFiles } from '../coverage-totals.js';
import { lookalike } from '../detect.js';
import type { FileCoverage, ReportParser } from '../model.js';
import { joinPath } from '../paths.js';
import { failFor, type Fail } from '../report-error.js';
import { parseXml, type XmlElement } from '../xml-input.js';

/** What one source file collects over all the `<class>` elements that name it. */
interface FileCounts {
  lines: Map<number, number>;
  branches: Map<number, { covered: number; total: number }>;
  functions: Map<string, boolean>;
}

/**
 * Cobertura XML (coverage.py `coverage xml`, Coverlet, gcovr, ...). Counts are rebuilt from the
 * `<line>` elements, so several classes of one file (Java inner classes, C# partials) add up
 * to one entry. Paths are the first `<source>` joined with each class's `filename`: that is
 * where the report says the files are, and several sources cannot be told apart without the
 * file system.
 */
export const coberturaParser: ReportParser = {
  format: 'cobertura',
  description: 'Cobertura XML coverage (coverage.py `coverage xml`, Coverlet, gcovr)',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = parseXml(text, 'Cobertura XML report', fail);
    if (root.name !== 'coverage') {
      fail(
        `not a Cobertura XML report: the root element is <${root.name}>${lookalike(text, 'cobertura')}`,
      );
    }
    const packages = root.children('packages');
    if (packages.length === 0 && root.attr('line-rate') === undefined) {
      fail('not a Cobertura XML report: <coverage> has neither <packages> nor a line-rate');
    }
    const source =
      root
        .children('sources')
        .flatMap((s) => s.children('source'))
        .map((s) => s.text().trim())
        .find((s) => s !== '') ?? '';
    const counts = new Map<string, FileCounts>();
    const classes = packages
      .flatMap((p) => p.children('package'))
      .flatMap((p) => p.children('classes'))
      .flatMap((c) => c.children('class'));
    for (const element of classes) {
      const filename = element.attr('filename');
      if (filename === undefined || filename === '') {
        fail(`<class name="${element.attr('name') ?? ''}"> has no filename`);
      }
      const path = joinPath(source, filename);
      const entry = counts.get(path) ?? {
        lines: new Map(),
        branches: new Map(),
        functions: new Map(),
      };
      counts.set(path, entry);
      readClass(element, entry, fail);
    }
    const files = [...counts].map(([path, entry]) => toFileCoverage(path, entry));
    return { coverage: files.length > 0 ? summarizeFiles(files) : rootTotals(root, fail) };
  },
};

function readClass(element: XmlElement, entry: FileCounts, fail: Fail): void {
  for (const line of lines(element)) readLine(line, entry, fail);
  const methods = element.children('methods').flatMap((m) => m.children('method'));
  for (const method of methods) {
    const key = `${method.attr('name') ?? ''}${method.attr('signature') ?? ''}`;
    const hit = lines(method).some((line) => (line.numberAttr('hits', fail) ?? 0) > 0);
    entry.functions.set(key, (entry.functions.get(key) ?? false) || hit);
  }
}

function readLine(line: XmlElement, entry: FileCounts, fail: Fail): void {
  const number = line.numberAttr('number', fail);
  const hits = line.numberAttr('hits', fail);
  if (number === undefined || hits === undefined) {
    fail('a <line> element lacks its number or hits attribute');
  }
  entry.lines.set(number, Math.max(entry.lines.get(number) ?? 0, hits));
  // condition-coverage="50% (1/2)": covered and total branches of the line.
  const condition = /\((\d+)\/(\d+)\)/.exec(line.attr('condition-coverage') ?? '');
  if (
    line.attr('branch')?.toLowerCase() === 'true' &&
    condition?.[1] !== undefined &&
    condition[2] !== undefined
  ) {
    const covered = Number(condition[1]);
    const previous = entry.branches.get(number);
    if (previous === undefined || previous.covered < covered) {
      entry.branches.set(number, { covered, total: Number(condition[2]) });
    }
  }
}

function lines(element: XmlElement): XmlElement[] {
  return element.children('lines').flatMap((l) => l.children('line'));
}

function toFileCoverage(path: string, entry: FileCounts): FileCoverage {
  const hits = [...entry.lines.values()];
  const branches = [...entry.branches.values()];
  const functions = [...entry.functions.values()];
  return fileCoverage(
    path,
    { covered: hits.filter((h) => h > 0).length, total: hits.length },
    branches.length === 0
      ? undefined
      : {
          covered: branches.reduce((n, b) => n + b.covered, 0),
          total: branches.reduce((n, b) => n + b.total, 0),
        },
    functions.length === 0
      ? undefined
      : { covered: functions.filter(Boolean).length, total: functions.length },
  );
}

/** A report with no classes at all still carries its totals on the root. */
function rootTotals(root: XmlElement, fail: Fail) {
  const lines = {
    covered: root.numberAttr('lines-covered', fail) ?? 0,
    total: root.numberAttr('lines-valid', fail) ?? 0,
  };
  const branchTotal = root.numberAttr('branches-valid', fail) ?? 0;
  const branches = { covered: root.numberAttr('branches-covered', fail) ?? 0, total: branchTotal };
  return { lines, ...(branchTotal > 0 ? { branches } : {}), files: [] };
}
