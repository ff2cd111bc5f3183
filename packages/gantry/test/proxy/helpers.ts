import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';
import { DeployProxy, type ProxyOptions, type WeightedBackend } from '../../src/proxy/index.js';

/** A real upstream: a node:http server on a loopback port, answering as release `name`. */
export interface Upstream {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  readonly server: http.Server;
  /** Requests it received, by path. */
  readonly hits: string[];
  /** Lets every request parked on `/slow` answer. */
  release(): void;
  /** Resolves when a request reaches `/slow`. */
  parked(): Promise<void>;
  /** Stops listening and cuts every connection, as a killed process would. */
  kill(): Promise<void>;
}

/**
 * `/echo` answers JSON describing the request, `/status/N` answers status N, `/slow` parks
 * until `release()`, `/stream` sends one chunk and the rest after `release()`,
 * `/reset/<name>` makes upstream `name` drop the connection unanswered, `/cut` dies
 * mid-body, `/hang` never answers; any other path answers the upstream's name.
 */
export async function startUpstream(name: string): Promise<Upstream> {
  const hits: string[] = [];
  let waiting: (() => void)[] = [];
  let parkedWaiters: (() => void)[] = [];
  let released = false;
  const whenReleased = (fn: () => void) => (released ? fn() : waiting.push(fn));
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === '/echo') {
        const body = Buffer.concat(chunks).toString();
        res.setHeader('content-type', 'application/json');
        res.setHeader('connection', 'keep-alive, x-upstream-secret');
        res.setHeader('x-upstream-secret', 'hop');
        res.end(JSON.stringify({ name, method: req.method, headers: req.headers, body }));
      } else if (path.startsWith('/status/')) {
        res.writeHead(Number(path.slice(8)));
        res.end(name);
      } else if (path === '/slow') {
        parkedWaiters.forEach((fn) => fn());
        parkedWaiters = [];
        whenReleased(() => res.end(`${name} slow`));
      } else if (path === '/stream') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        whenReleased(() => res.end('second'));
      } else if (path === '/cut') {
        // Promises 100 bytes, sends 6, then dies: a response aborted mid-body.
        res.writeHead(200, { 'content-length': '100' });
        res.write('begin;', () => res.destroy());
      } else if (path === `/reset/${name}`) {
        req.socket.destroy();
      } else if (path !== '/hang') {
        res.end(name);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    name,
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    hits,
    release() {
      released = true;
      waiting.forEach((fn) => fn());
      waiting = [];
    },
    parked: () => new Promise<void>((resolve) => parkedWaiters.push(resolve)),
    kill: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A backend of one release whose targets are the given upstreams, ids `<name>`. */
export function backend(
  release: string,
  weight: number,
  ...upstreams: Upstream[]
): WeightedBackend {
  return { release, weight, targets: upstreams.map((u) => ({ id: u.name, url: u.url })) };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function request(
  port: number,
  options: {
    host?: string;
    path?: string;
    method?: string;
    body?: string;
    agent?: http.Agent;
    headers?: Record<string, string>;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        agent: options.agent ?? false,
        headers: { host: options.host ?? 'app.localhost', ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Registers an afterEach that stops every proxy and upstream a test started, so a failing
 * assertion leaves no listener behind. Call once at the top of a test file.
 */
export function useResources(): {
  proxy(options?: Partial<ProxyOptions>): Promise<DeployProxy>;
  upstream(name: string): Promise<Upstream>;
  defer(fn: () => unknown): void;
} {
  let cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    const pending = cleanups.reverse();
    cleanups = [];
    for (const fn of pending) await fn();
  });
  return {
    async proxy(options = {}) {
      const proxy = await DeployProxy.start({ port: 0, drainTimeoutMs: 500, ...options });
      cleanups.push(() => proxy.stop());
      return proxy;
    },
    async upstream(name) {
      const upstream = await startUpstream(name);
      cleanups.push(() => {
        upstream.release();
        return upstream.kill();
      });
      return upstream;
    },
    defer: (fn) => cleanups.push(fn),
  };
}
