import type { ServerResponse } from 'node:http';
import type { CompiledRoute, TargetState } from './route-table.js';

/**
 * The proxy's own answers, in plain text so `curl` shows them as they are. The
 * `x-gantry-error` header carries the stable error code for tools and tests, the body says
 * what to do in words.
 */
function send(res: ServerResponse, status: number, body: string, extra: readonly string[]): void {
  if (res.headersSent) {
    // Part of an upstream response went out already: the status cannot change any more, and
    // cutting the connection is the only way to tell the client the body is incomplete.
    res.destroy();
    return;
  }
  const text = `${body}\n`;
  res.writeHead(status, [
    'Content-Type',
    'text/plain; charset=utf-8',
    'Content-Length',
    String(Buffer.byteLength(text)),
    'Cache-Control',
    'no-store',
    ...extra,
  ]);
  res.end(text);
}

export function sendUnknownHost(
  res: ServerResponse,
  host: string,
  knownHosts: readonly string[],
): void {
  const known = knownHosts.length ? knownHosts.join(', ') : '(none)';
  const shown = host === '' ? 'the request has no Host header' : `no route for host '${host}'`;
  send(res, 404, `Gantry proxy: ${shown}.\nKnown hosts: ${known}`, [
    'X-Gantry-Error',
    'GANTRY_PROXY_NO_BACKEND',
  ]);
}

export function sendNoReadyTarget(res: ServerResponse, route: CompiledRoute): void {
  const releases = route.backends.map((backend) => {
    const ready = backend.targets.filter((t) => t.readiness.ready).length;
    return `  ${backend.release}: weight ${backend.weight}, ${ready}/${backend.targets.length} instances ready`;
  });
  const body = [
    `Gantry proxy: host '${route.route.host}' has no ready instance to send the request to.`,
    ...(releases.length ? ['Releases:', ...releases] : ['The route has no releases.']),
  ].join('\n');
  send(res, 503, body, ['X-Gantry-Error', 'GANTRY_PROXY_NO_BACKEND', 'Retry-After', '1']);
}

/** 502 or 504 after an upstream failure; names the release and instance that failed. */
export function sendUpstreamFailure(
  res: ServerResponse,
  status: 502 | 504,
  target: TargetState,
  reason: string,
): void {
  const what = status === 504 ? 'did not answer in time' : `failed (${reason})`;
  const { release, releaseHeader } = target.backend;
  send(res, status, `Gantry proxy: instance ${target.id} of release ${release} ${what}.`, [
    'X-Gantry-Release',
    releaseHeader,
  ]);
}
