import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { Finding, ReportParser, Vulnerability } from '../model.js';
import { failFor, type Fail } from '../report-error.js';
import { severityFromWord } from '../severity.js';
import { sortVersions } from '../versions.js';

/**
 * Trivy's JSON report (`trivy fs|image|repo --format json`, SchemaVersion 2). Each entry of
 * `Results` is one target (a lockfile, an image layer's OS packages, a Dockerfile):
 * `Vulnerabilities` become vulns, `Secrets` secrets and failed `Misconfigurations` findings.
 */
export const trivyParser: ReportParser = {
  format: 'trivy',
  description: 'Trivy JSON: vulnerabilities, secrets and misconfigurations',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'Trivy JSON report', fail), '', fail);
    if (!root.has('SchemaVersion')) {
      fail(`not a Trivy JSON report: it has no SchemaVersion${lookalike(text, 'trivy')}`);
    }
    const schema = root.number('SchemaVersion');
    if (schema !== 2) fail(`Trivy SchemaVersion ${schema} is not supported (Gantry reads 2)`);
    const vulns: Vulnerability[] = [];
    const secrets: Finding[] = [];
    const findings: Finding[] = [];
    for (const result of root.objects('Results')) {
      const target = result.string('Target');
      const ecosystem = ecosystemOf(result.optString('Type') ?? '');
      for (const v of result.objects('Vulnerabilities')) vulns.push(toVuln(v, target, ecosystem));
      for (const s of result.objects('Secrets')) secrets.push(toSecret(s, target));
      for (const m of result.objects('Misconfigurations')) {
        // Trivy lists passed checks too when run with --include-non-failures.
        const status = m.optString('Status');
        if (status === undefined || status === 'FAIL') findings.push(toMisconfiguration(m, target));
      }
    }
    return { vulns, secrets, findings };
  },
};

function toVuln(v: JsonObject, target: string, ecosystem: string): Vulnerability {
  const fixed = v.optString('FixedVersion') ?? '';
  const title = v.optString('Title');
  return {
    id: v.string('VulnerabilityID'),
    aliases: v.strings('VendorIDs'),
    package: v.string('PkgName'),
    ecosystem,
    version: v.string('InstalledVersion'),
    severity: severityFromWord(v.optString('Severity')),
    // "4.17.21, 3.10.1": one fixed version per maintained line.
    fixedVersions: sortVersions(fixed.split(','), ecosystem),
    ...(title === undefined ? {} : { title }),
    source: 'trivy',
    file: target,
  };
}

function toSecret(s: JsonObject, target: string): Finding {
  const rule = s.string('RuleID');
  const line = s.optNumber('StartLine');
  // Match holds the line with the secret masked by Trivy; the title is all a report needs.
  return {
    kind: 'secret',
    tool: 'trivy',
    rule,
    severity: severityFromWord(s.optString('Severity')),
    message: s.optString('Title') ?? rule,
    file: target,
    ...(line === undefined ? {} : { line }),
    fingerprint: [target, rule, line].filter((part) => part !== undefined).join(':'),
  };
}

function toMisconfiguration(m: JsonObject, target: string): Finding {
  const line = m.optObject('CauseMetadata')?.optNumber('StartLine');
  return {
    kind: 'code',
    tool: 'trivy',
    rule: m.optString('ID') ?? m.string('AVDID'),
    severity: severityFromWord(m.optString('Severity')),
    message: m.optString('Message') ?? m.optString('Title') ?? '',
    file: target,
    ...(line === undefined ? {} : { line }),
  };
}

/** Trivy's package types on OSV's ecosystem names; an unlisted type is kept as it is. */
const ecosystems: Record<string, string> = {
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  'node-pkg': 'npm',
  pip: 'PyPI',
  pipenv: 'PyPI',
  poetry: 'PyPI',
  uv: 'PyPI',
  'python-pkg': 'PyPI',
  gomod: 'Go',
  gobinary: 'Go',
  cargo: 'crates.io',
  rustbinary: 'crates.io',
  composer: 'Packagist',
  bundler: 'RubyGems',
  gemspec: 'RubyGems',
  jar: 'Maven',
  pom: 'Maven',
  gradle: 'Maven',
  sbt: 'Maven',
  nuget: 'NuGet',
  'dotnet-core': 'NuGet',
  'packages-props': 'NuGet',
  pub: 'Pub',
  hex: 'Hex',
  conan: 'ConanCenter',
  alpine: 'Alpine',
  debian: 'Debian',
  ubuntu: 'Ubuntu',
  redhat: 'Red Hat',
  rocky: 'Rocky Linux',
  alma: 'AlmaLinux',
  wolfi: 'Wolfi',
  chainguard: 'Chainguard',
};

function ecosystemOf(type: string): string {
  return ecosystems[type] ?? type;
}
