import http from 'node:http';
import { METRICS_CONTENT_TYPE } from './metrics-text.js';

/**
 * The admin listener: `GET /metrics` for Prometheus and `GET /healthz` for whoever checks
 * that the proxy itself is up. It lives on its own port so no app routed by host can shadow
 * these paths, and so it can stay on loopback while the proxy port is exposed.
 */
export function createAdminServer(metricsText: () => string): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const known = path === '/metrics' || path === '/healthz';
    if (!known) {
      reply(res, 404, 'text/plain; charset=utf-8', 'not found: try /metrics or /healthz\n');
    } else if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      reply(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    } else if (path === '/metrics') {
      reply(res, 200, METRICS_CONTENT_TYPE, metricsText(), req.method === 'HEAD');
    } else {
      reply(res, 200, 'text/plain; charset=utf-8', 'ok\n', req.method === 'HEAD');
    }
  });
}

function reply(
  res: http.ServerResponse,
  status: number,
  type: string,
  body: string,
  headOnly = false,
): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(headOnly ? undefined : body);
}
