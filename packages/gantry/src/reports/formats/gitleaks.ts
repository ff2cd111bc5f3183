import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { Finding, ReportParser } from '../model.js';
import { toSlashes } from '../paths.js';
import { redact } from '../redact.js';
import { failFor, type Fail } from '../report-error.js';

/**
 * gitleaks' JSON report (`--report-format json`): one object per leak. The secret itself is
 * never kept: the message carries the rule's description and a redacted form only, so a
 * model that is stored, printed or uploaded cannot leak it again. gitleaks gives no severity.
 */
export const gitleaksParser: ReportParser = {
  format: 'gitleaks',
  description: 'gitleaks JSON: leaked secrets with commit, file, line and fingerprint',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = parseJson(text, 'gitleaks JSON report', fail);
    if (!Array.isArray(root)) {
      fail(
        `not a gitleaks JSON report: the top level is not an array${lookalike(text, 'gitleaks')}`,
      );
    }
    const secrets = JsonObject.list(root, '', fail).map((leak): Finding => {
      const rule = leak.string('RuleID');
      const path = toSlashes(leak.string('File'));
      const line = leak.number('StartLine');
      const column = leak.optNumber('StartColumn');
      const commit = leak.optString('Commit');
      const description = leak.optString('Description') ?? rule;
      return {
        kind: 'secret',
        tool: 'gitleaks',
        rule,
        severity: 'unknown',
        message: `${description} (${redact(leak.optString('Secret') ?? '')})`,
        file: path,
        line,
        ...(column === undefined ? {} : { column }),
        ...(commit ? { commit } : {}),
        fingerprint:
          leak.optString('Fingerprint') ?? [commit, path, rule, line].filter(Boolean).join(':'),
      };
    });
    return { secrets };
  },
};
