import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { ReportParser, Vulnerability } from '../model.js';
import { failFor, type Fail } from '../report-error.js';
import { sortVersions } from '../versions.js';

/**
 * pip-audit's JSON (`pip-audit -f json`): `dependencies[]` with their `vulns[]`. pip-audit
 * rates nothing, so every severity is `unknown`; dependencies it skipped (`skip_reason`:
 * not on PyPI, a local path) carry no vulns and no version.
 */
export const pipAuditParser: ReportParser = {
  format: 'pip-audit',
  description: 'pip-audit JSON (`pip-audit -f json`): vulnerable Python dependencies',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'pip-audit JSON report', fail), '', fail);
    if (!Array.isArray(root.raw('dependencies'))) {
      fail(
        `not a pip-audit JSON report: it has no dependencies list${lookalike(text, 'pip-audit')}`,
      );
    }
    const vulns = root.objects('dependencies').flatMap((dependency) => {
      const vulnerabilities = dependency.objects('vulns');
      if (vulnerabilities.length === 0) return [];
      const name = dependency.string('name');
      const version = dependency.string('version');
      return vulnerabilities.map((v): Vulnerability => ({
        id: v.string('id'),
        aliases: v.strings('aliases'),
        package: name,
        ecosystem: 'PyPI',
        version,
        severity: 'unknown',
        fixedVersions: sortVersions(v.strings('fix_versions'), 'PyPI'),
        source: 'pip-audit',
      }));
    });
    return { vulns };
  },
};
