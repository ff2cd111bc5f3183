import type { Finding, ReportModel, Severity, Vulnerability } from '../reports/model.js';

/**
 * The value of a metric path in a model, or why there is none. Paths, after an optional
 * component name (resolved by the caller):
 *
 * - `tests.total|passed|failed|errors|skipped|pass_rate` (`failed` counts failures and errors)
 * - `coverage.lines|branches|functions` (percent), with `.covered` / `.total`
 * - `findings[.TOOL].critical|high|medium|low|info|unknown|total|<severity>_plus`
 * - `secrets[.total]`, `vulns[.fixable].<severity>|<severity>_plus|total`
 * - `latency.p50_ms|p90_ms|p95_ms|p99_ms|mean_ms|max_ms|requests|errors|rps`
 * - `size['PATH'][.bytes]` (measured by the caller into `model.sizes`)
 *
 * A trailing `.delta` (or `.delta_pct` for sizes) is resolved by the evaluator against the
 * baseline, not here.
 */
export type MetricValue =
  | {
      value: number;
      /** What was counted, one line each (failed tests, findings, vulnerabilities). */
      items?: readonly string[];
    }
  | { missing: string };

/** One counted thing: its severity and how a person finds it. */
interface Counted {
  readonly severity: Severity;
  readonly label: string;
}

const where = (file: string | undefined, line: number | undefined): string =>
  file === undefined ? '' : ` at ${file}${line === undefined ? '' : `:${line}`}`;

/** A finding as a line: rule, message and place (secrets' messages are redacted already). */
export function findingLabel(finding: Finding): string {
  const message = finding.message.split('\n')[0] ?? '';
  return `${finding.rule} ${finding.severity}: ${message}${where(finding.file, finding.line)}`;
}

export function vulnerabilityLabel(vuln: Vulnerability): string {
  const fix = vuln.fixedVersions.length > 0 ? `, fixed in ${vuln.fixedVersions.join(', ')}` : '';
  return `${vuln.id} ${vuln.severity}: ${vuln.package} ${vuln.version}${fix}${vuln.file ? ` (${vuln.file})` : ''}`;
}

const order: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];

export function metricValue(model: ReportModel, path: readonly string[]): MetricValue {
  const [head, ...rest] = path;
  switch (head) {
    case 'tests':
      return testsMetric(model, rest);
    case 'coverage':
      return coverageMetric(model, rest);
    case 'findings':
      return findingsMetric(model.findings, rest, 'findings');
    case 'secrets':
      return findingsMetric(model.secrets, rest.length === 0 ? ['total'] : rest, 'secrets');
    case 'vulns':
      return vulnsMetric(model.vulns, rest);
    case 'latency':
      return latencyMetric(model, rest);
    case 'size':
      return sizeMetric(model, rest);
    default:
      return { missing: `unknown metric '${head ?? ''}'` };
  }
}

function testsMetric(model: ReportModel, rest: readonly string[]): MetricValue {
  const tests = model.tests;
  if (!tests) return { missing: 'no test report was read' };
  const failed = tests.failed + tests.errors;
  if (rest.length === 1 && (rest[0] === 'failed' || rest[0] === 'errors')) {
    const statuses = rest[0] === 'failed' ? ['failed', 'error'] : ['error'];
    const items = tests.cases
      .filter((c) => statuses.includes(c.status))
      .map((c) => `${c.suite ? `${c.suite} › ` : ''}${c.name}${c.message ? `: ${c.message}` : ''}`);
    return { value: rest[0] === 'failed' ? failed : tests.errors, items };
  }
  const values: Record<string, number> = {
    total: tests.total,
    passed: tests.passed,
    failed,
    errors: tests.errors,
    skipped: tests.skipped,
    pass_rate:
      tests.total - tests.skipped === 0 ? 100 : percent(tests.passed, tests.total - tests.skipped),
  };
  return pick(values, rest, 'tests');
}

