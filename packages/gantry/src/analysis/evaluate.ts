import { isGantryError } from '../errors/index.js';
import { parseCondition } from './condition.js';
import { evaluateCondition, type ResultValue } from './condition-eval.js';
import {
  metricLimits,
  type AnalysisPhase,
  type Measurement,
  type MeasurementPhase,
  type MetricSpec,
} from './metric.js';
import type { Reading } from './providers/provider.js';

/**
 * The phase of one measured value, as Argo's `EvaluateResult`: with only a success
 * condition, not matching it fails; with only a failure condition, not matching it succeeds;
 * with both, matching neither is inconclusive (and matching both fails); with none, any
 * value succeeds. Throws GANTRY_ANALYSIS_CONDITION_INVALID when a condition cannot apply to
 * the value (a list where one number is needed).
 */
export function measurementPhase(spec: MetricSpec, value: ResultValue): MeasurementPhase {
  return judge(spec, value).phase;
}

function judge(
  spec: MetricSpec,
  value: ResultValue,
): { phase: MeasurementPhase; message?: string } {
  const { successCondition: success, failureCondition: failure } = spec;
  const succeeded =
    success === undefined ? undefined : evaluateCondition(parseCondition(success), value);
  const failed =
    failure === undefined ? undefined : evaluateCondition(parseCondition(failure), value);
  if (failed === true) return { phase: 'failed', message: `matched failureCondition "${failure}"` };
  if (succeeded === false && failed === undefined)
    return { phase: 'failed', message: `failed "${success}"` };
  if (succeeded === false)
    return {
      phase: 'inconclusive',
      message: `matched neither successCondition "${success}" nor failureCondition "${failure}"`,
    };
  return { phase: 'successful' };
}

/** Turns a provider reading into a measurement; never throws for a bad value. */
export function toMeasurement(spec: MetricSpec, reading: Reading, at: number): Measurement {
  if (!reading.ok) return { phase: 'error', at, message: reading.message };
  const { value } = reading;
  if (reading.noTraffic) {
    const policy = spec.noTraffic ?? 'inconclusive';
    const phase = policy === 'fail' ? 'failed' : policy === 'pass' ? 'successful' : 'inconclusive';
    return { phase, value, at, message: `with no traffic in the window (noTraffic: ${policy})` };
  }
  try {
    return { ...judge(spec, value), value, at };
  } catch (error) {
    // Argo records a condition that cannot be evaluated as an error measurement, not a crash.
    if (!isGantryError(error)) throw error;
    return { phase: 'error', value, at, message: `${error.code}: ${error.message}` };
  }
}

/** Counters of a metric's measurements, named as in Argo's MetricResult. */
export interface Tally {
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
  readonly consecutiveErrors: number;
  /** Measurements that count toward `count`: every phase but error, as in Argo. */
  readonly count: number;
}

export function tally(measurements: readonly Measurement[]): Tally {
  const t = { successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveErrors: 0, count: 0 };
  for (const m of measurements) {
    t[m.phase] += 1;
    t.consecutiveErrors = m.phase === 'error' ? t.consecutiveErrors + 1 : 0;
    if (m.phase !== 'error') t.count += 1;
  }
  return t;
}

/**
 * A metric's phase from its measurements, as Argo's `assessMetricStatus`: limits are
 * exceeded, not reached (failureLimit 0 fails on the first failure; consecutiveErrorLimit 4
 * errors on the fifth error in a row). `ended`: the run was stopped (the rollout moved on or
 * was aborted), so a metric that has not broken a limit counts as successful.
 */
export function analysisPhase(
  spec: MetricSpec,
  measurements: readonly Measurement[],
  opts: { readonly ended?: boolean } = {},
): AnalysisPhase {
  const limits = metricLimits(spec);
  const t = tally(measurements);
  if (limits.failureLimit >= 0 && t.failed > limits.failureLimit) return 'failed';
  if (t.inconclusive > limits.inconclusiveLimit) return 'inconclusive';
  if (t.consecutiveErrors > limits.consecutiveErrorLimit) return 'error';
  if (limits.count !== undefined && t.count >= limits.count) return 'successful';
  return opts.ended ? 'successful' : 'running';
}

/** Worst first, as Argo's `IsWorse`: one failed metric fails the whole analysis. */
const severity: readonly AnalysisPhase[] = [
  'failed',
  'error',
  'inconclusive',
  'running',
  'successful',
];

export function worstPhase(phases: readonly AnalysisPhase[]): AnalysisPhase {
  return severity.find((p) => phases.includes(p)) ?? 'successful';
}
