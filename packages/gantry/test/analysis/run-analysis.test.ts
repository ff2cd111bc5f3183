import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import {
  createProvider,
  runAnalysis,
  worstPhase,
  type Measurement,
  type MetricProvider,
  type MetricSpec,
  type RunAnalysisOptions,
} from '../../src/analysis/index.js';

/**
 * Virtual time: `sleep` queues a wake-up and the earliest one fires once every metric is
 * waiting (scripted providers answer at once, so after the microtask queue drains).
 */
function virtualClock() {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  const advance = () => {
    timers.sort((a, b) => a.at - b.at);
    const next = timers.shift();
    if (!next) return;
    now = next.at;
    next.wake();
  };
  const sleep = (ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const timer = { at: now + ms, wake: resolve };
      timers.push(timer);
      signal.addEventListener('abort', () => {
        timers.splice(timers.indexOf(timer), 1);
        resolve();
      });
      setImmediate(advance);
    });
  return { now: () => now, sleep };
}

/** A provider answering from a script; the last answer repeats. An Error is a failed reading. */
function scripted(...answers: (number | number[] | Error)[]): MetricProvider & { calls: number } {
  const provider = {
    kind: 'scripted',
    calls: 0,
    measure() {
      const answer = answers[Math.min(provider.calls, answers.length - 1)] ?? 0;
      provider.calls += 1;
      return Promise.resolve(
        answer instanceof Error
          ? { ok: false as const, message: `GANTRY_ANALYSIS_PROVIDER_FAILED: ${answer.message}` }
          : { ok: true as const, value: answer },
      );
    },
  };
  return provider;
}

const local = { kind: 'local', measure: 'error_rate' } as const;
const spec = (name: string, fields: Partial<MetricSpec>): MetricSpec => ({
  name,
  provider: local,
  ...fields,
});

/** Runs on virtual time with one scripted provider per metric name. */
function run(
  metrics: MetricSpec[],
  providers: Record<string, MetricProvider>,
  extra: Partial<RunAnalysisOptions> = {},
) {
  const clock = virtualClock();
  const seen: string[] = [];
  const outcome = runAnalysis({
    metrics,
    providerFor: (m) => providers[m.name] ?? scripted(0),
    onMeasurement: (name, m) => {
      seen.push(`${name}@${m.at}:${m.phase}`);
    },
    ...clock,
    ...extra,
  });
  return { outcome, seen, clock };
}

const times = (ms: readonly Measurement[] | undefined) => ms?.map((m) => m.at);

