import picomatch from 'picomatch';
import { mergeModels } from '../reports/merge.js';
import type { ReportModel, ReportPart, SizeEntry } from '../reports/model.js';
import { applyIgnores, type IgnoreEntry } from './ignores.js';
import { metricKey, metricValue, type MetricValue } from './metrics.js';
import { compare, parseRule, type Rule } from './rule.js';

/** What the gate decides with: rules, and the components rules may be scoped to. */
export interface GatePolicy {
  readonly require: readonly string[];
  readonly warn: readonly string[];
  /** Component name → globs of paths (relative to the repository root) that belong to it. */
  readonly components: Readonly<Record<string, readonly string[]>>;
}

export interface GateInput {
  readonly policy: GatePolicy;
  /** Every report read, with the path it was read from (relative to the repository root). */
  readonly reports: readonly { readonly file: string; readonly part: ReportPart }[];
  readonly sizes: readonly SizeEntry[];
  readonly ignores: readonly IgnoreEntry[];
  /** Metrics of the last passing gate on the default branch. */
  readonly baseline?: { readonly sha: string; readonly metrics: Readonly<Record<string, number>> };
  /** `YYYY-MM-DD`, for ignore expiry. */
  readonly today: string;
}

export interface GateRow {
  readonly level: 'required' | 'warning';
  readonly rule: string;
  /** `n/a`: a delta with no baseline yet; it passes. */
  readonly status: 'pass' | 'fail' | 'n/a';
  readonly value?: number;
  /** The comparison the value had to meet: `>= 80`. */
  readonly threshold: string;
  /** Why it failed or was not evaluated, in words. */
  readonly why?: string;
  /** On a failure of a count: what was counted (failed tests, findings, vulnerabilities). */
  readonly items?: readonly string[];
}

export interface GateOutcome {
  readonly passed: boolean;
  readonly rows: readonly GateRow[];
  /** Every metric the rules used and the standard ones, for the next baseline. */
  readonly metrics: Readonly<Record<string, number>>;
  /** The merged model after ignores. */
  readonly model: ReportModel;
  readonly expired: readonly IgnoreEntry[];
}

/** Metrics recorded with every result, so later gates can compare against them. */
const standardMetrics: readonly (readonly string[])[] = [
  ['tests', 'total'],
  ['tests', 'failed'],
  ['tests', 'skipped'],
  ['coverage', 'lines'],
  ['coverage', 'branches'],
  ['coverage', 'functions'],
  ['findings', 'total'],
  ['findings', 'medium_plus'],
  ['secrets'],
  ['vulns', 'total'],
  ['vulns', 'high_plus'],
  ['latency', 'p95_ms'],
];

/**
 * Decides a gate. Pure: reports are already read, sizes measured, ignore files parsed and
 * the baseline looked up by the caller. Rules are parsed first, so a typo fails before any
 * verdict. Required rules that fail (or cannot be evaluated because a report is missing)
 * fail the gate, as does an expired ignore; warnings never do.
 */
