import { GantryError } from '../errors/index.js';
import { parseCondition } from './condition.js';
import type { ResultValue } from './condition-eval.js';

/** What the local provider computes from the deployment proxy's traffic counters. */
export const localMeasures = ['error_rate', 'p50', 'p95', 'p99', 'requests', 'rps'] as const;
export type LocalMeasure = (typeof localMeasures)[number];

export type ProviderSpec =
  | { readonly kind: 'local'; readonly measure: LocalMeasure }
  | { readonly kind: 'prometheus'; readonly address: string; readonly query: string };

/**
 * One metric of an analysis, with the fields and defaults of an Argo Rollouts `Metric`
 * (docs/features/analysis.md), durations already in milliseconds.
 */
export interface MetricSpec {
  readonly name: string;
  readonly provider: ProviderSpec;
  /** Time between measurements; undefined means a single measurement. */
  readonly intervalMs?: number;
  /**
   * Wait before the first measurement, so the new release has taken some traffic. The local
   * provider's first window starts with the run: without a delay it is empty (no traffic).
   */
  readonly initialDelayMs?: number;
  /** Number of measurements. Undefined with an interval: until the caller stops the run; 1 without. */
  readonly count?: number;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  /** Failed measurements tolerated; default 0, -1 tolerates any number. */
  readonly failureLimit?: number;
  /** Inconclusive measurements tolerated; default 0. */
  readonly inconclusiveLimit?: number;
  /** Errors in a row tolerated (the analysis errors on one more); default 4. */
  readonly consecutiveErrorLimit?: number;
  /**
   * What a local measurement whose window saw no requests counts as. Default inconclusive:
   * a release that got no traffic has not been verified, and must not pass silently.
   */
  readonly noTraffic?: 'inconclusive' | 'fail' | 'pass';
}

export type MeasurementPhase = 'successful' | 'failed' | 'inconclusive' | 'error';

export interface Measurement {
  readonly phase: MeasurementPhase;
  readonly value?: ResultValue;
  /** Epoch milliseconds when the measurement finished. */
  readonly at: number;
  /** Why it is not successful: the condition it failed, "no traffic", the provider's error. */
  readonly message?: string;
}

export type AnalysisPhase = 'running' | 'successful' | 'failed' | 'inconclusive' | 'error';

/** Argo's DefaultErrorRetryInterval: a metric without an interval retries an error after 10 s. */
export const errorRetryIntervalMs = 10_000;

/** A metric's limits with Argo's defaults filled in. */
export function metricLimits(spec: MetricSpec) {
  return {
    failureLimit: spec.failureLimit ?? 0,
    inconclusiveLimit: spec.inconclusiveLimit ?? 0,
    consecutiveErrorLimit: spec.consecutiveErrorLimit ?? 4,
    // Argo's EffectiveCount: both omitted means one measurement; an interval alone, no end.
    count: spec.count ?? (spec.intervalMs === undefined ? 1 : undefined),
  };
}

/**
 * Checks metrics before a run starts, so a typo fails the deployment at once rather than
 * as error measurements mid-rollout. Conditions throw GANTRY_ANALYSIS_CONDITION_INVALID
 * with a column; every other problem is listed together in one GANTRY_CONFIG_INVALID.
 */
export function validateMetrics(metrics: readonly MetricSpec[]): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  const integer = (name: string, field: string, value: number | undefined, min: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min))
      problems.push(`metric "${name}": ${field} must be an integer >= ${min}, not ${value}`);
  };
  for (const m of metrics) {
    if (m.successCondition !== undefined) parseCondition(m.successCondition);
    if (m.failureCondition !== undefined) parseCondition(m.failureCondition);
    if (seen.has(m.name)) problems.push(`metric "${m.name}" is defined twice`);
    seen.add(m.name);
    integer(m.name, 'count', m.count, 1);
    integer(m.name, 'failureLimit', m.failureLimit, -1);
    integer(m.name, 'inconclusiveLimit', m.inconclusiveLimit, 0);
    integer(m.name, 'consecutiveErrorLimit', m.consecutiveErrorLimit, 0);
    if (m.intervalMs !== undefined && !(m.intervalMs > 0))
      problems.push(`metric "${m.name}": intervalMs must be positive, not ${m.intervalMs}`);
    if (m.initialDelayMs !== undefined && !(m.initialDelayMs >= 0))
      problems.push(`metric "${m.name}": initialDelayMs must not be negative`);
    // Argo: "count > 1 requires interval"; without one all measurements would be taken at once.
    if ((m.count ?? 1) > 1 && m.intervalMs === undefined)
      problems.push(`metric "${m.name}": count ${m.count} needs an interval between measurements`);
  }
  if (problems.length > 0) {
    throw new GantryError('GANTRY_CONFIG_INVALID', problems.join('\n'), {
      hint: 'analysis metrics follow Argo Rollouts: https://argo-rollouts.readthedocs.io/en/stable/features/analysis/',
    });
  }
}
