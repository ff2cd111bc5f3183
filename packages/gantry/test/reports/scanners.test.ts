import { describe, expect, it } from 'vitest';
import { reportParsers, type Finding } from '../../src/reports/index.js';
import { fixtureText, gantryErrorOf, readFixture } from './helpers.js';

const parse = (format: string, text: string, file = 'report.json') =>
  reportParsers[format]!.parse(text, file);

describe('bandit', () => {
  it('reads `bandit -f json`: severity, 1-based column, no leading ./', () => {
    expect(readFixture('bandit', 'bandit/bandit.json')).toEqual({
      findings: [
        {
          kind: 'code',
          tool: 'bandit',
          rule: 'B307',
          severity: 'medium',
          message: 'Use of possibly insecure function - consider using safer ast.literal_eval.',
          file: 'calc.py',
          line: 12,
          column: 12,
        },
      ],
    });
  });

  it('lowers the severity one step when the confidence is LOW', () => {
    const report = JSON.parse(fixtureText('bandit/bandit.json')) as {
      results: { issue_severity: string; issue_confidence: string }[];
    };
    const rate = (severity: string, confidence: string) => {
      report.results[0]!.issue_severity = severity;
      report.results[0]!.issue_confidence = confidence;
      return parse('bandit', JSON.stringify(report)).findings?.[0]?.severity;
    };
    expect([rate('HIGH', 'LOW'), rate('HIGH', 'MEDIUM'), rate('LOW', 'LOW')]).toEqual([
      'medium',
      'high',
      'info',
    ]);
  });
});

describe('trivy', () => {
  it('reads vulnerabilities, secrets and failed misconfigurations', () => {
    const part = readFixture('trivy', 'trivy/fs.json');
    expect(part.vulns).toEqual([
      {
        id: 'CVE-2021-23337',
        aliases: ['GHSA-35jh-r3h4-6jhm'],
        package: 'lodash',
        ecosystem: 'npm',
        version: '4.17.20',
        severity: 'high',
        fixedVersions: ['4.17.21'],
        title: 'nodejs-lodash: command injection via template',
        source: 'trivy',
        file: 'package-lock.json',
      },
      {
        id: 'CVE-2021-44906',
        aliases: ['GHSA-xvch-5gv4-984h'],
        package: 'minimist',
        ecosystem: 'npm',
        version: '1.2.5',
        severity: 'critical',
        // Trivy lists "1.2.6, 0.2.4"; the model keeps them lowest first.
        fixedVersions: ['0.2.4', '1.2.6'],
        title: 'minimist: prototype pollution',
        source: 'trivy',
        file: 'package-lock.json',
      },
      {
        id: 'CVE-2024-22195',
        aliases: ['GHSA-h5c8-rqwp-cp95'],
        package: 'jinja2',
        ecosystem: 'PyPI',
        version: '3.1.2',
        severity: 'medium',
        fixedVersions: ['3.1.3'],
        title: 'jinja2: HTML attribute injection when passing user input as keys to xmlattr filter',
        source: 'trivy',
        file: 'requirements.txt',
      },
    ]);
    expect(part.secrets).toEqual([
      {
        kind: 'secret',
        tool: 'trivy',
        rule: 'aws-access-key-id',
        severity: 'critical',
        message: 'AWS Access Key ID',
        file: 'config/.env.production',
        line: 3,
        fingerprint: 'config/.env.production:aws-access-key-id:3',
      },
    ]);
    expect(part.findings).toEqual([
      {
        kind: 'code',
        tool: 'trivy',
        rule: 'DS002',
        severity: 'high',
        message: 'Specify at least 1 USER command in Dockerfile with non-root user as argument',
        file: 'Dockerfile',
      },
    ]);
  });

  it('refuses an unknown schema and names a mistyped field by its path', () => {
    expect(gantryErrorOf(() => parse('trivy', '{"SchemaVersion": 1}')).message).toBe(
      'report.json: Trivy SchemaVersion 1 is not supported (Gantry reads 2)',
    );
    const report = JSON.parse(fixtureText('trivy/fs.json')) as {
      Results: { Vulnerabilities: Record<string, unknown>[] }[];
    };
    report.Results[0]!.Vulnerabilities[1]!['PkgName'] = 42;
    expect(gantryErrorOf(() => parse('trivy', JSON.stringify(report))).message).toBe(
      'report.json: Results[0].Vulnerabilities[1].PkgName is a number, not a string',
    );
  });
});

