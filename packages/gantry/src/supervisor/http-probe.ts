import http from 'node:http';
import https from 'node:https';

export interface ProbeResult {
  readonly ok: boolean;
  /** What happened, for state reasons and error messages: `GET <url>: HTTP 503`. */
  readonly detail: string;
}

/**
 * One readiness probe: GET `url`, ready on 2xx or 3xx. Redirects are not followed (a 302 to a
 * login page means the app is up), and the body is not read. Each probe opens its own
 * connection (`agent: false`): a pooled keep-alive socket could outlive the server behind it and
 * answer for a process that has since been restarted. Never rejects.
 */
export function probeHttp(
  url: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<ProbeResult> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve({ ok: false, detail: `invalid readiness URL ${url}` });
  }
  const client =
    target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
  if (client === undefined) {
    return Promise.resolve({ ok: false, detail: `readiness URL ${url} is not http(s)` });
  }
  const timeout = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve) => {
    const request = client.get(
      target,
      { agent: false, signal: AbortSignal.any([signal, timeout]) },
      (response) => {
        const status = response.statusCode ?? 0;
        response.destroy();
        resolve({ ok: status >= 200 && status < 400, detail: `GET ${url}: HTTP ${status}` });
      },
    );
    request.on('error', (error) => {
      const detail = timeout.aborted
        ? `GET ${url}: no answer within ${timeoutMs} ms`
        : `GET ${url}: ${error.message}`;
      resolve({ ok: false, detail });
    });
  });
}
