import { fileCoverage, summarizeFiles } from '../coverage-totals.js';
import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { CoverageSummary, FileCoverage, ReportParser, Ratio } from '../model.js';
import { toSlashes } from '../paths.js';
import { failFor, type Fail } from '../report-error.js';

/**
 * Istanbul's JSON reports, as Vitest (v8 or istanbul provider), Jest, nyc and c8 write them:
 * `coverage-summary.json` (the `json-summary` reporter: totals per file and a `total` entry)
 * or `coverage-final.json` (the `json` reporter: statement, function and branch hit maps).
 */
export const istanbulParser: ReportParser = {
  format: 'istanbul',
  description: 'Istanbul JSON coverage: coverage-summary.json or coverage-final.json',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'Istanbul coverage report', fail), '', fail);
    const entries = root.entries();
    const first = entries.find(([key]) => key !== 'total')?.[1];
    if (root.has('total') || first?.has('lines')) return { coverage: fromSummary(root) };
    if (first?.has('statementMap') || first?.has('data')) {
      return { coverage: summarizeFiles(entries.map(([key, entry]) => fromFinal(key, entry))) };
    }
    // An empty coverage-final.json is what a run that loaded no source file writes.
    if (entries.length === 0) return { coverage: summarizeFiles([]) };
    return fail(
      'not an Istanbul coverage report: expected a coverage-summary.json with a "total" ' +
        `entry or a coverage-final.json with statementMap entries${lookalike(text, 'istanbul')}`,
    );
  },
};

function fromSummary(root: JsonObject): CoverageSummary {
  const files = root
    .entries()
    .filter(([key]) => key !== 'total')
    .map(([key, entry]) => fromSummaryEntry(toSlashes(key), entry));
  const total = root.optObject('total');
  if (total === undefined) return summarizeFiles(files);
  // The report's own total: it is what Istanbul's thresholds and text reporter use.
  const { path: _, ...totals } = fromSummaryEntry('', total);
  return { ...totals, files };
}

function fromSummaryEntry(path: string, entry: JsonObject): FileCoverage {
  const ratio = (metric: JsonObject): Ratio => ({
    covered: metric.number('covered'),
    total: metric.number('total'),
  });
  const optional = (key: string): Ratio | undefined => {
    const metric = entry.optObject(key);
    return metric === undefined ? undefined : ratio(metric);
  };
  return fileCoverage(
    path,
    ratio(entry.object('lines')),
    optional('branches'),
    optional('functions'),
  );
}

/**
 * One coverage-final.json entry. Line counts follow Istanbul's own `getLineCoverage`: a line
 * is the start line of a statement and takes the highest count of the statements on it.
 */
function fromFinal(key: string, raw: JsonObject): FileCoverage {
  // nyc 14 and older wrapped each entry as { data: { ... } }.
  const entry = raw.optObject('data') ?? raw;
  const hits = entry.object('s');
  const lines = new Map<number, number>();
  for (const [id, statement] of entry.object('statementMap').entries()) {
    const line = statement.object('start').number('line');
    lines.set(line, Math.max(lines.get(line) ?? 0, hits.optNumber(id) ?? 0));
  }
  const f = entry.object('f');
  const functions = f.keys().map((id) => f.number(id));
  const b = entry.object('b');
  const branches = b.keys().flatMap((id) => b.numbers(id));
  return fileCoverage(
    toSlashes(entry.optString('path') ?? key),
    covered([...lines.values()]),
    covered(branches),
    covered(functions),
  );
}

function covered(values: number[]): Ratio {
  return { covered: values.filter((v) => v > 0).length, total: values.length };
}
