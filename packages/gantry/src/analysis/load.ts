import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { GantryError } from '../errors/index.js';

export interface LoadOptions {
  /** Where to send requests, e.g. the deployment proxy: `http://127.0.0.1:8080`. */
  readonly url: string;
  /** Host header; the proxy routes by host. */
  readonly host?: string;
  /** Requests per second, kept whatever the server's latency. */
  readonly rps: number;
  /** Default `/`. */
  readonly path?: string;
  /** Stops sending (in-flight requests still finish); `stop()` returns the counts. */
  readonly signal?: AbortSignal;
  /** Requests allowed in flight; more are dropped and counted. Default: half a second's worth, at least 16. */
  readonly maxInFlight?: number;
  /** Per request; default 5 s. */
  readonly timeoutMs?: number;
}

export interface LoadStats {
  /** Requests started. */
  readonly sent: number;
  /** Answered with a status below 500. */
  readonly ok: number;
  /** No answer: connection refused or reset, timeout. */
  readonly failed: number;
  /** Answered with a status >= 500, as the proxy counts errors. */
  readonly errors5xx: number;
  /** Due while `maxInFlight` requests were outstanding, so never sent. */
  readonly dropped: number;
}

export interface Load {
  /** Stops sending, waits for requests in flight, and returns the counts. */
  stop(): Promise<LoadStats>;
}

/**
 * Generates traffic for an analysis when a release gets none (a blue-green preview, a
 * quiet canary). Open-loop, like wrk2 or k6's constant-arrival-rate: requests are sent on a
 * fixed schedule, not when the previous one returns, so a slow release does not quietly
 * get less load and a better-looking latency. In-flight requests are bounded; a request
 * due beyond the bound is dropped and counted rather than queued.
 */
export function startLoad(options: LoadOptions): Load {
  if (!(options.rps > 0 && Number.isFinite(options.rps)))
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `load rps must be a positive number, not ${options.rps}`,
    );
  const target = new URL(options.path ?? '/', options.url);
  const client = target.protocol === 'https:' ? https : http;
  const maxInFlight = options.maxInFlight ?? Math.max(16, Math.ceil(options.rps / 2));
  const agent = new client.Agent({ keepAlive: true, maxSockets: maxInFlight });
  const headers = options.host ? { host: options.host } : {};
  const stats = { sent: 0, ok: 0, failed: 0, errors5xx: 0, dropped: 0 };
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const send = () => {
    inFlight += 1;
    stats.sent += 1;
    let settled = false;
    const done = (outcome: 'ok' | 'failed' | 'errors5xx') => {
      if (settled) return;
      settled = true;
      stats[outcome] += 1;
      inFlight -= 1;
      if (inFlight === 0) idle?.();
    };
    const request = client.request(
      target,
      { agent, headers, timeout: options.timeoutMs ?? 5_000 },
      (response) => {
        const outcome = (response.statusCode ?? 0) >= 500 ? 'errors5xx' : 'ok';
        response.on('end', () => done(outcome));
        response.on('error', () => done('failed'));
        response.resume();
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', () => done('failed'));
    request.end();
  };

  // The schedule is computed from elapsed time, not counted in timer ticks: timers drift
  // and coalesce, and the rate must not.
  const started = performance.now();
  let due = 0;
  let timer: NodeJS.Timeout | undefined;
  const tickMs = Math.min(100, Math.max(5, 1_000 / options.rps));
  const tick = () => {
    const dueNow = Math.floor(((performance.now() - started) / 1_000) * options.rps) + 1;
    for (; due < dueNow; due += 1) {
      if (inFlight >= maxInFlight) stats.dropped += 1;
      else send();
    }
    timer = setTimeout(tick, tickMs);
  };
  const halt = () => clearTimeout(timer);
  options.signal?.addEventListener('abort', halt, { once: true });
  if (!options.signal?.aborted) tick();

  let stopped: Promise<LoadStats> | undefined;
  return {
    stop() {
      stopped ??= (async () => {
        halt();
        options.signal?.removeEventListener('abort', halt);
        if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
        agent.destroy();
        return { ...stats };
      })();
      return stopped;
    },
  };
}