function coverageMetric(model: ReportModel, rest: readonly string[]): MetricValue {
  const coverage = model.coverage;
  if (!coverage) return { missing: 'no coverage report was read' };
  const [kind = 'lines', detail] = rest;
  if (kind !== 'lines' && kind !== 'branches' && kind !== 'functions')
    return { missing: `unknown coverage metric '${kind}' (lines, branches, functions)` };
  const ratio = coverage[kind];
  if (!ratio) return { missing: `the coverage report has no ${kind}` };
  if (detail === undefined) return { value: percent(ratio.covered, ratio.total) };
  if (detail === 'covered') return { value: ratio.covered };
  if (detail === 'total') return { value: ratio.total };
  return { missing: `unknown coverage detail '${detail}' (covered, total, delta)` };
}

function findingsMetric(
  findings: readonly Finding[],
  rest: readonly string[],
  what: string,
): MetricValue {
  let selected = findings;
  let parts = rest;
  const first = parts[0];
  if (first !== undefined && !isCountName(first)) {
    selected = findings.filter((f) => f.tool === first || f.rule === first);
    parts = parts.slice(1);
  }
  return countBySeverity(
    selected.map((f) => ({ severity: f.severity, label: findingLabel(f) })),
    parts,
    what,
  );
}

function vulnsMetric(vulns: readonly Vulnerability[], rest: readonly string[]): MetricValue {
  const fixable = rest[0] === 'fixable';
  const selected = fixable ? vulns.filter((v) => v.fixedVersions.length > 0) : vulns;
  return countBySeverity(
    selected.map((v) => ({ severity: v.severity, label: vulnerabilityLabel(v) })),
    fixable ? rest.slice(1) : rest,
    'vulns',
  );
}

function isCountName(name: string): boolean {
  return name === 'total' || order.includes(name as Severity) || name.endsWith('_plus');
}

/** `high` counts high only; `high_plus` counts high and critical. */
function countBySeverity(
  found: readonly Counted[],
  rest: readonly string[],
  what: string,
): MetricValue {
  const [name = 'total', ...extra] = rest;
  if (extra.length > 0) return { missing: `unexpected '${extra.join('.')}' after ${what}.${name}` };
  const counted = (selected: readonly Counted[]) => ({
    value: selected.length,
    items: selected.map((c) => c.label),
  });
  if (name === 'total') return counted(found);
  if (order.includes(name as Severity)) return counted(found.filter((c) => c.severity === name));
  const floor = name.endsWith('_plus') ? (name.slice(0, -5) as Severity) : undefined;
  if (floor && order.includes(floor)) {
    const rank = order.indexOf(floor);
    return counted(
      found.filter((c) => c.severity !== 'unknown' && order.indexOf(c.severity) <= rank),
    );
  }
  return {
    missing: `unknown count '${name}' (total, critical, high, medium, low, info, <severity>_plus)`,
  };
}

function latencyMetric(model: ReportModel, rest: readonly string[]): MetricValue {
  if (!model.latency) return { missing: 'no latency report was read' };
  const [name] = rest;
  const value = name === undefined ? undefined : (model.latency as Record<string, unknown>)[name];
  return typeof value === 'number'
    ? { value }
    : { missing: `the latency report has no ${name ?? 'value'}` };
}

function sizeMetric(model: ReportModel, rest: readonly string[]): MetricValue {
  const [file, detail = 'bytes'] = rest;
  const entry = model.sizes.find((s) => s.path === file);
  if (!entry) return { missing: `no size measured for ${file ?? '(no path)'}` };
  if (detail !== 'bytes')
    return { missing: `unknown size detail '${detail}' (bytes, delta, delta_pct)` };
  return { value: entry.bytes };
}

function pick(values: Record<string, number>, rest: readonly string[], what: string): MetricValue {
  const [name] = rest;
  if (name === undefined)
    return { missing: `name a ${what} metric: ${Object.keys(values).join(', ')}` };
  const value = values[name];
  return value === undefined
    ? { missing: `unknown ${what} metric '${name}' (${Object.keys(values).join(', ')})` }
    : { value };
}

/** Percent with two decimals; an empty total is 100 % (nothing to cover). */
export function percent(covered: number, total: number): number {
  return total === 0 ? 100 : Math.round((covered / total) * 10_000) / 100;
}

/** The canonical name of a metric path, used as the key of recorded baselines. */
export function metricKey(path: readonly string[]): string {
  return path
    .map((part, i) =>
      /^[A-Za-z_][A-Za-z0-9_-]*$/.test(part)
        ? `${i === 0 ? '' : '.'}${part}`
        : `[${JSON.stringify(part)}]`,
    )
    .join('');
}
