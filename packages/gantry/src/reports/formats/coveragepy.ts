import { fileCoverage } from '../coverage-totals.js';
import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { ReportParser, Ratio } from '../model.js';
import { toSlashes } from '../paths.js';
import { failFor, type Fail } from '../report-error.js';

/**
 * coverage.py's `coverage json` report. Lines are statements (`covered_lines` of
 * `num_statements`, what `coverage report` prints); branches only when the run measured them
 * (`meta.branch_coverage`). coverage.py has no function coverage, so there is none here.
 */
export const coveragepyParser: ReportParser = {
  format: 'coveragepy',
  description: 'coverage.py JSON coverage (`coverage json`)',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'coverage.py JSON report', fail), '', fail);
    if (!root.has('meta') || !root.has('files') || !root.has('totals')) {
      fail(
        `not a coverage.py JSON report: it lacks meta, files or totals${lookalike(text, 'coveragepy')}`,
      );
    }
    const branches = root.object('meta').raw('branch_coverage') === true;
    const read = (summary: JsonObject) =>
      fileCoverage(
        '',
        { covered: summary.number('covered_lines'), total: summary.number('num_statements') },
        branches ? branchRatio(summary) : undefined,
      );
    const files = root
      .object('files')
      .entries()
      .map(([path, entry]) => ({ ...read(entry.object('summary')), path: toSlashes(path) }));
    const { path: _, ...totals } = read(root.object('totals'));
    return { coverage: { ...totals, files } };
  },
};

function branchRatio(summary: JsonObject): Ratio {
  return { covered: summary.number('covered_branches'), total: summary.number('num_branches') };
}
