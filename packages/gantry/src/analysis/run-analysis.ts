import { setTimeout as delay } from 'node:timers/promises';
import { analysisPhase, toMeasurement, worstPhase } from './evaluate.js';
import {
  errorRetryIntervalMs,
  validateMetrics,
  type AnalysisPhase,
  type Measurement,
  type MetricSpec,
} from './metric.js';
import { describeOutcome } from './outcome-message.js';
import type { MetricProvider } from './providers/provider.js';

export interface RunAnalysisOptions {
  readonly metrics: readonly MetricSpec[];
  /** The provider of each metric, created once when the run starts (see providers/index.ts). */
  readonly providerFor: (metric: MetricSpec) => MetricProvider;
  /** Ends the run: the rollout moved on, or was aborted; see `analysisPhase({ ended })`. */
  readonly signal?: AbortSignal;
  /** Awaited before the metric goes on, so the caller can persist every measurement. */
  readonly onMeasurement?: (metricName: string, measurement: Measurement) => void | Promise<void>;
  readonly now?: () => number;
  /** Waits `ms`, returning early once `signal` aborts; tests pass a fake clock. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface MetricOutcome {
  readonly phase: AnalysisPhase;
  readonly measurements: readonly Measurement[];
}

export interface AnalysisOutcome {
  /** Never `running`. */
  readonly phase: AnalysisPhase;
  readonly metrics: Readonly<Record<string, MetricOutcome>>;
  readonly message: string;
}

const realSleep = (ms: number, signal: AbortSignal) =>
  delay(ms, undefined, { signal }).catch(() => undefined);

/**
 * Runs an analysis as an Argo Rollouts AnalysisRun: every metric measures on its own
 * interval, concurrently; the run ends as soon as its phase is known. A metric that fails,
 * errors or is inconclusive ends the run at once (Argo's `IsTerminating`) and the other
 * metrics are judged as ended early; otherwise the run ends when every metric reached its
 * count, or when `signal` aborts. The phase is the worst of the metrics' phases.
 *
 * Invalid metrics throw before anything is measured; a throwing `onMeasurement` stops the
 * run and rejects with its error.
 */
export async function runAnalysis(options: RunAnalysisOptions): Promise<AnalysisOutcome> {
  validateMetrics(options.metrics);
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) stop.abort();

  const states = options.metrics.map((spec) => ({
    spec,
    phase: 'running' as AnalysisPhase,
    measurements: [] as Measurement[],
  }));

  const run = async (state: (typeof states)[number]) => {
    const { spec } = state;
    const provider = options.providerFor(spec);
    if (spec.initialDelayMs) await sleep(spec.initialDelayMs, stop.signal);
    while (!stop.signal.aborted) {
      const reading = await provider.measure(stop.signal).catch((error: unknown) => ({
        ok: false as const,
        message: `GANTRY_ANALYSIS_PROVIDER_FAILED: ${error instanceof Error ? error.message : String(error)}`,
      }));
      // A measurement that finished after the run ended belongs to no run: drop it.
      if (stop.signal.aborted) break;
      const measurement = toMeasurement(spec, reading, now());
      state.measurements.push(measurement);
      await options.onMeasurement?.(spec.name, measurement);
      state.phase = analysisPhase(spec, state.measurements);
      if (state.phase !== 'running') {
        if (state.phase !== 'successful') stop.abort();
        return;
      }
      // Argo retries an errored measurement of a metric without an interval after 10 s.
      await sleep(spec.intervalMs ?? errorRetryIntervalMs, stop.signal);
    }
  };

  try {
    const settled = await Promise.allSettled(
      states.map((s) =>
        run(s).catch((error: unknown) => {
          stop.abort();
          throw error;
        }),
      ),
    );
    const rejected = settled.find((r) => r.status === 'rejected');
    if (rejected) throw rejected.reason;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }

  let ended = false;
  for (const state of states) {
    if (state.phase !== 'running') continue;
    ended = true;
    state.phase = analysisPhase(state.spec, state.measurements, { ended: true });
  }
  return {
    phase: worstPhase(states.map((s) => s.phase)),
    metrics: Object.fromEntries(
      states.map((s) => [s.spec.name, { phase: s.phase, measurements: s.measurements }]),
    ),
    message: describeOutcome(states, ended && states.every((s) => s.phase === 'successful')),
  };
}