export function evaluateGate(input: GateInput): GateOutcome {
  const rules = [
    ...input.policy.require.map((text) => ({ level: 'required' as const, rule: parseRule(text) })),
    ...input.policy.warn.map((text) => ({ level: 'warning' as const, rule: parseRule(text) })),
  ];
  const { model, expired } = applyIgnores(
    { ...mergeModels(input.reports.map((r) => r.part)), sizes: input.sizes },
    input.ignores,
    input.today,
  );
  const scoped = new Map<string, ReportModel>();
  const modelFor = (component: string | undefined): ReportModel => {
    if (component === undefined) return model;
    let found = scoped.get(component);
    if (!found) {
      found = componentModel(input, component);
      scoped.set(component, found);
    }
    return found;
  };
  const metrics: Record<string, number> = {};
  const measure = (given: readonly string[]): MetricValue => {
    const path = canonical(given);
    const component =
      path[0] !== undefined && path[0] in input.policy.components ? path[0] : undefined;
    const result = metricValue(modelFor(component), component ? path.slice(1) : path);
    if ('value' in result) metrics[metricKey(path)] = result.value;
    return result;
  };
  for (const path of standardMetrics) measure(path);
  for (const size of input.sizes) measure(['size', size.path, 'bytes']);

  const rows: GateRow[] = rules.map(({ level, rule }) => evaluateRule(level, rule, measure, input));
  for (const entry of expired)
    rows.push({
      level: 'required',
      rule: `ignore ${entry.id}`,
      status: 'fail',
      threshold: `expires ${entry.expires ?? ''}`,
      why: `expired on ${entry.expires ?? ''} (${entry.source}${entry.reason ? `: ${entry.reason}` : ''}); fix it or renew the entry`,
    });
  const passed = rows.every((row) => row.level === 'warning' || row.status !== 'fail');
  return { passed, rows, metrics, model, expired };
}

/** `size['x']` means `size['x'].bytes` (also after a component name), so both share a baseline key. */
function canonical(path: readonly string[]): readonly string[] {
  const at = path.indexOf('size');
  return at !== -1 && path.length === at + 2 ? [...path, 'bytes'] : path;
}

function evaluateRule(
  level: 'required' | 'warning',
  rule: Rule,
  measure: (path: readonly string[]) => MetricValue,
  input: GateInput,
): GateRow {
  const threshold = `${rule.op} ${rule.threshold}`;
  const last = rule.path.at(-1);
  const delta = last === 'delta' || last === 'delta_pct';
  const path = canonical(delta ? rule.path.slice(0, -1) : rule.path);
  const current = measure(path);
  if ('missing' in current)
    return { level, rule: rule.text, status: 'fail', threshold, why: current.missing };
  let value = current.value;
  if (delta) {
    const before = input.baseline?.metrics[metricKey(path)];
    if (before === undefined)
      return {
        level,
        rule: rule.text,
        status: 'n/a',
        threshold,
        why: input.baseline
          ? `the baseline (${input.baseline.sha.slice(0, 12)}) has no ${metricKey(path)}`
          : 'no baseline yet: no passing gate recorded on the default branch',
      };
    value =
      last === 'delta_pct'
        ? before === 0
          ? value === 0
            ? 0
            : 100
          : Math.round(((value - before) / before) * 10_000) / 100
        : Math.round((value - before) * 100) / 100;
  }
  const ok = compare(value, rule.op, rule.threshold);
  const items = !ok && !delta && current.items?.length ? { items: current.items } : {};
  return {
    level,
    rule: rule.text,
    status: ok ? 'pass' : 'fail',
    value,
    threshold,
    ...(ok ? {} : { why: `${value} is not ${threshold}` }),
    ...items,
  };
}

/**
 * A component's view: the reports read from its paths, plus what other reports say about
 * files in its paths (a repository-wide SARIF file covers every component), after ignores.
 */
function componentModel(input: GateInput, component: string): ReportModel {
  const inside = picomatch([...(input.policy.components[component] ?? [])], { dot: true });
  const inPaths = (file: string | undefined) => file !== undefined && inside(file);
  const own = mergeModels(input.reports.filter((r) => inside(r.file)).map((r) => r.part));
  const others = mergeModels(input.reports.filter((r) => !inside(r.file)).map((r) => r.part));
  const raw: ReportModel = {
    ...own,
    findings: [...own.findings, ...others.findings.filter((f) => inPaths(f.file))],
    secrets: [...own.secrets, ...others.secrets.filter((f) => inPaths(f.file))],
    vulns: [...own.vulns, ...others.vulns.filter((v) => inPaths(v.file))],
    sizes: input.sizes.filter((s) => inPaths(s.path)),
  };
  return applyIgnores(raw, input.ignores, input.today).model;
}
