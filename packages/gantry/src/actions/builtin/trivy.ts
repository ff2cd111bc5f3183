import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { parseTrivyIgnore, type IgnoreEntry } from '../../gate/ignores.js';
import { loadOsvDatabase, matchVulnerabilities, type Vulnerability } from '../../scan/osv/index.js';
import { readComponents } from '../../scan/sbom/index.js';
import { scanSecrets, type SecretFinding } from '../../scan/secrets/index.js';
import { getBooleanInput, getInput } from '../support/inputs.js';
import type { BuiltinAction } from '../types.js';

const trivySeverity: Record<string, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'LOW',
  unknown: 'UNKNOWN',
};

/**
 * aquasecurity/trivy-action with `scan-type: fs`, on Gantry's own scanners: locked
 * dependencies against the OSV database in GANTRY_OSV_DB (Trivy's database cannot be
 * fetched here), and secrets. Honours `severity`, `ignore-unfixed`, `exit-code`, `scanners`,
 * `.trivyignore` (and `trivyignores`), `format: table | json | sarif` and `output`. The JSON
 * is in Trivy's shape, so `gantry gate --report trivy:FILE` reads it.
 */
export const trivyAction: BuiltinAction = {
  name: 'aquasecurity/trivy-action',
  defaults: {
    'scan-type': 'image',
    'scan-ref': '.',
    severity: 'UNKNOWN,LOW,MEDIUM,HIGH,CRITICAL',
    'exit-code': '0',
    'ignore-unfixed': 'false',
    format: 'table',
    output: '',
    scanners: 'vuln,secret',
    trivyignores: '',
  },
  async run(ctx) {
    const scanType = getInput(ctx, 'scan-type');
    if (scanType !== 'fs' && scanType !== 'filesystem')
      throw new GantryError(
        'GANTRY_UNSUPPORTED',
        `trivy-action scan-type '${scanType}' needs Trivy itself; Gantry runs scan-type: fs`,
      );
    const target = path.resolve(ctx.workspace, getInput(ctx, 'scan-ref') || '.');
    const scanners = getInput(ctx, 'scanners')
      .split(',')
      .map((s) => s.trim());
    const severities = new Set(
      getInput(ctx, 'severity')
        .split(',')
        .map((s) => s.trim().toUpperCase()),
    );
    const ignores = readIgnores(ctx.workspace, getInput(ctx, 'trivyignores'));
    const today = new Date().toISOString().slice(0, 10);
    const active = ignores.filter((e) => e.expires === undefined || e.expires >= today);

    let vulns: Vulnerability[] = [];
    if (scanners.includes('vuln')) {
      const db = ctx.env['GANTRY_OSV_DB'];
      if (!db)
        throw new GantryError(
          'GANTRY_OSV_DB_INVALID',
          'trivy-action (vuln scanner) needs an OSV database',
          {
            hint: 'set GANTRY_OSV_DB to a directory of OSV JSON or an OSV all.zip export (docs/scan-deps.md)',
          },
        );
      vulns = matchVulnerabilities(loadOsvDatabase(db), readComponents(target)).filter(
        (v) =>
          severities.has(trivySeverity[v.severity] ?? 'UNKNOWN') &&
          !(getBooleanInput(ctx, 'ignore-unfixed') && v.fixedVersions.length === 0) &&
          !active.some((e) => e.id === v.id || v.aliases.includes(e.id)),
      );
    }
    const secrets: SecretFinding[] =
      scanners.includes('secret') && severities.has('HIGH')
        ? await scanSecrets({ root: target })
        : [];

    const format = getInput(ctx, 'format') || 'table';
    const text =
      format === 'json'
        ? `${JSON.stringify(trivyJson(target, vulns, secrets), null, 2)}\n`
        : format === 'sarif'
          ? `${JSON.stringify(sarif(vulns, secrets), null, 2)}\n`
          : table(vulns, secrets);
    const output = getInput(ctx, 'output');
    if (output) writeFileSync(path.resolve(ctx.workspace, output), text);
    else for (const line of text.trimEnd().split('\n')) ctx.log(line);
    mkdirSync(ctx.reportsDir, { recursive: true });
    writeFileSync(
      path.join(ctx.reportsDir, 'trivy.json'),
      `${JSON.stringify(trivyJson(target, vulns, secrets), null, 2)}\n`,
    );
    const exitCode = Number(getInput(ctx, 'exit-code') || '0');
    if (exitCode !== 0 && vulns.length + secrets.length > 0)
      throw new GantryError(
        vulns.length > 0 ? 'GANTRY_VULNERABILITIES_FOUND' : 'GANTRY_SECRETS_FOUND',
        `${vulns.length} vulnerabilit${vulns.length === 1 ? 'y' : 'ies'} and ${secrets.length} secret${secrets.length === 1 ? '' : 's'} found (exit-code ${exitCode})`,
      );
  },
};

