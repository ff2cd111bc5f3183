import { lookalike } from '../detect.js';
import { JsonObject, isRecord, parseJson } from '../json-input.js';
import type { ReportParser, Vulnerability } from '../model.js';
import { failFor, type Fail } from '../report-error.js';
import { severityFromWord } from '../severity.js';
import { sortVersions } from '../versions.js';

/**
 * `npm audit --json`: npm 7 and later (`auditReportVersion: 2`, one entry per vulnerable
 * package with its advisories under `via`) and npm 6 (`advisories` keyed by id, with the
 * installed versions under `findings`). npm reports no fixed versions as such; they come
 * from the advisory's range (`<4.17.21` is fixed in 4.17.21) and from `fixAvailable` when
 * it names the package itself.
 */
export const npmAuditParser: ReportParser = {
  format: 'npm-audit',
  description: 'npm audit --json (npm 7+ auditReportVersion 2, and npm 6 advisories)',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'npm audit JSON report', fail), '', fail);
    const error = root.optObject('error');
    if (error !== undefined) {
      // npm writes its failure (no lockfile, registry unreachable) as JSON too.
      const code = error.optString('code') ?? 'error';
      fail(`npm audit failed (${code}): ${error.optString('summary') ?? ''}`.trim());
    }
    if (root.has('auditReportVersion')) {
      const version = root.number('auditReportVersion');
      if (version !== 2) fail(`npm audit auditReportVersion ${version} is not supported`);
      return { vulns: fromVersion2(root.object('vulnerabilities')) };
    }
    if (root.has('advisories')) return { vulns: fromVersion1(root.object('advisories')) };
    return fail(
      `not an npm audit JSON report: it has neither auditReportVersion nor advisories${lookalike(text, 'npm-audit')}`,
    );
  },
};

function fromVersion2(vulnerabilities: JsonObject): Vulnerability[] {
  return vulnerabilities.entries().flatMap(([name, entry]) => {
    const fix = entry.raw('fixAvailable');
    const fixVersion =
      isRecord(fix) && fix['name'] === name && typeof fix['version'] === 'string'
        ? [fix['version']]
        : [];
    // `via` mixes advisories (objects) with names of vulnerable dependencies (strings); the
    // latter are reported under their own entry, so only objects count here.
    return entry.objectsAmong('via').map((advisory): Vulnerability => {
      const url = advisory.optString('url') ?? '';
      const range = advisory.optString('range') ?? '';
      return {
        id:
          /\/(GHSA(?:-[0-9a-z]{4}){3})/i.exec(url)?.[1] ?? `NPM-${String(advisory.raw('source'))}`,
        aliases: [],
        package: advisory.optString('name') ?? name,
        ecosystem: 'npm',
        // npm 7+ does not say which version is installed; the vulnerable range stands in.
        version: entry.optString('range') ?? range,
        severity: severityFromWord(advisory.optString('severity') ?? entry.optString('severity')),
        fixedVersions: sortVersions([...upperBounds(range), ...fixVersion], 'npm'),
        ...titleOf(advisory),
        source: 'npm-audit',
      };
    });
  });
}

function fromVersion1(advisories: JsonObject): Vulnerability[] {
  return advisories.entries().flatMap(([key, advisory]) => {
    const versions = new Set(advisory.objects('findings').map((f) => f.string('version')));
    const github = advisory.optString('github_advisory_id');
    const cves = advisory.strings('cves');
    return [...versions].map((version): Vulnerability => ({
      id: github ?? `NPM-${key}`,
      aliases: cves,
      package: advisory.string('module_name'),
      ecosystem: 'npm',
      version,
      severity: severityFromWord(advisory.optString('severity')),
      fixedVersions: sortVersions(lowerBounds(advisory.optString('patched_versions') ?? ''), 'npm'),
      ...titleOf(advisory),
      source: 'npm-audit',
    }));
  });
}

function titleOf(advisory: JsonObject): { title?: string } {
  const title = advisory.optString('title');
  return title === undefined ? {} : { title };
}

/** `<4.17.21` or `>=2.0.0 <2.3.1 || <1.9.0`: each part's exclusive upper bound is a fix. */
function upperBounds(range: string): string[] {
  return range
    .split('||')
    .map((part) => /<\s*(\d[^\s]*)\s*$/.exec(part.trim())?.[1])
    .filter((v): v is string => v !== undefined);
}

/** `>=4.17.19` or `>=1.2.6 <2.0.0 || >=2.2.0`: each part's lower bound is a fix. */
function lowerBounds(range: string): string[] {
  return range
    .split('||')
    .map((part) => /^>=\s*(\d[^\s]*)/.exec(part.trim())?.[1])
    .filter((v): v is string => v !== undefined);
}
