import http from 'node:http';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPrometheusProvider,
  createProvider,
  errorRateQuery,
  histogramQuantile,
  latencyQuery,
  runAnalysis,
  type Reading,
} from '../../src/analysis/index.js';
import { freePort, startPrometheus, type PrometheusServer } from '../helpers/prometheus.js';

/**
 * A real Prometheus (Debian's package; CI installs `prometheus`) scraping an in-process
 * exporter that serves the deployment proxy's metrics, hand-written, growing with time:
 * release r2 takes 100 requests/s, 30 % of them 5xx; release r1 takes 50/s, none failing.
 */
const started = performance.now();
// Request durations of r2: half within 50 ms, 90 % within 100 ms, all within 250 ms.
const r2Shares = [
  { le: 0.05, share: 0.5 },
  { le: 0.1, share: 0.9 },
  { le: 0.25, share: 1 },
  { le: 0.5, share: 1 },
  { le: Infinity, share: 1 },
];

function proxyMetrics(): string {
  const s = (performance.now() - started) / 1_000;
  const labels = (release: string, extra = '') => `host="app.test",release="${release}"${extra}`;
  const lines = [
    '# HELP gantry_proxy_requests_total Requests the proxy completed, by status code.',
    '# TYPE gantry_proxy_requests_total counter',
    `gantry_proxy_requests_total{${labels('r2', ',code="200"')}} ${70 * s}`,
    `gantry_proxy_requests_total{${labels('r2', ',code="503"')}} ${30 * s}`,
    `gantry_proxy_requests_total{${labels('r1', ',code="200"')}} ${50 * s}`,
    '# HELP gantry_proxy_request_duration_seconds Request durations.',
    '# TYPE gantry_proxy_request_duration_seconds histogram',
    ...r2Shares.map(
      ({ le, share }) =>
        `gantry_proxy_request_duration_seconds_bucket{${labels('r2', `,le="${le === Infinity ? '+Inf' : le}"`)}} ${100 * s * share}`,
    ),
    `gantry_proxy_request_duration_seconds_sum{${labels('r2')}} ${6 * s}`,
    `gantry_proxy_request_duration_seconds_count{${labels('r2')}} ${100 * s}`,
    '# HELP gantry_proxy_upstream_errors_total Requests a release never answered.',
    '# TYPE gantry_proxy_upstream_errors_total counter',
    `gantry_proxy_upstream_errors_total{${labels('r2', ',reason="refused"')}} 0`,
  ];
  return `${lines.join('\n')}\n`;
}

let exporter: http.Server;
let exporterUrl: string;
let prometheus: PrometheusServer | undefined;
let address: string;
const signal = new AbortController().signal;

beforeAll(async () => {
  exporter = http.createServer((req, res) => {
    // `/hang/...` never answers, for the query timeout.
    if (req.url?.startsWith('/hang/')) return;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(proxyMetrics());
  });
  await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
  exporterUrl = `http://127.0.0.1:${(exporter.address() as net.AddressInfo).port}`;

  prometheus = await startPrometheus(exporterUrl.replace('http://', ''));
  address = prometheus.address;
  const logs = () => prometheus?.logs() ?? '';
  // Ready, then scraped twice or more so that rate() has data: bounded, 20 s.
  const deadline = Date.now() + 20_000;
  const query = createPrometheusProvider({ address, query: errorRateQuery('r2', '10s') });
  for (;;) {
    if (prometheus.exited()) throw new Error(`prometheus exited:\n${logs()}`);
    const r = await query.measure(signal);
    if (r.ok && Array.isArray(r.value) && r.value.length === 1) break;
    if (Date.now() > deadline)
      throw new Error(
        `prometheus has no data after 20 s; last reading ${JSON.stringify(r)}\n${logs()}`,
      );
    await delay(250);
  }
}, 30_000);

afterAll(async () => {
  await prometheus?.stop();
  exporter?.closeAllConnections();
  await new Promise((resolve) => exporter?.close(resolve) ?? resolve(undefined));
});

async function query(text: string): Promise<Reading> {
  return createProvider({ kind: 'prometheus', address, query: text }).measure(signal);
}

