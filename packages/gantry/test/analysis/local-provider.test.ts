import { describe, expect, it } from 'vitest';
import {
  createProvider,
  histogramQuantile,
  type LocalMeasure,
  type Reading,
  type TrafficSample,
} from '../../src/analysis/index.js';

const les = [0.05, 0.1, 0.25, 0.5, Infinity];
const sample = (requests: number, errors: number, counts: number[], sum = 0): TrafficSample => ({
  requests,
  errors,
  latencyBuckets: les.map((le, i) => ({ le, count: counts[i] ?? 0 })),
  latencySumSeconds: sum,
});

// The proxy's counters over time: a baseline, 200 requests in 2 s (10 of them 5xx), then
// nothing, then a proxy restart that reset the counters.
const baseline = sample(100, 2, [60, 90, 98, 100, 100], 6);
const busy = sample(300, 12, [160, 250, 290, 298, 300], 26);
const restarted = sample(50, 5, [10, 20, 30, 40, 50], 10);
const timeline: { at: number; sample: TrafficSample }[] = [
  { at: 0, sample: baseline },
  { at: 2_000, sample: busy },
  { at: 3_000, sample: busy },
  { at: 4_000, sample: restarted },
];

/** A provider fed the timeline, one sample per read, with the matching clock. */
function provider(measure: LocalMeasure) {
  let i = -1;
  let now = 0;
  const p = createProvider(
    { kind: 'local', measure },
    {
      sample: () => {
        i = Math.min(i + 1, timeline.length - 1);
        now = timeline[i]?.at ?? 0;
        return timeline[i]?.sample ?? baseline;
      },
      now: () => now,
    },
  );
  const signal = new AbortController().signal;
  return async () => {
    const r: Reading = await p.measure(signal);
    if (!r.ok) throw new Error(r.message);
    return r;
  };
}

describe('local provider', () => {
  it('measures the error rate of each window since the previous measurement', async () => {
    const measure = provider('error_rate');
    // Δerrors 10 / Δrequests 200.
    expect(await measure()).toEqual({ ok: true, value: 0.05, noTraffic: false });
    // No requests in the window: 0/0.
    expect(await measure()).toEqual({ ok: true, value: NaN, noTraffic: true });
    // Counters went down (proxy restart): the new counters are the whole window, 5/50.
    expect(await measure()).toEqual({ ok: true, value: 0.1, noTraffic: false });
  });

  it.each<[LocalMeasure, number]>([
    // Δbuckets: ≤0.05 100, ≤0.1 160, ≤0.25 192, ≤0.5 198, +Inf 200.
    // p50: rank 100 is the top of the first bucket: 0.05 s.
    ['p50', 50],
    // p95: rank 190 falls in (0.1, 0.25], 30 of its 32: 0.1 + 0.15 × 30/32 = 0.240625 s.
    ['p95', 240.625],
    // p99: rank 198 is the top of (0.25, 0.5]: 0.5 s.
    ['p99', 500],
    ['requests', 200],
    // 200 requests over the 2 s window.
    ['rps', 100],
  ])('%s of the busy window is %d', async (measure, expected) => {
    const r = await provider(measure)();
    expect(r.value).toBeCloseTo(expected, 9);
    expect(r.noTraffic).toBe(false);
  });

  it('gives NaN quantiles, 0 requests and 0 rps for a window without traffic', async () => {
    for (const [measure, expected] of [
      ['p95', NaN],
      ['requests', 0],
      ['rps', 0],
    ] as const) {
      const measureNext = provider(measure);
      await measureNext();
      expect(await measureNext()).toEqual({ ok: true, value: expected, noTraffic: true });
    }
  });

  it('reports a proxy that cannot be read as an error reading', async () => {
    const p = createProvider(
      { kind: 'local', measure: 'error_rate' },
      {
        sample: (() => {
          let calls = 0;
          return () => {
            calls += 1;
            if (calls > 1) throw new Error('release r2 is gone');
            return baseline;
          };
        })(),
      },
    );
    expect(await p.measure(new AbortController().signal)).toEqual({
      ok: false,
      message:
        "GANTRY_ANALYSIS_PROVIDER_FAILED: local: cannot read the proxy's counters: release r2 is gone",
    });
  });

  it('needs the traffic counters', () => {
    expect(() => createProvider({ kind: 'local', measure: 'p95' })).toThrow(
      "the local provider (p95) needs the proxy's traffic counters of the release",
    );
  });
});

describe('histogramQuantile (PromQL semantics)', () => {
  const buckets = (counts: number[]) => les.map((le, i) => ({ le, count: counts[i] ?? 0 }));
  it.each<[number, number[], number]>([
    [0.5, [50, 100, 100, 100, 100], 0.05],
    [0.75, [50, 100, 100, 100, 100], 0.075],
    // Rank in the +Inf bucket: the highest finite bound is all that is known.
    [0.99, [0, 0, 0, 0, 10], 0.5],
    [0.5, [0, 0, 0, 0, 0], NaN],
    // Counts a scrape caught mid-update (not monotonic) are evened out, as Prometheus does.
    // Seen as 30, 30, 100: rank 50 is 20 of the 70 in (0.1, 0.25].
    [0.5, [30, 20, 100, 100, 100], 0.1 + 0.15 * (20 / 70)],
    [-0.1, [1, 1, 1, 1, 1], -Infinity],
    [1.1, [1, 1, 1, 1, 1], Infinity],
  ])('q=%d of %j is %d', (q, counts, expected) => {
    const quantile = histogramQuantile(q, buckets(counts));
    if (Number.isNaN(expected)) expect(quantile).toBeNaN();
    else expect(quantile).toBeCloseTo(expected, 12);
  });

  it('is NaN without a +Inf bucket', () => {
    expect(histogramQuantile(0.5, [{ le: 1, count: 3 }])).toBeNaN();
  });
});
