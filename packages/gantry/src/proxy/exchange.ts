import http from 'node:http';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { responseHeaders, type RequestHead } from './headers.js';
import type { UpstreamErrorReason } from './release-stats.js';
import { sendUpstreamFailure } from './responses.js';
import type { CompiledRoute, TargetState } from './route-table.js';

/** What every exchange shares: the upstream connection pool, the timeout, the live routes. */
export interface ExchangeContext {
  readonly agent: http.Agent;
  readonly timeoutMs: number;
  /** The live routing tables; a retry looks here so it lands on the current release. */
  readonly routes: ReadonlyMap<string, CompiledRoute>;
}

/**
 * Methods safe to send twice (RFC 9110 section 9.2.2) among those that browsers and probes
 * send without a body; PUT and DELETE are idempotent too but usually carry or cause writes
 * a proxy should not repeat on its own.
 */
const RETRYABLE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One client request and its way through one or two upstream attempts. The response is
 * streamed: `writeHead` with the upstream's raw headers, then each chunk as it comes, so a
 * body is never held in memory. The request is recorded in its release's metrics when the
 * client side closes, which is when the response has ended (or the client went away).
 *
 * The body is forwarded by hand rather than with `pipe`: `pipe` adds and later removes
 * seven listeners per call, which measured as ~8% of the proxy's CPU per request (see
 * bench/proxy.mjs); `data`/`end` plus pause-until-`drain` keep the same backpressure.
 */
export class Exchange {
  private upstream: ClientRequest | undefined;
  private upstreamRes: IncomingMessage | undefined;
  private responded = false;
  private retried = false;
  private closed = false;
  private readonly startedAt = performance.now();

  constructor(
    private readonly context: ExchangeContext,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly head: RequestHead,
    private target: TargetState,
  ) {
    res.on('close', this.onClientClose);
  }

  send(): void {
    const { target, req, head } = this;
    let upstream: ClientRequest;
    try {
      upstream = http.request({
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: head.headers,
        agent: this.context.agent,
        timeout: this.context.timeoutMs,
      });
    } catch (error) {
      // Node's client validates harder than its server parses (e.g. some header values);
      // a request it refuses to send is a 502, never an exception that ends the proxy.
      this.fail(target, 'other', (error as Error).message);
      return;
    }
    this.upstream = upstream;
    upstream.on('response', this.onResponse);
    upstream.on('error', this.onError);
    upstream.on('timeout', this.onTimeout);
    if (head.hasBody) req.pipe(upstream);
    else upstream.end();
  }

  private readonly onResponse = (upstreamRes: IncomingMessage): void => {
    this.responded = true;
    const { res } = this;
    try {
      res.writeHead(
        upstreamRes.statusCode ?? 502,
        responseHeaders(upstreamRes.rawHeaders, this.target.backend.releaseHeader),
      );
    } catch (error) {
      // A header Node's parser let in but its writer refuses: nothing was sent yet.
      upstreamRes.destroy();
      this.fail(this.target, 'other', (error as Error).message);
      return;
    }
    this.upstreamRes = upstreamRes;
    upstreamRes.on('data', this.onData);
    upstreamRes.on('end', this.onEnd);
    upstreamRes.on('error', this.onBodyError);
  };

  private readonly onData = (chunk: Buffer): void => {
    if (!this.res.write(chunk)) {
      // The client reads slower than the upstream writes: stop reading the upstream, so
      // TCP pushes back on it instead of this process buffering the difference.
      this.upstreamRes?.pause();
      this.res.once('drain', this.onDrain);
    }
  };

  private readonly onDrain = (): void => {
    this.upstreamRes?.resume();
  };

  private readonly onEnd = (): void => {
    this.res.end();
  };

  /**
   * The upstream died mid-body (Node reports it as an 'error' on the response only when
   * someone listens): end the client's connection too, so it sees a cut response instead
   * of waiting for bytes that will never come.
   */
  private readonly onBodyError = (): void => {
    // Already cut by onTimeout (which destroyed the upstream and so caused this error).
    if (this.closed || this.res.destroyed) return;
    this.target.backend.stats.upstreamError('response_aborted');
    this.res.destroy();
  };

  private readonly onError = (error: NodeJS.ErrnoException): void => {
    if (this.closed || this.responded) return;
    const reason = reasonOf(error);
    const failed = this.target;
    failed.backend.stats.upstreamError(reason);
    if (this.mayRetry(reason)) {
      const next = this.context.routes.get(this.head.host)?.pickForRetry(failed.id);
      if (next) {
        this.retried = true;
        this.target = next;
        this.send();
        return;
      }
    }
    sendUpstreamFailure(this.res, 502, failed, describe(reason));
  };

  private fail(target: TargetState, reason: UpstreamErrorReason, detail: string): void {
    this.responded = true;
    target.backend.stats.upstreamError(reason);
    sendUpstreamFailure(this.res, 502, target, detail);
  }

  private readonly onTimeout = (): void => {
    if (this.closed) return;
    const { target } = this;
    target.backend.stats.upstreamError('timeout');
    // Mark the exchange answered first: destroying the request also fires 'error'.
    const responded = this.responded;
    this.responded = true;
    this.upstream?.destroy();
    if (responded) this.res.destroy();
    else sendUpstreamFailure(this.res, 504, target, 'timeout');
  };

  private readonly onClientClose = (): void => {
    this.closed = true;
    const { res } = this;
    // 499 is nginx's code for "client closed the request before the response was sent".
    const status = res.headersSent ? res.statusCode : 499;
    if (!res.writableFinished) this.upstream?.destroy();
    this.target.backend.stats.observe(status, (performance.now() - this.startedAt) / 1000);
  };

  /**
   * A connection failure before any response byte is safe to repeat when the request had
   * no body and an idempotent method: the upstream did not act on it (refused) or cannot
   * have answered (reset). This is what keeps a blue-green switch from losing requests that
   * race the old release's shutdown.
   */
  private mayRetry(reason: UpstreamErrorReason): boolean {
    return (
      !this.retried &&
      !this.head.hasBody &&
      (reason === 'connect_refused' || reason === 'connection_reset') &&
      RETRYABLE_METHODS.has(this.req.method ?? '')
    );
  }
}

function reasonOf(error: NodeJS.ErrnoException): UpstreamErrorReason {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connect_refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection_reset';
    default:
      return 'other';
  }
}

function describe(reason: UpstreamErrorReason): string {
  return reason === 'connect_refused'
    ? 'connection refused'
    : reason === 'connection_reset'
      ? 'connection reset before a response'
      : reason.replace('_', ' ');
}
