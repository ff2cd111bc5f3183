import type { ReleaseStats, StatsRegistry } from './release-stats.js';

/** Content type of the Prometheus text exposition format this module writes. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

// The metric names are a contract: the docs' PromQL examples and dashboards query them.
const REQUESTS = 'gantry_proxy_requests_total';
const DURATION = 'gantry_proxy_request_duration_seconds';
const UPSTREAM_ERRORS = 'gantry_proxy_upstream_errors_total';
const UNKNOWN_HOST = 'gantry_proxy_unknown_host_requests_total';

/**
 * Label values escaped as the exposition format asks (backslash, double quote, line feed);
 * a release name is user input and may hold any of them.
 */
function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
    : value;
}

function formatNumber(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function labels(stats: ReleaseStats, extra = ''): string {
  return `{host="${escapeLabelValue(stats.host)}",release="${escapeLabelValue(stats.release)}"${extra}}`;
}

function family(lines: string[], name: string, type: string, help: string): void {
  lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
}

/**
 * Renders every counter in Prometheus text format 0.0.4. Families and series come out in a
 * stable order (hosts, then releases, sorted) so two scrapes diff cleanly.
 */
export function renderMetrics(registry: StatsRegistry, unknownHostRequests: number): string {
  const all = registry.all();
  const lines: string[] = [];

  family(lines, REQUESTS, 'counter', 'Requests the proxy completed, by host, release and status.');
  for (const stats of all) {
    const codes = [...stats.codes.keys()].sort((a, b) => a - b);
    for (const code of codes)
      lines.push(`${REQUESTS}${labels(stats, `,code="${code}"`)} ${stats.codes.get(code)}`);
  }

  family(
    lines,
    DURATION,
    'histogram',
    'Time from request start to response end, seconds, as seen by the proxy.',
  );
  for (const stats of all) {
    for (const { le, count } of stats.cumulativeBuckets())
      lines.push(`${DURATION}_bucket${labels(stats, `,le="${formatNumber(le)}"`)} ${count}`);
    lines.push(`${DURATION}_sum${labels(stats)} ${formatNumber(stats.sumSeconds)}`);
    lines.push(`${DURATION}_count${labels(stats)} ${stats.requests}`);
  }

  family(
    lines,
    UPSTREAM_ERRORS,
    'counter',
    'Failed exchanges with a release instance (retried ones included), by reason.',
  );
  for (const stats of all) {
    const reasons = [...stats.upstreamErrors.keys()].sort();
    for (const reason of reasons)
      lines.push(
        `${UPSTREAM_ERRORS}${labels(stats, `,reason="${reason}"`)} ${stats.upstreamErrors.get(reason)}`,
      );
  }

  // Unknown hosts get no host label: the Host header is client input, and a label per
  // value would let any client grow the exposition without bound.
  family(lines, UNKNOWN_HOST, 'counter', 'Requests for a host with no route (answered 404).');
  lines.push(`${UNKNOWN_HOST} ${unknownHostRequests}`);

  return `${lines.join('\n')}\n`;
}
