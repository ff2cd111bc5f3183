import { localMeasures, parseCondition, type MetricSpec } from '../analysis/index.js';
import type { ConfigReader } from './config-reader.js';
import type { AnalysisConfig, CanaryStep, Strategy } from './model.js';

type Path = readonly (string | number)[];

/** `strategy:` of an environment: recreate, rolling, blueGreen or canary (Argo's fields). */
export function readStrategy(reader: ConfigReader, raw: unknown, path: Path): Strategy {
  if (raw === undefined) return { type: 'rolling', maxSurge: 1 };
  const record = reader.mapping(raw, path);
  const type = record['type'] ?? 'rolling';
  const keysOf: Record<string, string[]> = {
    recreate: ['type'],
    rolling: ['type', 'maxSurge'],
    blueGreen: [
      'type',
      'autoPromotion',
      'autoPromotionAfter',
      'prePromotionAnalysis',
      'postPromotionAnalysis',
      'scaleDownDelay',
    ],
    canary: ['type', 'steps', 'analysis', 'scaleDownDelay'],
  };
  const keys = typeof type === 'string' ? keysOf[type] : undefined;
  if (!keys) {
    reader.problem(
      [...path, 'type'],
      `strategy.type must be one of ${Object.keys(keysOf).join(', ')}`,
    );
    return { type: 'recreate' };
  }
  reader.mapping(raw, path, keys);
  const scaleDownDelayMs = reader.duration(record, 'scaleDownDelay', path) ?? 30_000;
  switch (type) {
    case 'recreate':
      return { type: 'recreate' };
    case 'rolling':
      return {
        type: 'rolling',
        maxSurge: reader.integer(record, 'maxSurge', path, { min: 1 }) ?? 1,
      };
    case 'blueGreen': {
      const after = reader.duration(record, 'autoPromotionAfter', path);
      const pre = readAnalysis(reader, record['prePromotionAnalysis'], [
        ...path,
        'prePromotionAnalysis',
      ]);
      const post = readAnalysis(reader, record['postPromotionAnalysis'], [
        ...path,
        'postPromotionAnalysis',
      ]);
      return {
        type: 'blueGreen',
        autoPromotion: reader.boolean(record, 'autoPromotion', path) ?? true,
        ...(after === undefined ? {} : { autoPromotionMs: after }),
        ...(pre ? { prePromotionAnalysis: pre } : {}),
        ...(post ? { postPromotionAnalysis: post } : {}),
        scaleDownDelayMs,
      };
    }
    default: {
      const analysis = readAnalysis(reader, record['analysis'], [...path, 'analysis']);
      return {
        type: 'canary',
        steps: readSteps(reader, record['steps'], [...path, 'steps']),
        ...(analysis ? { analysis } : {}),
        scaleDownDelayMs,
      };
    }
  }
}

function readSteps(reader: ConfigReader, raw: unknown, path: Path): CanaryStep[] {
  if (raw === undefined) return [{ setWeight: 100 }];
  if (!Array.isArray(raw)) {
    reader.problem(path, 'strategy.steps must be a list of setWeight, pause and analysis steps');
    return [];
  }
  return raw.flatMap((item, i): CanaryStep[] => {
    const step = reader.mapping(item, [...path, i], ['setWeight', 'pause', 'analysis']);
    const kinds = Object.keys(step);
    if (kinds.length !== 1) {
      reader.problem([...path, i], 'each step is exactly one of setWeight, pause, analysis');
      return [];
    }
    if ('setWeight' in step) {
      const weight = reader.integer(step, 'setWeight', [...path, i], { min: 0, max: 100 });
      return weight === undefined ? [] : [{ setWeight: weight }];
    }
    if ('pause' in step) {
      const pause = reader.mapping(step['pause'], [...path, i, 'pause'], ['duration']);
      const durationMs = reader.duration(pause, 'duration', [...path, i, 'pause']);
      return [{ pause: durationMs === undefined ? {} : { durationMs } }];
    }
    const analysis = readAnalysis(reader, step['analysis'], [...path, i, 'analysis']);
    return analysis ? [{ analysis }] : [];
  });
}

export function readAnalysis(
  reader: ConfigReader,
  raw: unknown,
  path: Path,
): AnalysisConfig | undefined {
  if (raw === undefined) return undefined;
  const record = reader.mapping(raw, path, ['metrics', 'load']);
  const rawMetrics = record['metrics'];
  if (!Array.isArray(rawMetrics) || rawMetrics.length === 0) {
    reader.problem(path, 'an analysis needs a non-empty list of metrics');
    return undefined;
  }
  const load =
    record['load'] === undefined
      ? undefined
      : reader.mapping(record['load'], [...path, 'load'], ['rps', 'path']);
  return {
    metrics: rawMetrics.map((m, i) => readMetric(reader, m, [...path, 'metrics', i])),
    ...(load
      ? {
          load: {
            rps: reader.integer(load, 'rps', [...path, 'load'], { min: 1, max: 10_000 }) ?? 20,
            path: reader.string(load, 'path', [...path, 'load']) ?? '/',
          },
        }
      : {}),
  };
}

function readMetric(reader: ConfigReader, raw: unknown, path: Path): MetricSpec {
  const record = reader.mapping(raw, path, [
    'name',
    'measure',
    'prometheus',
    'interval',
    'initialDelay',
    'count',
    'successCondition',
    'failureCondition',
    'failureLimit',
    'inconclusiveLimit',
    'consecutiveErrorLimit',
    'noTraffic',
  ]);
  const name = reader.required(record, 'name', path);
  let provider: MetricSpec['provider'] = { kind: 'local', measure: 'error_rate' };
  if (record['prometheus'] !== undefined) {
    const prom = reader.mapping(
      record['prometheus'],
      [...path, 'prometheus'],
      ['address', 'query'],
    );
    provider = {
      kind: 'prometheus',
      address: reader.required(prom, 'address', [...path, 'prometheus']),
      query: reader.required(prom, 'query', [...path, 'prometheus']),
    };
  } else {
    const measure = reader.string(record, 'measure', path) ?? 'error_rate';
    if ((localMeasures as readonly string[]).includes(measure))
      provider = { kind: 'local', measure: measure as (typeof localMeasures)[number] };
    else reader.problem([...path, 'measure'], `measure must be one of ${localMeasures.join(', ')}`);
  }
  for (const key of ['successCondition', 'failureCondition']) {
    const text = record[key];
    if (typeof text !== 'string') continue;
    try {
      parseCondition(text);
    } catch (error) {
      reader.problem([...path, key], `${key}: ${(error as Error).message}`);
    }
  }
  const noTraffic = reader.string(record, 'noTraffic', path);
  if (noTraffic !== undefined && !['inconclusive', 'fail', 'pass'].includes(noTraffic))
    reader.problem([...path, 'noTraffic'], 'noTraffic must be inconclusive, fail or pass');
  const values = {
    intervalMs: reader.duration(record, 'interval', path),
    initialDelayMs: reader.duration(record, 'initialDelay', path),
    count: reader.integer(record, 'count', path, { min: 1 }),
    successCondition: reader.string(record, 'successCondition', path),
    failureCondition: reader.string(record, 'failureCondition', path),
    failureLimit: reader.integer(record, 'failureLimit', path, { min: -1 }),
    inconclusiveLimit: reader.integer(record, 'inconclusiveLimit', path, { min: 0 }),
    consecutiveErrorLimit: reader.integer(record, 'consecutiveErrorLimit', path, { min: 0 }),
    noTraffic: noTraffic as MetricSpec['noTraffic'],
  };
  return {
    name,
    provider,
    ...Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)),
  };
}
