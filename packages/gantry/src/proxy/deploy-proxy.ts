import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { GantryError } from '../errors/index.js';
import { createAdminServer } from './admin.js';
import { Exchange, type ExchangeContext } from './exchange.js';
import { readRequestHead } from './headers.js';
import { close, listen } from './listen.js';
import { renderMetrics } from './metrics-text.js';
import { emptySample, StatsRegistry } from './release-stats.js';
import { sendNoReadyTarget, sendUnknownHost } from './responses.js';
import { CompiledRoute, type Readiness } from './route-table.js';
import type { ProxyOptions, ProxyRoute, TrafficSample } from './types.js';

const DEFAULT_UPSTREAM_TIMEOUT_MS = 60_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 5_000;

/**
 * The one reverse proxy in front of a local deployment: routes by Host header to the
 * releases of that host, split by weight (canary) or switched at once (blue-green), only
 * ever to instances marked ready, and counts every request per host and release.
 */
export class DeployProxy {
  private readonly compiled = new Map<string, CompiledRoute>();
  private readonly readiness = new Map<string, Readiness>();
  private readonly stats = new StatsRegistry();
  private unknownHostRequests = 0;
  private readonly upstreams: Agent;
  private readonly context: ExchangeContext;
  private readonly server = http.createServer((req, res) => {
    try {
      this.handle(req, res);
    } catch {
      // A bug here must cost one request, not the proxy and every app behind it.
      if (res.headersSent) res.destroy();
      else res.writeHead(500, ['Content-Length', '0']).end();
    }
  });
  private readonly admin: http.Server | undefined;
  private boundPort = 0;
  private boundMetricsPort: number | undefined;
  private stopping: Promise<void> | undefined;

  private constructor(private readonly options: ProxyOptions) {
    // Silence of the upstream in each phase (connect, head, between body chunks) is bounded
    // alike, as one socket idle timeout did with node:http.
    const timeoutMs = options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS;
    this.upstreams = new Agent({
      connect: { timeout: timeoutMs },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    this.context = { dispatcher: this.upstreams, routes: this.compiled };
    if (options.metricsPort !== undefined) this.admin = createAdminServer(() => this.metricsText());
  }

  /** Starts both listeners; a taken port rejects with GANTRY_PROXY_PORT_IN_USE. */
  static async start(options: ProxyOptions): Promise<DeployProxy> {
    const proxy = new DeployProxy(options);
    const host = options.host ?? '127.0.0.1';
    proxy.boundPort = await listen(proxy.server, options.port, host, 'proxy listener');
    if (proxy.admin && options.metricsPort !== undefined) {
      try {
        proxy.boundMetricsPort = await listen(proxy.admin, options.metricsPort, host, 'metrics');
      } catch (error) {
        await proxy.stop();
        throw error;
      }
    }
    return proxy;
  }

  get port(): number {
    return this.boundPort;
  }

  get metricsPort(): number | undefined {
    return this.boundMetricsPort;
  }

  /**
   * Replaces the host's whole table in one step: requests that start after this call use
   * it, requests in flight finish on the instance they already reached.
   */
  setRoute(route: ProxyRoute): void {
    const host = route.host.toLowerCase();
    if (host === '' || /[\s/:]/.test(host))
      throw new GantryError(
        'GANTRY_INTERNAL',
        `proxy route host '${route.host}' is not a host name`,
      );
    const copy: ProxyRoute = {
      host,
      backends: route.backends.map((b) => ({
        release: b.release,
        weight: b.weight,
        targets: b.targets.map((t) => ({ id: t.id, url: t.url })),
      })),
    };
    this.compiled.set(host, new CompiledRoute(copy, (id) => this.readinessOf(id), this.stats));
  }

  removeRoute(host: string): void {
    this.compiled.delete(host.toLowerCase());
  }

  routes(): readonly ProxyRoute[] {
    return [...this.compiled.values()].map((compiled) => compiled.route);
  }

  /** Instances start unready: nothing is sent to one until its readiness check passed. */
  setReady(targetId: string, ready: boolean): void {
    this.readinessOf(targetId).ready = ready;
  }

  sample(host: string, release: string): TrafficSample {
    return this.stats.find(host.toLowerCase(), release)?.sample() ?? emptySample();
  }

  metricsText(): string {
    return renderMetrics(this.stats, this.unknownHostRequests);
  }

  /** Closes both listeners (in-flight requests get `drainTimeoutMs`), then upstream sockets. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const grace = this.options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
      await Promise.all([close(this.server, grace), this.admin && close(this.admin, grace)]);
      await this.upstreams.destroy();
    })();
    return this.stopping;
  }

  private readinessOf(id: string): Readiness {
    let readiness = this.readiness.get(id);
    if (!readiness) this.readiness.set(id, (readiness = { ready: false }));
    return readiness;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const head = readRequestHead(req.rawHeaders, req.socket.remoteAddress ?? '');
    const route = this.compiled.get(head.host);
    if (route === undefined) {
      this.unknownHostRequests++;
      sendUnknownHost(res, head.host, [...this.compiled.keys()].sort());
      return;
    }
    const target = route.pick();
    if (target === undefined) {
      // No release can be blamed, so the 503 is counted under the host with release="".
      const started = performance.now();
      sendNoReadyTarget(res, route);
      this.stats.get(head.host, '').observe(503, (performance.now() - started) / 1000);
      return;
    }
    new Exchange(this.context, req, res, head, target).send();
  }
}
