/**
 * Canary and blue-green analysis with Argo Rollouts' semantics: metrics measured on an
 * interval, judged by success/failure conditions, decided by failure, inconclusive and
 * consecutive-error limits. The deployment controller uses this door only.
 */
export { parseCondition, type Condition } from './condition.js';
export { evaluateCondition, type ResultValue } from './condition-eval.js';
export { parseDuration } from './duration.js';
export {
  analysisPhase,
  measurementPhase,
  tally,
  toMeasurement,
  worstPhase,
  type Tally,
} from './evaluate.js';
export { startLoad, type Load, type LoadOptions, type LoadStats } from './load.js';
export {
  errorRetryIntervalMs,
  metricLimits,
  validateMetrics,
  type AnalysisPhase,
  localMeasures,
  type LocalMeasure,
  type Measurement,
  type MeasurementPhase,
  type MetricSpec,
  type ProviderSpec,
} from './metric.js';
export { describeOutcome, formatValue } from './outcome-message.js';
export {
  createLocalProvider,
  createPrometheusProvider,
  createProvider,
  errorRateQuery,
  histogramQuantile,
  latencyQuery,
  providerFactories,
  type Bucket,
  type LocalProviderOptions,
  type MetricProvider,
  type PrometheusProviderOptions,
  type ProviderContext,
  type Reading,
  type TrafficSample,
} from './providers/index.js';
export {
  runAnalysis,
  type AnalysisOutcome,
  type MetricOutcome,
  type RunAnalysisOptions,
} from './run-analysis.js';