describe('prometheus provider against a real Prometheus', () => {
  it('measures the error rate of a release with the default query', async () => {
    const r = await query(errorRateQuery('r2', '10s'));
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toEqual([expect.closeTo(0.3, 6)]);
  });

  it('gives 0, not an empty vector, for a release that never answered a 5xx', async () => {
    expect(await query(errorRateQuery('r1', '10s'))).toEqual({ ok: true, value: [0] });
  });

  it('gives an empty vector for a release with no requests at all', async () => {
    expect(await query(errorRateQuery('r9', '10s'))).toEqual({ ok: true, value: [] });
  });

  it('computes latency quantiles in milliseconds as the local provider does', async () => {
    const r = await query(latencyQuery('r2', 0.95, '10s'));
    // Rank 95 of 100 per second lies halfway through (0.1, 0.25]: 175 ms.
    expect(r.ok && r.value).toEqual([expect.closeTo(175, 6)]);
    const local = histogramQuantile(
      0.95,
      r2Shares.map(({ le, share }) => ({ le, count: 100 * share })),
    );
    expect(local * 1_000).toBeCloseTo(175, 9);
  });

  it('reads scalars, NaN and infinities', async () => {
    expect(await query('scalar(vector(42))')).toEqual({ ok: true, value: 42 });
    expect(await query('1 / 0')).toEqual({ ok: true, value: Infinity });
    expect(await query('vector(0) / 0')).toEqual({ ok: true, value: [NaN] });
    expect(await query('vector(-1) / 0')).toEqual({ ok: true, value: [-Infinity] });
  });

  it('fails an analysis whose failure condition matches', async () => {
    const outcome = await runAnalysis({
      metrics: [
        {
          name: 'error-rate',
          provider: { kind: 'prometheus', address, query: errorRateQuery('r2', '10s') },
          failureCondition: 'result[0] > 0.05',
        },
      ],
      providerFor: (metric) => createProvider(metric.provider),
    });
    expect(outcome.phase).toBe('failed');
    expect(outcome.message).toBe(
      'error-rate: [0.3] matched failureCondition "result[0] > 0.05" (1 failure > failureLimit 0)',
    );
  });

  it('reports a bad query as an error measurement with Prometheus’ message', async () => {
    const r = await query('sum(rate(gantry_proxy_requests_total[1m])');
    expect(r).toEqual({
      ok: false,
      message: expect.stringMatching(
        new RegExp(
          `^GANTRY_ANALYSIS_PROVIDER_FAILED: prometheus at ${address}: HTTP 400: bad_data: .*parse error: unclosed left parenthesis`,
        ),
      ) as string,
    });
  });

  it('reports a range vector as an error: analysis needs one value per series', async () => {
    const r = await query('gantry_proxy_requests_total[10s]');
    expect(r.ok ? '' : r.message).toMatch(
      /returned a matrix result; analysis needs an instant vector/,
    );
  });

  it('reports an unreachable Prometheus as an error measurement', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const r = await createPrometheusProvider({ address: nowhere, query: 'up' }).measure(signal);
    expect(r.ok ? '' : r.message).toMatch(
      new RegExp(
        `^GANTRY_ANALYSIS_PROVIDER_FAILED: prometheus at ${nowhere}: fetch failed: .*ECONNREFUSED`,
      ),
    );
  });

  it('gives up on a Prometheus that does not answer', async () => {
    const p = createPrometheusProvider(
      { address: `${exporterUrl}/hang`, query: 'up' },
      { timeoutMs: 200 },
    );
    const r = await p.measure(signal);
    expect(r.ok ? '' : r.message).toBe(
      `GANTRY_ANALYSIS_PROVIDER_FAILED: prometheus at ${exporterUrl}/hang: no answer within 200 ms`,
    );
  });

  it('ends an analysis in error after more errors in a row than consecutiveErrorLimit', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const outcome = await runAnalysis({
      metrics: [
        {
          name: 'error-rate',
          provider: { kind: 'prometheus', address: nowhere, query: 'up' },
          intervalMs: 10,
          consecutiveErrorLimit: 1,
          successCondition: 'result[0] == 1',
        },
      ],
      providerFor: (metric) => createProvider(metric.provider),
    });
    expect(outcome.phase).toBe('error');
    expect(outcome.metrics['error-rate']?.measurements.map((m) => m.phase)).toEqual([
      'error',
      'error',
    ]);
    expect(outcome.message).toMatch(
      /^error-rate: 2 errors in a row > consecutiveErrorLimit 1; last: GANTRY_ANALYSIS_PROVIDER_FAILED: prometheus at/,
    );
  });
});
