import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dispatcher } from 'undici';
import { responseHeaders, type RequestHead } from './headers.js';
import type { UpstreamErrorReason } from './release-stats.js';
import { sendUpstreamFailure } from './responses.js';
import type { CompiledRoute, TargetState } from './route-table.js';

/** What every exchange shares: the upstream connection pools and the live routes. */
export interface ExchangeContext {
  /** An undici Agent: one keep-alive pool per target origin, timeouts set on it. */
  readonly dispatcher: Dispatcher;
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
 * One client request and its way through one or two upstream attempts, as an undici
 * dispatch handler. The response is streamed: `writeHead` with the upstream's raw headers,
 * then each chunk as it comes, so a body is never held in memory. The request is recorded
 * in its release's metrics when the client side closes, which is when the response has
 * ended (or the client went away).
 *
 * undici's raw handler callbacks (`onConnect`/`onHeaders`/`onData`/...) are used rather
 * than `http.request` or undici's newer controller API: they hand over the raw header
 * buffers with their case and order, and cost no stream, listener or header object per
 * request. Switching from `http.request` with an `http.Agent` took the proxy from ~33 to
 * ~25 µs of CPU per request (bench/proxy.mjs).
 */
export class Exchange implements Dispatcher.DispatchHandler {
  private abortUpstream: ((reason?: Error) => void) | undefined;
  private resumeUpstream: (() => void) | undefined;
  private responded = false;
  private settled = false;
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
    // A request undici refuses to send (a header or path it validates harder than Node's
    // server parses) comes back synchronously through onError: a 502, never an exception.
    this.context.dispatcher.dispatch(
      {
        origin: target.origin,
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: head.headers,
        body: head.hasBody ? req : null,
      },
      this,
    );
  }

  onConnect(abort: (reason?: Error) => void): void {
    // The client may have gone while the request waited for a free connection.
    if (this.closed) abort();
    else this.abortUpstream = abort;
  }

  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean {
    // 1xx interim responses (103 Early Hints, say) are not passed on, as before with node:http.
    if (status < 200) return true;
    this.responded = true;
    this.resumeUpstream = resume;
    try {
      this.res.writeHead(status, responseHeaders(raw, this.target.backend.releaseHeader));
    } catch (error) {
      // A header undici's parser let in but Node's writer refuses: nothing was sent yet.
      this.settled = true;
      this.abortUpstream?.();
      this.target.backend.stats.upstreamError('other');
      sendUpstreamFailure(this.res, 502, this.target, (error as Error).message);
      return false;
    }
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.res.write(chunk)) return true;
    // The client reads slower than the upstream writes: pause the upstream, so TCP pushes
    // back on it instead of this process buffering the difference.
    this.res.once('drain', () => this.resumeUpstream?.());
    return false;
  }

  onComplete(): void {
    this.res.end();
  }

  onError(error: Error & { code?: string }): void {
    // Closed: the client went away (aborting us). Settled: our own answer went out already.
    if (this.closed || this.settled) return;
    const failed = this.target;
    if (this.responded) {
      // The upstream died or went silent mid-body: cut the client's connection too, so it
      // sees a cut response instead of waiting for bytes that will never come.
      const reason = error.code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : 'response_aborted';
      failed.backend.stats.upstreamError(reason);
      this.res.destroy();
      return;
    }
    const reason = reasonOf(error);
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
    this.settled = true;
    if (reason === 'timeout') sendUpstreamFailure(this.res, 504, failed, 'timeout');
    // 'other' includes requests undici refused to send: its message says which part and why.
    else sendUpstreamFailure(this.res, 502, failed, describe(reason, error));
  }

  private readonly onClientClose = (): void => {
    this.closed = true;
    const { res } = this;
    // 499 is nginx's code for "client closed the request before the response was sent".
    const status = res.headersSent ? res.statusCode : 499;
    if (!res.writableFinished) this.abortUpstream?.();
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

function reasonOf(error: Error & { code?: string }): UpstreamErrorReason {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connect_refused';
    // UND_ERR_SOCKET is undici's "other side closed": the upstream closed the connection
    // before answering.
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'connection_reset';
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'timeout';
    default:
      return 'other';
  }
}

function describe(reason: UpstreamErrorReason, error: Error): string {
  return reason === 'connect_refused'
    ? 'connection refused'
    : reason === 'connection_reset'
      ? 'connection reset before a response'
      : error.message;
}
