import { lookalike } from '../detect.js';
import { JsonObject, parseJson } from '../json-input.js';
import type { Latency, ReportParser } from '../model.js';
import { failFor, type Fail } from '../report-error.js';

/**
 * A load test's summary: autocannon's `--json` output, or k6's summary in either of its two
 * JSON shapes (`--summary-export`, where each metric's statistics sit on the metric itself,
 * and `handleSummary`'s `data`, where they sit under `values`). Which one it is shows in the
 * content, so the format is one name for all three.
 */
export const latencyParser: ReportParser = {
  format: 'latency',
  description: 'Load-test summary: autocannon --json, k6 --summary-export or handleSummary data',
  parse(text, file) {
    const fail: Fail = failFor(file);
    const root = JsonObject.of(parseJson(text, 'load-test summary', fail), '', fail);
    if (root.has('latency') && root.has('requests')) return { latency: fromAutocannon(root) };
    if (root.has('metrics')) return { latency: fromK6(root.object('metrics'), fail) };
    return fail(
      'not a load-test summary: expected autocannon --json output (latency, requests) or a ' +
        `k6 summary (metrics)${lookalike(text, 'latency')}`,
    );
  },
};

/**
 * autocannon reports latency in milliseconds and has no 95th percentile. Its `errors`
 * count connection errors and timeouts; responses outside 2xx are `non2xx`: both failed.
 */
function fromAutocannon(root: JsonObject): Latency {
  const latency = root.object('latency');
  const requests = root.object('requests');
  return clean({
    p50_ms: latency.optNumber('p50'),
    p90_ms: latency.optNumber('p90'),
    p99_ms: latency.optNumber('p99'),
    mean_ms: latency.optNumber('mean') ?? latency.optNumber('average'),
    max_ms: latency.optNumber('max'),
    requests: requests.optNumber('total'),
    errors: (root.optNumber('errors') ?? 0) + (root.optNumber('non2xx') ?? 0),
    rps: requests.optNumber('average') ?? requests.optNumber('mean'),
  });
}

/**
 * k6 in milliseconds. `http_req_failed` is a rate metric whose `passes` counts the requests
 * for which it was true, that is the failed ones (k6's naming, not a typo here).
 */
function fromK6(metrics: JsonObject, fail: Fail): Latency {
  const stats = (name: string): JsonObject | undefined => {
    const metric = metrics.optObject(name);
    return metric?.optObject('values') ?? metric;
  };
  const duration = stats('http_req_duration');
  if (duration === undefined) fail('the k6 summary has no http_req_duration metric');
  const reqs = stats('http_reqs');
  const failed = stats('http_req_failed');
  return clean({
    p50_ms: duration.optNumber('med') ?? duration.optNumber('p(50)'),
    p90_ms: duration.optNumber('p(90)'),
    p95_ms: duration.optNumber('p(95)'),
    p99_ms: duration.optNumber('p(99)'),
    mean_ms: duration.optNumber('avg'),
    max_ms: duration.optNumber('max'),
    requests: reqs?.optNumber('count'),
    errors: failed?.optNumber('passes'),
    rps: reqs?.optNumber('rate'),
  });
}

/** Drops the fields a tool did not report, as `Latency` leaves them absent. */
function clean(latency: { [K in keyof Latency]: number | undefined }): Latency {
  return Object.fromEntries(
    Object.entries(latency).filter(([, value]) => value !== undefined),
  ) as Latency;
}
