import { GantryError } from '../../errors/index.js';
import type { ProviderSpec } from '../metric.js';
import { createLocalProvider, type TrafficSample } from './local.js';
import { createPrometheusProvider } from './prometheus.js';
import type { MetricProvider } from './provider.js';

/** What providers need from the caller besides the metric's own `provider` block. */
export interface ProviderContext {
  /** The proxy's counters for the release under analysis; required by `local`. */
  readonly sample?: () => TrafficSample;
  readonly now?: () => number;
  /** Prometheus query timeout; default 5 s. */
  readonly timeoutMs?: number;
}

type Factory<K extends ProviderSpec['kind']> = (
  spec: Extract<ProviderSpec, { readonly kind: K }>,
  context: ProviderContext,
) => MetricProvider;

/** One factory per `provider.kind`; a new provider is a sibling file and a line here. */
export const providerFactories: { readonly [K in ProviderSpec['kind']]: Factory<K> } = {
  local: (spec, context) => {
    if (!context.sample) {
      throw new GantryError(
        'GANTRY_ANALYSIS_PROVIDER_FAILED',
        `the local provider (${spec.measure}) needs the proxy's traffic counters of the release`,
        { hint: 'pass `sample` in the provider context, or use a prometheus provider' },
      );
    }
    return createLocalProvider(spec.measure, {
      sample: context.sample,
      ...(context.now ? { now: context.now } : {}),
    });
  },
  prometheus: (spec, context) =>
    createPrometheusProvider(
      spec,
      context.timeoutMs === undefined ? {} : { timeoutMs: context.timeoutMs },
    ),
};

export function createProvider(spec: ProviderSpec, context: ProviderContext = {}): MetricProvider {
  // The cast pairs the spec with its own factory; the mapped type guarantees one per kind.
  const factory = providerFactories[spec.kind] as Factory<ProviderSpec['kind']>;
  return factory(spec as never, context);
}

export { createLocalProvider, type LocalProviderOptions, type TrafficSample } from './local.js';
export { histogramQuantile, type Bucket } from './histogram.js';
export { createPrometheusProvider, type PrometheusProviderOptions } from './prometheus.js';
export { errorRateQuery, latencyQuery } from './queries.js';
export type { MetricProvider, Reading } from './provider.js';
