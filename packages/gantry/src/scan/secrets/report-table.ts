import type { SecretFinding } from './types.js';

/**
 * The human report: one row per finding (rule, location, commit, redacted secret), then a
 * summary line. Plain text; the CLI decides where it goes.
 */
export function formatSecretsTable(findings: readonly SecretFinding[]): string {
  if (findings.length === 0) return 'no secrets found\n';
  const history = findings.some((f) => f.commit !== undefined);
  const header = ['RULE', 'LOCATION', ...(history ? ['COMMIT'] : []), 'SECRET'];
  const rows = findings.map((f) => [
    f.rule,
    f.line > 0 ? `${f.file}:${f.line}` : f.file,
    ...(history ? [f.commit?.slice(0, 12) ?? ''] : []),
    f.secret,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => [...r[i]!].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const files = new Set(findings.map((f) => f.file)).size;
  const noun = findings.length === 1 ? 'secret' : 'secrets';
  return `${[line(header), ...rows.map(line)].join('\n')}\n\n${findings.length} ${noun} found in ${files} file${files === 1 ? '' : 's'}\n`;
}
