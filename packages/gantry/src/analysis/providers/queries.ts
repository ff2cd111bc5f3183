/**
 * Default PromQL for analysing a release, over the metrics the deployment proxy exposes on
 * its metrics listener (Prometheus text format):
 *
 * - `gantry_proxy_requests_total{host,release,code}`: counter of completed requests by
 *   status code;
 * - `gantry_proxy_request_duration_seconds_bucket{host,release,le}` with `_sum` and
 *   `_count`: histogram of request durations in seconds;
 * - `gantry_proxy_upstream_errors_total{host,release,reason}`: counter of requests the
 *   release never answered (connection refused, reset, timeout).
 *
 * The shapes are Flagger's built-in request-success-rate and request-duration checks
 * (delivery.md §2, §10), with Gantry's latency gate in milliseconds.
 */

/**
 * The 5xx share of a release's requests over `window` (a PromQL duration: `1m`, `30s`).
 *
 * A counter series per `code` exists only once that code was answered, so for a release
 * that never failed a bare `sum(...5..) / sum(...)` is an empty vector, which a healthy
 * canary would fail on. `or vector(0)` makes that 0; no requests at all
 * still gives NaN (0/0) or an empty vector, for `isNaN(result[0])` / `len(result) == 0`.
 */
export function errorRateQuery(release: string, window: string): string {
  const r = labelValue(release);
  return (
    `(sum(rate(gantry_proxy_requests_total{release="${r}",code=~"5.."}[${window}])) or vector(0)) / ` +
    `sum(rate(gantry_proxy_requests_total{release="${r}"}[${window}]))`
  );
}

/** The `quantile` (0.95 for p95) of a release's request duration over `window`, in milliseconds. */
export function latencyQuery(release: string, quantile: number, window: string): string {
  return (
    `histogram_quantile(${quantile}, sum by (le) (rate(gantry_proxy_request_duration_seconds_bucket` +
    `{release="${labelValue(release)}"}[${window}]))) * 1000`
  );
}

/** Escapes a PromQL label value (a double-quoted string with Go escapes). */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
