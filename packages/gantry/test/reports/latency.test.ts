import { describe, expect, it } from 'vitest';
import { reportParsers } from '../../src/reports/index.js';
import { gantryErrorOf, readFixture } from './helpers.js';

describe('latency', () => {
  it('reads autocannon --json: non-2xx answers count as errors, no p95', () => {
    // The fixture's server answered every 50th of 400 requests with a 500.
    expect(readFixture('latency', 'autocannon/autocannon.json')).toEqual({
      latency: {
        p50_ms: 11,
        p90_ms: 20,
        p99_ms: 23,
        mean_ms: 11.14,
        max_ms: 28,
        requests: 400,
        errors: 8,
        rps: 200,
      },
    });
  });

  it('reads k6 --summary-export: failed requests are the passes of http_req_failed', () => {
    expect(readFixture('latency', 'k6/summary-export.json')).toEqual({
      latency: {
        p50_ms: 41.9032,
        p90_ms: 83.1177,
        p95_ms: 104.5523,
        mean_ms: 48.21735,
        max_ms: 612.3381,
        requests: 1200,
        errors: 13,
        rps: 39.980645,
      },
    });
  });

  it("reads k6 handleSummary's data, with p(99) when the summary trend stats ask for it", () => {
    expect(readFixture('latency', 'k6/handle-summary.json')).toEqual({
      latency: {
        p50_ms: 55.4018,
        p90_ms: 97.1203,
        p95_ms: 121.0081,
        p99_ms: 250.7734,
        mean_ms: 61.30982,
        max_ms: 402.8871,
        requests: 600,
        errors: 2,
        rps: 19.98571,
      },
    });
  });

  it('refuses a k6 summary without request timings and JSON that is no load test', () => {
    const parse = (text: string) => reportParsers['latency']!.parse(text, 'summary.json');
    expect(gantryErrorOf(() => parse('{"metrics": {"iterations": {"count": 3}}}')).message).toBe(
      'summary.json: the k6 summary has no http_req_duration metric',
    );
    expect(gantryErrorOf(() => parse('{"p95": 12}')).message).toBe(
      'summary.json: not a load-test summary: expected autocannon --json output (latency, ' +
        'requests) or a k6 summary (metrics)',
    );
  });
});