function readIgnores(workspace: string, extra: string): IgnoreEntry[] {
  const files = [
    '.trivyignore',
    ...extra
      .split(',')
      .map((f) => f.trim())
      .filter(Boolean),
  ];
  return files.flatMap((file) => {
    const full = path.resolve(workspace, file);
    return existsSync(full) ? parseTrivyIgnore(readFileSync(full, 'utf8'), file) : [];
  });
}

/** Trivy's JSON report shape (the fields its consumers read). */
function trivyJson(
  target: string,
  vulns: readonly Vulnerability[],
  secrets: readonly SecretFinding[],
): object {
  const byFile = new Map<string, Vulnerability[]>();
  for (const v of vulns) byFile.set(v.file ?? '', [...(byFile.get(v.file ?? '') ?? []), v]);
  return {
    SchemaVersion: 2,
    ArtifactName: target,
    ArtifactType: 'filesystem',
    Results: [
      ...[...byFile].map(([file, list]) => ({
        Target: file,
        Class: 'lang-pkgs',
        Vulnerabilities: list.map((v) => ({
          VulnerabilityID: v.id,
          PkgName: v.package,
          InstalledVersion: v.version,
          FixedVersion: v.fixedVersions.join(', '),
          Severity: trivySeverity[v.severity] ?? 'UNKNOWN',
          Title: v.title ?? '',
          References: v.aliases,
        })),
      })),
      ...(secrets.length === 0
        ? []
        : [...new Set(secrets.map((s) => s.file))].map((file) => ({
            Target: file,
            Class: 'secret',
            Secrets: secrets
              .filter((s) => s.file === file)
              .map((s) => ({
                RuleID: s.rule,
                Category: s.tags[0] ?? 'secret',
                Severity: 'HIGH',
                Title: s.description,
                StartLine: s.line,
                EndLine: s.endLine ?? s.line,
                Match: s.secret,
              })),
          }))),
    ],
  };
}

function table(vulns: readonly Vulnerability[], secrets: readonly SecretFinding[]): string {
  const rows = [
    ...vulns.map(
      (v) =>
        `${v.package}@${v.version}  ${v.id}  ${trivySeverity[v.severity] ?? 'UNKNOWN'}  fixed in ${v.fixedVersions[0] ?? '—'}  (${v.file ?? ''})`,
    ),
    ...secrets.map((s) => `${s.file}:${s.line}  ${s.rule}  HIGH  ${s.secret}`),
  ];
  return `Total: ${vulns.length} vulnerabilities, ${secrets.length} secrets\n${rows.join('\n')}\n`;
}

function sarif(vulns: readonly Vulnerability[], secrets: readonly SecretFinding[]): object {
  const level = (severity: string) =>
    severity === 'critical' || severity === 'high'
      ? 'error'
      : severity === 'medium'
        ? 'warning'
        : 'note';
  const results = [
    ...vulns.map((v) => ({
      ruleId: v.id,
      level: level(v.severity),
      message: {
        text: `${v.package}@${v.version}: ${v.title ?? v.id}${v.fixedVersions[0] ? ` (fixed in ${v.fixedVersions[0]})` : ''}`,
      },
      locations: [{ physicalLocation: { artifactLocation: { uri: v.file ?? '' } } }],
    })),
    ...secrets.map((s) => ({
      ruleId: s.rule,
      level: 'error',
      message: { text: s.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: s.file },
            region: { startLine: Math.max(1, s.line) },
          },
        },
      ],
    })),
  ];
  return {
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gantry',
            rules: [...new Set(results.map((r) => r.ruleId))].map((id) => ({ id })),
          },
        },
        results,
      },
    ],
  };
}
