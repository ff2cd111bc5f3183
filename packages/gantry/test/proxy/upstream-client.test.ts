import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { DeployProxy } from '../../src/proxy/index.js';
import { backend, request, useResources } from './helpers.js';

const resources = useResources();

/**
 * An upstream that speaks raw HTTP, for responses node:http would not produce: `answer` gets
 * the socket and the request head as received, byte for byte.
 */
async function rawUpstream(answer: (socket: net.Socket, head: string) => void): Promise<string> {
  const server = net.createServer((socket) => {
    let buffered = '';
    socket.on('error', () => {});
    socket.on('data', (data: Buffer) => {
      buffered += data.toString('latin1');
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffered.slice(0, end);
      buffered = buffered.slice(end + 4);
      answer(socket, head);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  resources.defer(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function proxyTo(url: string): Promise<DeployProxy> {
  const proxy = await resources.proxy();
  proxy.setRoute({
    host: 'app.localhost',
    backends: [{ release: 'v1', weight: 1, targets: [{ id: 'raw', url }] }],
  });
  proxy.setReady('raw', true);
  return proxy;
}

/** Sends a request as raw text on its own connection and returns the raw answer. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data: Buffer) => (answer += data.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
    socket.write(text);
  });
}

describe('DeployProxy upstream client', () => {
  it('routes by the first of two Host headers and forwards only that one', async () => {
    let seen = '';
    const proxy = await proxyTo(
      await rawUpstream((socket, head) => {
        seen = head;
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok');
      }),
    );
    const answer = await rawRequest(
      proxy.port,
      'GET / HTTP/1.1\r\nHost: app.localhost\r\nHost: other.localhost\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(seen.match(/^host:/gim)).toHaveLength(1);
    expect(seen).toMatch(/^host: app\.localhost$/im);
    expect(seen).toMatch(/^x-forwarded-host: app\.localhost$/im);
  });

  it('passes a close-delimited HTTP/1.0 response through, and skips a 103 before a 200', async () => {
    const closing = await proxyTo(
      await rawUpstream((socket) =>
        socket.end('HTTP/1.0 200 OK\r\nX-Case: MiXeD\r\n\r\nuntil EOF'),
      ),
    );
    const reply = await request(closing.port);
    expect(reply).toMatchObject({ status: 200, body: 'until EOF' });
    expect(reply.headers['x-case']).toBe('MiXeD');

    const hinting = await proxyTo(
      await rawUpstream((socket) => {
        socket.write('HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n');
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal');
      }),
    );
    const hinted = await request(hinting.port);
    expect(hinted).toMatchObject({ status: 200, body: 'final' });
    expect(hinted.headers['link']).toBeUndefined();
  });

  it('keeps one upstream connection alive across requests', async () => {
    const proxy = await resources.proxy();
    const up = await resources.upstream('u');
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, up)] });
    proxy.setReady('u', true);
    let connections = 0;
    up.server.on('connection', () => connections++);
    for (let i = 0; i < 5; i++) expect((await request(proxy.port)).body).toBe('u');
    expect(connections).toBe(1);
  });

  it('reaches an instance on an IPv6 address', async () => {
    const server = http.createServer((_req, res) => res.end('six'));
    await new Promise<void>((resolve) => server.listen(0, '::1', resolve));
    resources.defer(() => new Promise((resolve) => server.close(resolve)));
    const proxy = await proxyTo(`http://[::1]:${(server.address() as AddressInfo).port}`);
    expect(await request(proxy.port)).toMatchObject({ status: 200, body: 'six' });
  });

  it('aborts the upstream request when the client goes away, and counts a 499', async () => {
    const proxy = await resources.proxy();
    const up = await resources.upstream('u');
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, up)] });
    proxy.setReady('u', true);
    const upstreamClosed = new Promise<void>((resolve) =>
      up.server.once('request', (req: http.IncomingMessage) => req.socket.once('close', resolve)),
    );
    const parked = up.parked();
    const client = net.connect(proxy.port, '127.0.0.1');
    client.write('GET /slow HTTP/1.1\r\nHost: app.localhost\r\n\r\n');
    await parked;
    client.destroy();
    await upstreamClosed;
    await expect
      .poll(() => proxy.metricsText())
      .toContain('gantry_proxy_requests_total{host="app.localhost",release="v1",code="499"} 1');
  });

  it('answers an upload the upstream gives up on: early 413 passed on, reset as a 502', async () => {
    /** The upstream reads 2 KiB of a 256 KiB upload, then answers 413 or resets. */
    const upload = async (early: boolean): Promise<string> => {
      const proxy = await proxyTo(
        await rawUpstream((socket) => {
          let received = 0;
          socket.on('data', (data: Buffer) => {
            received += data.length;
            if (received < 2048 || socket.writableEnded || socket.destroyed) return;
            if (!early) return void socket.resetAndDestroy();
            socket.end('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 3\r\n\r\nbig');
          });
        }),
      );
      return new Promise((resolve, reject) => {
        const req = http.request(
          {
            port: proxy.port,
            host: '127.0.0.1',
            method: 'POST',
            headers: { host: 'app.localhost', 'content-length': String(256 << 10) },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (c: string) => (body += c));
            res.on('end', () => resolve(`${res.statusCode} ${body}`));
          },
        );
        req.on('error', reject);
        let sent = 0;
        const more = (): void => {
          if (sent++ === 64) return void req.end();
          req.write(Buffer.alloc(4096, 'x'));
          setImmediate(more);
        };
        more();
      });
    };
    expect(await upload(true)).toBe('413 big');
    expect(await upload(false)).toMatch(/^502 .*connection reset before a response/);
  });

  it('answers 502 for a request undici will not send (OPTIONS *), naming the reason', async () => {
    const proxy = await proxyTo(await rawUpstream((socket) => socket.end()));
    const answer = await rawRequest(
      proxy.port,
      'OPTIONS * HTTP/1.1\r\nHost: app.localhost\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 502 /);
    expect(answer).toContain('path must be an absolute URL or start with a slash');
    expect(proxy.metricsText()).toContain('reason="other"} 1');
  });
});
