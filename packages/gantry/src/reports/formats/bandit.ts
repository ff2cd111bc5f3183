import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { Finding, ReportParser } from '../model.js';
import { toSlashes } from '../paths.js';
import { failFor, type Fail } from '../report-error.js';
import { banditSeverity } from '../severity.js';

/**
 * Bandit's JSON report (`bandit -f json`). The severity is Bandit's `issue_severity`, one step
 * lower when `issue_confidence` is LOW (see `banditSeverity`). Paths lose the `./` Bandit
 * puts in front of files it found by walking a directory.
 */
export const banditParser: ReportParser = {
  format: 'bandit',
  description: 'Bandit JSON (`bandit -f json`): issue_severity, lowered one step at LOW confidence',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'Bandit JSON report', fail), '', fail);
    if (!root.has('results') || !(root.has('metrics') || root.has('generated_at'))) {
      fail(`not a Bandit JSON report: it lacks results and metrics${lookalike(text, 'bandit')}`);
    }
    const findings = root.objects('results').map((result): Finding => {
      const column = result.optNumber('col_offset');
      return {
        kind: 'code',
        tool: 'bandit',
        rule: result.string('test_id'),
        severity: banditSeverity(
          result.optString('issue_severity'),
          result.optString('issue_confidence'),
        ),
        message: result.string('issue_text'),
        file: toSlashes(result.string('filename')).replace(/^\.\//, ''),
        line: result.number('line_number'),
        // col_offset is 0-based (Python's ast); Finding columns are 1-based like SARIF's.
        ...(column === undefined ? {} : { column: column + 1 }),
      };
    });
    return { findings };
  },
};
