import {
  createProvider,
  runAnalysis,
  startLoad,
  type AnalysisOutcome,
  type MetricSpec,
} from '../../analysis/index.js';
import type { AnalysisConfig } from '../model.js';
import type { RolloutContext } from './context.js';

/**
 * Runs one analysis of a rollout (a canary step, the background analysis, a blue-green pre-
 * or post-promotion one): measures the new release's traffic at `host`, with synthetic load
 * when configured, persisting every measurement as it is taken. Prometheus queries may name
 * `{{host}}`, `{{release}}`, `{{stable}}` and `{{environment}}`.
 */
export async function runRolloutAnalysis(
  context: RolloutContext,
  name: string,
  analysis: AnalysisConfig,
  host: string,
  signal: AbortSignal,
): Promise<AnalysisOutcome> {
  const { deps, release, spec } = context;
  const values: Record<string, string> = {
    host,
    release: release.name,
    stable: context.stable ?? '',
    environment: spec.environment,
  };
  const metrics = analysis.metrics.map((metric): MetricSpec => {
    if (metric.provider.kind !== 'prometheus') return metric;
    const query = metric.provider.query.replace(
      /\{\{\s*(\w+)\s*\}\}/g,
      (whole, key: string) => values[key] ?? whole,
    );
    return { ...metric, provider: { ...metric.provider, query } };
  });
  const load = analysis.load
    ? startLoad({
        url: deps.proxyUrl,
        host,
        rps: analysis.load.rps,
        path: analysis.load.path,
        signal,
      })
    : undefined;
  await context.event(
    'AnalysisStarted',
    `${name}: ${metrics.map((m) => m.name).join(', ')} on ${host}${analysis.load ? ` with ${analysis.load.rps} req/s of synthetic load` : ''}`,
  );
  try {
    return await runAnalysis({
      metrics,
      signal,
      providerFor: (metric) =>
        createProvider(metric.provider, {
          sample: () => deps.proxy.sample(host, release.name),
          now: deps.now,
        }),
      onMeasurement: async (metric, m) => {
        deps.log(
          `deployment ${context.id}: ${name}/${metric} ${m.phase}${m.value === undefined ? '' : ` ${JSON.stringify(m.value)}`}${m.message ? ` (${m.message})` : ''}`,
        );
        await deps.store.addMeasurement(context.id, {
          analysis: name,
          metric,
          phase: m.phase,
          value: measurementValue(m.value),
          message: m.message ?? null,
          at: m.at,
        });
      },
    });
  } finally {
    await load?.stop();
  }
}

function measurementValue(value: unknown): number | number[] | null {
  if (typeof value === 'number') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) return value as number[];
  return null;
}
