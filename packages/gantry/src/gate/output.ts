import type { ReportModel, Severity } from '../reports/model.js';
import type { GateOutcome, GateRow } from './evaluate.js';

/** What a row shows in its result column. */
function verdict(row: GateRow): string {
  if (row.status === 'pass') return 'pass';
  if (row.status === 'n/a') return 'n/a';
  return row.level === 'required' ? 'FAIL' : 'warn';
}

function shown(value: number | undefined): string {
  return value === undefined ? '—' : String(value);
}

/** Counted things listed under a failed row; the JSON output has all of them. */
const SHOWN_ITEMS = 10;

/** The terminal table: rule, level, value, threshold, result, and why when it did not pass. */
export function gateTable(outcome: GateOutcome): string {
  const header = ['rule', 'level', 'value', 'threshold', 'result'];
  const lines = outcome.rows.map((row) => [
    row.rule,
    row.level,
    shown(row.value),
    row.threshold,
    verdict(row),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  let text = `${format(header)}\n`;
  outcome.rows.forEach((row, i) => {
    text += `${format(lines[i] ?? [])}\n`;
    if (row.why && row.status !== 'pass') text += `    ${row.why}\n`;
    for (const item of (row.items ?? []).slice(0, SHOWN_ITEMS)) text += `      - ${item}\n`;
    const more = (row.items?.length ?? 0) - SHOWN_ITEMS;
    if (more > 0) text += `      ... and ${more} more (--json lists all)\n`;
  });
  const failed = outcome.rows.filter((r) => r.level === 'required' && r.status === 'fail').length;
  const warned = outcome.rows.filter((r) => r.level === 'warning' && r.status === 'fail').length;
  text += outcome.passed
    ? `gate passed${warned > 0 ? ` with ${warned} warning${warned === 1 ? '' : 's'}` : ''}\n`
    : `gate FAILED: ${failed} required rule${failed === 1 ? '' : 's'} not met\n`;
  return text;
}

/** Markdown for GITHUB_STEP_SUMMARY or a pull-request comment. */
export function gateMarkdown(outcome: GateOutcome): string {
  const icon = (row: GateRow) =>
    row.status === 'pass'
      ? '✅'
      : row.status === 'n/a'
        ? '➖'
        : row.level === 'required'
          ? '❌'
          : '⚠️';
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  let md = `### Quality gate: ${outcome.passed ? 'passed' : 'failed'}\n\n`;
  md += '| | Rule | Level | Value | Threshold | Why |\n|---|---|---|---|---|---|\n';
  for (const row of outcome.rows)
    md += `| ${icon(row)} | \`${cell(row.rule)}\` | ${row.level} | ${shown(row.value)} | ${cell(row.threshold)} | ${cell(whyWithItems(row))} |\n`;
  return md;
}

function whyWithItems(row: GateRow): string {
  const items = row.items ?? [];
  if (items.length === 0) return row.why ?? '';
  const listed = items.slice(0, SHOWN_ITEMS).join('; ');
  const more = items.length > SHOWN_ITEMS ? `; and ${items.length - SHOWN_ITEMS} more` : '';
  return `${row.why ?? ''}: ${listed}${more}`;
}

/** Machine-readable result: verdict, rows and the metrics recorded for baselines. */
export function gateJson(outcome: GateOutcome): string {
  return `${JSON.stringify(
    {
      passed: outcome.passed,
      rows: outcome.rows,
      metrics: outcome.metrics,
      expiredIgnores: outcome.expired,
    },
    null,
    2,
  )}\n`;
}

const sarifLevel: Record<Severity, 'error' | 'warning' | 'note' | 'none'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
  unknown: 'warning',
};

/**
 * One SARIF 2.1.0 log with a run per tool: code findings, secrets (redacted messages only)
 * and vulnerabilities (located at their lockfile), for code-scanning uploads.
 */
export function gateSarif(model: ReportModel, gantryVersion: string): object {
  const byTool = new Map<string, { ruleIds: Set<string>; results: object[] }>();
  const add = (
    tool: string,
    rule: string,
    severity: Severity,
    message: string,
    file?: string,
    line?: number,
    fingerprint?: string,
  ) => {
    let run = byTool.get(tool);
    if (!run) {
      run = { ruleIds: new Set(), results: [] };
      byTool.set(tool, run);
    }
    run.ruleIds.add(rule);
    run.results.push({
      ruleId: rule,
      level: sarifLevel[severity],
      message: { text: message },
      ...(file === undefined
        ? {}
        : {
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: file },
                  ...(line === undefined ? {} : { region: { startLine: line } }),
                },
              },
            ],
          }),
      ...(fingerprint === undefined ? {} : { partialFingerprints: { gantry: fingerprint } }),
      properties: { severity },
    });
  };
  for (const f of [...model.findings, ...model.secrets])
    add(f.tool, f.rule, f.severity, f.message, f.file, f.line, f.fingerprint);
  for (const v of model.vulns)
    add(
      v.source,
      v.id,
      v.severity,
      `${v.package}@${v.version} is affected by ${v.id}${v.title ? `: ${v.title}` : ''}${v.fixedVersions.length > 0 ? ` (fixed in ${v.fixedVersions[0] ?? ''})` : ''}`,
      v.file,
    );
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [...byTool].map(([tool, run]) => ({
      tool: {
        driver: {
          name: tool,
          ...(tool === 'gantry' ? { version: gantryVersion } : {}),
          rules: [...run.ruleIds].sort().map((id) => ({ id })),
        },
      },
      results: run.results,
    })),
  };
}
