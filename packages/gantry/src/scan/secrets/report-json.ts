import { writeFileSync } from 'node:fs';
import type { SecretFinding } from './types.js';

/**
 * The JSON report: an array of findings (rule, file, line, commit, fingerprint, the redacted
 * secret, entropy, ...). Only fields of SecretFinding are written, so no secret can leak in.
 */
export function secretsJson(findings: readonly SecretFinding[]): string {
  const rows = findings.map((f) => ({
    rule: f.rule,
    description: f.description,
    file: f.file,
    line: f.line,
    ...(f.column !== undefined ? { column: f.column } : {}),
    ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
    ...(f.commit !== undefined ? { commit: f.commit } : {}),
    ...(f.author !== undefined ? { author: f.author } : {}),
    ...(f.email !== undefined ? { email: f.email } : {}),
    ...(f.date !== undefined ? { date: f.date } : {}),
    fingerprint: f.fingerprint,
    secret: f.secret,
    entropy: f.entropy,
    tags: f.tags,
    kind: f.kind,
    tool: f.tool,
    severity: f.severity,
    message: f.message,
  }));
  return `${JSON.stringify(rows, null, 2)}\n`;
}

export function writeSecretsJson(file: string, findings: readonly SecretFinding[]): void {
  writeFileSync(file, secretsJson(findings));
}