describe('runAnalysis', () => {
  it('measures on the interval after the initial delay until the count is reached', async () => {
    const { outcome, seen } = run(
      [
        spec('error-rate', {
          initialDelayMs: 500,
          intervalMs: 1_000,
          count: 3,
          successCondition: 'result < 0.05',
        }),
      ],
      { 'error-rate': scripted(0.01, 0.02, 0.015) },
    );
    const result = await outcome;
    expect(result.phase).toBe('successful');
    expect(times(result.metrics['error-rate']?.measurements)).toEqual([500, 1_500, 2_500]);
    expect(seen).toEqual([
      'error-rate@500:successful',
      'error-rate@1500:successful',
      'error-rate@2500:successful',
    ]);
    expect(result.message).toBe('all 1 metric successful: error-rate: 3 measurements, last 0.015');
  });

  it('fails at once when one metric fails, without waiting for the others', async () => {
    const latency = scripted(120);
    const { outcome, clock } = run(
      [
        spec('error-rate', { intervalMs: 1_000, count: 10, successCondition: 'result < 0.05' }),
        // Runs until stopped: judged as ended early when error-rate fails.
        spec('latency', { intervalMs: 300, successCondition: 'result < 500' }),
      ],
      { 'error-rate': scripted(0.01, 0.01, 0.31), latency },
    );
    const result = await outcome;
    expect(result.phase).toBe('failed');
    expect(clock.now()).toBe(2_000);
    expect(result.metrics['error-rate']?.phase).toBe('failed');
    expect(result.metrics['latency']?.phase).toBe('successful');
    expect(times(result.metrics['latency']?.measurements)).toEqual([
      0, 300, 600, 900, 1_200, 1_500, 1_800,
    ]);
    expect(latency.calls).toBe(7);
    expect(result.message).toBe(
      'error-rate: 0.31 failed "result < 0.05" (1 failure > failureLimit 0)',
    );
  });

  it('tolerates failures up to failureLimit', async () => {
    const { outcome } = run(
      [
        spec('error-rate', {
          intervalMs: 1_000,
          count: 4,
          failureLimit: 1,
          successCondition: 'result < 0.05',
        }),
      ],
      { 'error-rate': scripted(0.3, 0.01) },
    );
    const result = await outcome;
    expect(result.phase).toBe('successful');
    expect(result.metrics['error-rate']?.measurements.map((m) => m.phase)).toEqual([
      'failed',
      'successful',
      'successful',
      'successful',
    ]);
  });

  it('ends inconclusive when neither condition matches, naming both', async () => {
    const { outcome } = run(
      [
        spec('error-rate', {
          intervalMs: 1_000,
          count: 5,
          successCondition: 'result < 0.05',
          failureCondition: 'result > 0.1',
        }),
      ],
      { 'error-rate': scripted(0.01, 0.07) },
    );
    const result = await outcome;
    expect(result.phase).toBe('inconclusive');
    expect(result.message).toBe(
      'error-rate: 0.07 matched neither successCondition "result < 0.05" nor failureCondition "result > 0.1" (1 inconclusive > inconclusiveLimit 0)',
    );
  });

  it('retries errors of a metric without an interval after 10 s, then errors', async () => {
    const { outcome, clock } = run(
      [spec('error-rate', { consecutiveErrorLimit: 2, successCondition: 'result[0] < 0.05' })],
      { 'error-rate': scripted(new Error('prometheus at http://127.0.0.1:1: fetch failed')) },
    );
    const result = await outcome;
    expect(result.phase).toBe('error');
    expect(times(result.metrics['error-rate']?.measurements)).toEqual([0, 10_000, 20_000]);
    expect(clock.now()).toBe(20_000);
    expect(result.message).toBe(
      'error-rate: 3 errors in a row > consecutiveErrorLimit 2; last: GANTRY_ANALYSIS_PROVIDER_FAILED: prometheus at http://127.0.0.1:1: fetch failed',
    );
  });

  it('recovers from errors below the limit', async () => {
    const { outcome } = run([spec('error-rate', { successCondition: 'result < 0.05' })], {
      'error-rate': scripted(new Error('down'), new Error('down'), 0.01),
    });
    const result = await outcome;
    expect(result.phase).toBe('successful');
    expect(result.metrics['error-rate']?.measurements.map((m) => m.phase)).toEqual([
      'error',
      'error',
      'successful',
    ]);
  });

  it('records a condition that does not fit the value as an error measurement', async () => {
    const { outcome } = run(
      [spec('error-rate', { consecutiveErrorLimit: 0, successCondition: 'result < 0.05' })],
      {
        'error-rate': scripted([0.01]),
      },
    );
    const result = await outcome;
    expect(result.phase).toBe('error');
    expect(result.message).toMatch(
      /last: GANTRY_ANALYSIS_CONDITION_INVALID: condition "result < 0.05": result is a list/,
    );
  });

  it('stops when the signal aborts, judging metrics as ended early', async () => {
    const controller = new AbortController();
    let count = 0;
    const { outcome } = run(
      [
        spec('error-rate', {
          intervalMs: 1_000,
          failureLimit: 2,
          successCondition: 'result < 0.05',
        }),
      ],
      { 'error-rate': scripted(0.01, 0.3, 0.01) },
      {
        signal: controller.signal,
        onMeasurement: () => {
          count += 1;
          if (count === 3) controller.abort();
        },
      },
    );
    const result = await outcome;
    expect(result.phase).toBe('successful');
    expect(result.metrics['error-rate']?.measurements).toHaveLength(3);
    expect(result.message).toBe(
      'stopped early with 1 metric successful: error-rate: 3 measurements, last 0.01',
    );
  });

  it('takes no measurement when the signal is already aborted', async () => {
    const provider = scripted(0.5);
    const { outcome } = run(
      [spec('error-rate', { successCondition: 'result < 0.05' })],
      { 'error-rate': provider },
      {
        signal: AbortSignal.abort(),
      },
    );
    const result = await outcome;
    expect(result.phase).toBe('successful');
    expect(provider.calls).toBe(0);
    expect(result.message).toBe(
      'stopped early with 1 metric successful: error-rate: no measurement taken',
    );
  });

  it('awaits onMeasurement before measuring again', async () => {
    const events: string[] = [];
    const provider = scripted(0.01);
    const measure = provider.measure.bind(provider);
    provider.measure = (signal) => {
      events.push(`measure ${provider.calls + 1}`);
      return measure(signal);
    };
    const { outcome } = run(
      [spec('error-rate', { intervalMs: 10, count: 3 })],
      { 'error-rate': provider },
      {
        onMeasurement: async () => {
          await delay(5);
          events.push(`persisted ${provider.calls}`);
        },
      },
    );
    await outcome;
    expect(events).toEqual([
      'measure 1',
      'persisted 1',
      'measure 2',
      'persisted 2',
      'measure 3',
      'persisted 3',
    ]);
  });

  it('stops every metric and rejects when onMeasurement throws', async () => {
    const other = scripted(1);
    const { outcome } = run(
      [spec('error-rate', { intervalMs: 1_000 }), spec('latency', { intervalMs: 100 })],
      { latency: other },
      {
        onMeasurement: (name, m) => {
          if (name === 'error-rate' && m.at === 2_000) throw new Error('store is read-only');
        },
      },
    );
    await expect(outcome).rejects.toThrow('store is read-only');
    // Latency measured at 0, 100, ..., 1900; its 2000 ms turn comes after the throw.
    expect(other.calls).toBe(20);
  });

  it('rejects invalid metrics before measuring anything', async () => {
    let created = 0;
    const result = runAnalysis({
      metrics: [spec('error-rate', { successCondition: 'result << 1' })],
      providerFor: () => {
        created += 1;
        return scripted(0);
      },
    });
    await expect(result).rejects.toMatchObject({
      code: 'GANTRY_ANALYSIS_CONDITION_INVALID',
      message: `condition "result << 1": unexpected '<' at column 9`,
    });
    expect(created).toBe(0);
  });

  it('ranks phases as Argo does: failed, error, inconclusive, successful', () => {
    expect(worstPhase(['successful', 'inconclusive', 'error'])).toBe('error');
    expect(worstPhase(['error', 'failed'])).toBe('failed');
    expect(worstPhase(['successful', 'inconclusive'])).toBe('inconclusive');
    expect(worstPhase([])).toBe('successful');
  });

  it('runs in real time with the local provider', async () => {
    // 500 requests/s, 1 % of them 5xx, all within 50 ms; read as the proxy would report it.
    const start = Date.now();
    const sample = () => {
      const requests = Math.floor((Date.now() - start) / 2);
      const errors = Math.floor(requests / 100);
      return {
        requests,
        errors,
        latencyBuckets: [
          { le: 0.05, count: requests },
          { le: 0.1, count: requests },
          { le: Infinity, count: requests },
        ],
        latencySumSeconds: requests * 0.02,
      };
    };
    const result = await runAnalysis({
      metrics: [
        spec('error-rate', {
          initialDelayMs: 100,
          intervalMs: 100,
          count: 4,
          successCondition: 'result < 0.05',
        }),
        {
          name: 'p95',
          provider: { kind: 'local', measure: 'p95' },
          initialDelayMs: 100,
          intervalMs: 100,
          count: 3,
          successCondition: 'result <= 50',
        },
      ],
      providerFor: (metric) => createProvider(metric.provider, { sample }),
    });
    const elapsed = Date.now() - start;
    expect(result.phase).toBe('successful');
    const at = times(result.metrics['error-rate']?.measurements) ?? [];
    expect(at).toHaveLength(4);
    for (let i = 1; i < at.length; i += 1)
      expect((at[i] ?? 0) - (at[i - 1] ?? 0)).toBeGreaterThanOrEqual(95);
    // Rank 95 % of the first bucket (0, 50 ms]: 47.5 ms.
    expect(result.metrics['p95']?.measurements.map((m) => m.value)).toEqual([
      expect.closeTo(47.5, 9),
      expect.closeTo(47.5, 9),
      expect.closeTo(47.5, 9),
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(390);
    expect(elapsed).toBeLessThan(3_000);
  });
});
