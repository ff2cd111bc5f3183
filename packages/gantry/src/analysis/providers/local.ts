import type { LocalMeasure } from '../metric.js';
import { histogramQuantile, type Bucket } from './histogram.js';
import { providerFailure, type MetricProvider, type Reading } from './provider.js';

/**
 * Cumulative traffic counters of one release, as the deployment proxy returns them
 * (the proxy's own type has this shape; analysis/ may not import proxy/).
 */
export interface TrafficSample {
  /** Completed requests. */
  readonly requests: number;
  /** Responses with a status >= 500. */
  readonly errors: number;
  /** Cumulative buckets, `le` in seconds, the last one `le: Infinity`. */
  readonly latencyBuckets: readonly Bucket[];
  readonly latencySumSeconds: number;
}

export interface LocalProviderOptions {
  /** Reads the counters of the release under analysis. */
  readonly sample: () => TrafficSample;
  readonly now?: () => number;
}

const quantiles: Partial<Record<LocalMeasure, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };

/**
 * Measures the proxy's traffic over the window since the previous measurement (the first
 * window starts when the provider is created), like PromQL's `increase()` over counters:
 *
 * - `error_rate`: Δerrors / Δrequests, NaN with no requests;
 * - `p50` / `p95` / `p99`: milliseconds, `histogram_quantile` over the Δ of the buckets;
 * - `requests`: Δrequests; `rps`: Δrequests per second of the window.
 *
 * Every reading says whether the window had traffic, for the metric's `noTraffic`.
 */
export function createLocalProvider(
  measure: LocalMeasure,
  options: LocalProviderOptions,
): MetricProvider {
  const now = options.now ?? Date.now;
  let previous = options.sample();
  let previousAt = now();
  return {
    kind: 'local',
    measure(): Promise<Reading> {
      let current: TrafficSample;
      try {
        current = options.sample();
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return Promise.resolve(
          providerFailure('local', `cannot read the proxy's counters: ${why}`),
        );
      }
      const at = now();
      const window = delta(previous, current);
      const seconds = (at - previousAt) / 1_000;
      previous = current;
      previousAt = at;
      return Promise.resolve({
        ok: true,
        value: valueOf(measure, window, seconds),
        noTraffic: window.requests === 0,
      });
    },
  };
}

function valueOf(measure: LocalMeasure, window: TrafficSample, seconds: number): number {
  const q = quantiles[measure];
  if (q !== undefined) return histogramQuantile(q, window.latencyBuckets) * 1_000;
  switch (measure) {
    case 'error_rate':
      return window.requests === 0 ? NaN : window.errors / window.requests;
    case 'requests':
      return window.requests;
    default:
      return seconds > 0 ? window.requests / seconds : NaN;
  }
}

/**
 * The traffic between two samples. Counters only go down when the proxy restarted; then,
 * as Prometheus' `rate()` does on a counter reset, the new counters are the whole window.
 */
export function delta(before: TrafficSample, after: TrafficSample): TrafficSample {
  if (after.requests < before.requests || after.errors < before.errors) return after;
  const earlier = new Map(before.latencyBuckets.map((b) => [b.le, b.count]));
  return {
    requests: after.requests - before.requests,
    errors: after.errors - before.errors,
    latencyBuckets: after.latencyBuckets.map((b) => ({
      le: b.le,
      count: Math.max(0, b.count - (earlier.get(b.le) ?? 0)),
    })),
    latencySumSeconds: after.latencySumSeconds - before.latencySumSeconds,
  };
}
