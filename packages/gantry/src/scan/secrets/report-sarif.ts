import { writeFileSync } from 'node:fs';
import type { SecretFinding } from './types.js';

export interface SarifOptions {
  /** Gantry's version, for `tool.driver.semanticVersion`. */
  readonly version?: string;
  /** Rules to list besides those with results (e.g. every rule that ran). */
  readonly rules?: ReadonlyArray<{ readonly id: string; readonly description: string }>;
}

/**
 * SARIF 2.1.0 for code scanning: one run of `gantry-secrets`, a rule per rule id, a result
 * per finding with its location, and the gitleaks fingerprint (plus the commit) as partial
 * fingerprints so re-uploads match up. No snippet is included: it would hold the secret.
 */
export function secretsSarif(
  findings: readonly SecretFinding[],
  options: SarifOptions = {},
): object {
  const rules = new Map<string, string>();
  for (const rule of options.rules ?? []) rules.set(rule.id, rule.description);
  for (const f of findings) if (!rules.has(f.rule)) rules.set(f.rule, f.description);
  const ids = [...rules.keys()].sort();
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gantry-secrets',
            ...(options.version ? { semanticVersion: options.version } : {}),
            rules: ids.map((id) => ({
              id,
              name: id,
              shortDescription: { text: rules.get(id)! },
              defaultConfiguration: { level: 'error' },
              properties: { tags: ['security', 'secret'] },
            })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: ids.indexOf(f.rule),
          level: 'error',
          message: {
            text: `${f.message}${f.commit ? ` (commit ${f.commit.slice(0, 12)})` : ''}`,
          },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.file), uriBaseId: '%SRCROOT%' },
                ...(f.line > 0
                  ? {
                      region: {
                        startLine: f.line,
                        ...(f.column !== undefined ? { startColumn: f.column } : {}),
                        ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
                      },
                    }
                  : {}),
              },
            },
          ],
          partialFingerprints: {
            'gitleaksFingerprint/v1': f.fingerprint,
            ...(f.commit ? { commitSha: f.commit } : {}),
          },
          properties: {
            redactedSecret: f.secret,
            entropy: f.entropy,
            ...(f.commit ? { commit: f.commit } : {}),
            ...(f.author ? { author: f.author } : {}),
            ...(f.date ? { date: f.date } : {}),
          },
        })),
      },
    ],
  };
}

export function writeSecretsSarif(
  file: string,
  findings: readonly SecretFinding[],
  options: SarifOptions = {},
): void {
  writeFileSync(file, `${JSON.stringify(secretsSarif(findings, options), null, 2)}\n`);
}