describe('gitleaks', () => {
  const fakeKeys = ['AKIAZ7Q2VXJ4KD3LTM6P', 'q8Vd2mZ0rT5yLw3Xn7Pc1Bh6Gk9Fs4Ja2Ue5Ri8O'];

  // gitleaks scans concurrently, so the order of its findings changes from run to run.
  const byLine = (secrets: readonly Finding[] = []) =>
    [...secrets].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

  it('reads a directory scan without keeping the secrets', () => {
    const part = readFixture('gitleaks', 'gitleaks/dir.json');
    expect(byLine(part.secrets)).toEqual([
      {
        kind: 'secret',
        tool: 'gitleaks',
        rule: 'aws-access-token',
        severity: 'unknown',
        message:
          'Identified a pattern that may indicate AWS credentials, risking unauthorized cloud ' +
          'resource access and data breaches on AWS platforms. (AKIA*****)',
        file: 'sample/settings.py',
        line: 2,
        column: 23,
        fingerprint: 'sample/settings.py:aws-access-token:2',
      },
      {
        kind: 'secret',
        tool: 'gitleaks',
        rule: 'generic-api-key',
        severity: 'unknown',
        message:
          'Detected a Generic API Key, potentially exposing access to various services and ' +
          'sensitive operations. (q8Vd*****)',
        file: 'sample/settings.py',
        line: 3,
        column: 2,
        fingerprint: 'sample/settings.py:generic-api-key:3',
      },
    ]);
    for (const key of fakeKeys) expect(JSON.stringify(part)).not.toContain(key);
  });

  it('reads a git history scan with the commit of each leak', () => {
    const part = readFixture('gitleaks', 'gitleaks/git.json');
    expect(byLine(part.secrets).map((s) => [s.commit, s.fingerprint])).toEqual([
      [
        '041171f483c634a927c0fd3c724fec4a7e3430e4',
        '041171f483c634a927c0fd3c724fec4a7e3430e4:settings.py:aws-access-token:2',
      ],
      [
        '041171f483c634a927c0fd3c724fec4a7e3430e4',
        '041171f483c634a927c0fd3c724fec4a7e3430e4:settings.py:generic-api-key:3',
      ],
    ]);
    for (const key of fakeKeys) expect(JSON.stringify(part)).not.toContain(key);
  });

  it('reads an empty report as no leaks and refuses an object', () => {
    expect(parse('gitleaks', '[]\n')).toEqual({ secrets: [] });
    expect(gantryErrorOf(() => parse('gitleaks', fixtureText('trivy/fs.json'))).message).toBe(
      'report.json: not a gitleaks JSON report: the top level is not an array ' +
        '(it looks like a Trivy JSON report: format "trivy")',
    );
  });
});

describe('npm-audit', () => {
  it('reads npm 7+ (auditReportVersion 2): one vuln per advisory, fixes from ranges', () => {
    const { vulns } = readFixture('npm-audit', 'npm-audit/npm10.json');
    expect(vulns?.map((v) => [v.id, v.package, v.version, v.severity, v.fixedVersions])).toEqual([
      ['GHSA-p6mc-m468-83gw', 'lodash', '<=4.17.20', 'high', ['4.17.19']],
      ['GHSA-35jh-r3h4-6jhm', 'lodash', '<=4.17.20', 'high', ['4.17.21']],
      ['GHSA-jf85-cpcp-j695', 'lodash', '<=4.17.20', 'critical', ['4.17.12']],
      // fixAvailable names minimist itself, so its version is a fix too.
      ['GHSA-xvch-5gv4-984h', 'minimist', '<=0.2.3', 'critical', ['0.2.4']],
      ['GHSA-vh95-rmgr-6w4m', 'minimist', '<=0.2.3', 'medium', ['0.2.1', '0.2.4']],
    ]);
    expect(vulns?.[0]).toMatchObject({
      ecosystem: 'npm',
      source: 'npm-audit',
      title: 'Prototype Pollution in lodash',
      aliases: [],
    });
  });

  it('reads npm 6 advisories: one vuln per installed version', () => {
    expect(readFixture('npm-audit', 'npm-audit/npm6.json').vulns).toEqual([
      {
        id: 'NPM-1179',
        aliases: ['CVE-2020-7598'],
        package: 'minimist',
        ecosystem: 'npm',
        version: '0.0.8',
        severity: 'low',
        fixedVersions: ['0.2.1', '1.2.3'],
        title: 'Prototype Pollution',
        source: 'npm-audit',
      },
      {
        id: 'NPM-1179',
        aliases: ['CVE-2020-7598'],
        package: 'minimist',
        ecosystem: 'npm',
        version: '1.2.0',
        severity: 'low',
        fixedVersions: ['0.2.1', '1.2.3'],
        title: 'Prototype Pollution',
        source: 'npm-audit',
      },
      {
        id: 'GHSA-p6mc-m468-83gw',
        aliases: ['CVE-2020-8203'],
        package: 'lodash',
        ecosystem: 'npm',
        version: '4.17.15',
        severity: 'high',
        fixedVersions: ['4.17.19'],
        title: 'Prototype Pollution',
        source: 'npm-audit',
      },
    ]);
  });

  it("reports npm's own failure instead of an empty audit", () => {
    const error = gantryErrorOf(() => readFixture('npm-audit', 'npm-audit/enolock.json'));
    expect(error.code).toBe('GANTRY_REPORT_INVALID');
    expect(error.message).toMatch(
      /enolock\.json: npm audit failed \(ENOLOCK\): This command requires an existing lockfile\.$/,
    );
  });
});

describe('pip-audit', () => {
  it('reads vulns with aliases and PEP 440-ordered fix versions', () => {
    const { vulns } = readFixture('pip-audit', 'pip-audit/vulns.json');
    expect(vulns?.map((v) => [v.package, v.version, v.id, v.fixedVersions])).toEqual([
      ['flask', '0.5', 'PYSEC-2019-179', ['1.0']],
      ['flask', '0.5', 'PYSEC-2018-66', ['0.12.3']],
      ['jinja2', '3.1.2', 'GHSA-h5c8-rqwp-cp95', ['3.1.3']],
      ['django', '4.2.1', 'GHSA-7h4p-27mh-hmrw', ['3.2.24', '4.2.10', '5.0.2']],
    ]);
    expect(vulns?.[0]).toEqual({
      id: 'PYSEC-2019-179',
      aliases: ['CVE-2019-1010083', 'GHSA-5wv5-4vpf-pj6m'],
      package: 'flask',
      ecosystem: 'PyPI',
      version: '0.5',
      severity: 'unknown',
      fixedVersions: ['1.0'],
      source: 'pip-audit',
    });
  });

  it('reads real pip-audit output whose dependencies were all skipped', () => {
    expect(readFixture('pip-audit', 'pip-audit/skipped.json')).toEqual({ vulns: [] });
  });
});
