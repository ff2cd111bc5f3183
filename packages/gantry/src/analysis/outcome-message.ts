import type { ResultValue } from './condition-eval.js';
import { tally, worstPhase } from './evaluate.js';
import { metricLimits, type AnalysisPhase, type Measurement, type MetricSpec } from './metric.js';

export interface MetricState {
  readonly spec: MetricSpec;
  readonly phase: AnalysisPhase;
  readonly measurements: readonly Measurement[];
}

/**
 * One line saying why an analysis ended as it did, for the deployment's status and the
 * abort reason: which metric, which value, which condition, which limit, e.g.
 * `error-rate: 0.31 failed "result < 0.05" (1 failure > failureLimit 0)`.
 */
export function describeOutcome(metrics: readonly MetricState[], ended: boolean): string {
  if (metrics.length === 0) return 'no metrics to analyse';
  const phase = worstPhase(metrics.map((m) => m.phase));
  const deciding = metrics.filter((m) => m.phase === phase).map(describeMetric);
  if (phase !== 'successful') return deciding.join('; ');
  const how = ended ? 'stopped early with' : 'all';
  return `${how} ${plural(metrics.length, 'metric')} successful: ${deciding.join('; ')}`;
}

export function describeMetric({ spec, phase, measurements }: MetricState): string {
  const limits = metricLimits(spec);
  const t = tally(measurements);
  const last = measurements.findLast((m) => m.phase === phase) ?? measurements.at(-1);
  const measured = last ? `${formatValue(last.value)} ${last.message ?? ''}`.trim() : '';
  switch (phase) {
    case 'failed':
      return `${spec.name}: ${measured} (${plural(t.failed, 'failure')} > failureLimit ${limits.failureLimit})`;
    case 'inconclusive':
      return `${spec.name}: ${measured} (${t.inconclusive} inconclusive > inconclusiveLimit ${limits.inconclusiveLimit})`;
    case 'error':
      return (
        `${spec.name}: ${plural(t.consecutiveErrors, 'error')} in a row > consecutiveErrorLimit ` +
        `${limits.consecutiveErrorLimit}; last: ${last?.message ?? 'no message'}`
      );
    case 'successful':
      return t.count === 0
        ? `${spec.name}: no measurement taken`
        : `${spec.name}: ${plural(t.count, 'measurement')}, last ${formatValue(measurements.findLast((m) => m.phase !== 'error')?.value)}`;
    case 'running':
      return `${spec.name}: running, ${plural(t.count, 'measurement')}`;
  }
}

/** Values as a person reads them: 4 significant digits, Prometheus' spelling of infinities. */
export function formatValue(value: ResultValue | undefined): string {
  if (value === undefined) return 'no value';
  if (typeof value !== 'number') return `[${value.map(formatValue).join(', ')}]`;
  if (Number.isNaN(value)) return 'NaN';
  if (Math.abs(value) === Infinity) return value > 0 ? '+Inf' : '-Inf';
  return String(Number(value.toPrecision(4)));
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
