import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { DeployProxy } from '../../src/proxy/index.js';
import { backend, request, useResources, type Upstream } from './helpers.js';

const resources = useResources();

/** One release with two ready instances, the first of which has just died. */
async function deadAndAlive() {
  const proxy = await resources.proxy();
  const dead = await resources.upstream('dead');
  const alive = await resources.upstream('alive');
  proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, dead, alive)] });
  proxy.setReady('dead', true);
  proxy.setReady('alive', true);
  await dead.kill();
  return { proxy, alive };
}

async function single(options = {}): Promise<{ proxy: DeployProxy; up: Upstream }> {
  const proxy = await resources.proxy(options);
  const up = await resources.upstream('u1');
  proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, up)] });
  proxy.setReady('u1', true);
  return { proxy, up };
}

describe('DeployProxy forwarding', () => {
  it('sets x-forwarded-*, keeps Host, drops hop-by-hop headers both ways', async () => {
    const { proxy } = await single();
    const reply = await request(proxy.port, {
      path: '/echo',
      headers: {
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        connection: 'keep-alive, x-drop-me',
        'x-drop-me': 'secret',
        'proxy-authorization': 'Basic abc',
        'x-keep': 'yes',
      },
    });
    expect(reply.status).toBe(200);
    const seen = JSON.parse(reply.body) as { headers: Record<string, string> };
    expect(seen.headers['host']).toBe('app.localhost');
    expect(seen.headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(seen.headers['x-forwarded-host']).toBe('app.localhost');
    expect(seen.headers['x-forwarded-proto']).toBe('http');
    expect(seen.headers['x-keep']).toBe('yes');
    expect(seen.headers['x-drop-me']).toBeUndefined();
    expect(seen.headers['proxy-authorization']).toBeUndefined();
    // The upstream nominated x-upstream-secret as hop-by-hop in its Connection header.
    expect(reply.headers['x-upstream-secret']).toBeUndefined();
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['x-gantry-release']).toBe('v1');
  });

  it('streams a request body through, chunked or with a length', async () => {
    const { proxy } = await single();
    const big = 'x'.repeat(1 << 20);
    const reply = await request(proxy.port, { path: '/echo', method: 'POST', body: big });
    expect((JSON.parse(reply.body) as { body: string }).body).toHaveLength(1 << 20);

    const chunked = await new Promise<string>((resolve, reject) => {
      const req = http.request(
        {
          port: proxy.port,
          host: '127.0.0.1',
          method: 'PUT',
          path: '/echo',
          headers: { host: 'app.localhost' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        },
      );
      req.on('error', reject);
      req.write('part one, ');
      setTimeout(() => req.end('part two'), 20);
    });
    const echoed = JSON.parse(chunked) as { body: string; headers: Record<string, string> };
    expect(echoed.body).toBe('part one, part two');
    expect(echoed.headers['transfer-encoding']).toBe('chunked');
  });

  it('streams the response: the first chunk arrives before the upstream has finished', async () => {
    const { proxy, up } = await single();
    const chunks: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      http
        .get(
          {
            port: proxy.port,
            host: '127.0.0.1',
            path: '/stream',
            headers: { host: 'app.localhost' },
          },
          (res) => {
            res.setEncoding('utf8');
            res.on('data', (c: string) => {
              chunks.push(c);
              // Only release the rest once the first part came through the proxy on its own.
              if (chunks.length === 1) up.release();
            });
            res.on('end', resolve);
          },
        )
        .on('error', reject);
    });
    await done;
    expect(chunks[0]).toBe('first;');
    expect(chunks.join('')).toBe('first;second');
  });

  it('passes backpressure on: a client that stops reading stalls the upstream', async () => {
    const proxy = await resources.proxy();
    const total = 64 << 20;
    let written = 0;
    const upstream = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-length': String(total) });
      const chunk = Buffer.alloc(1 << 20, 'x');
      const more = (): void => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', more);
        }
        res.end();
      };
      more();
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    resources.defer(() => {
      upstream.closeAllConnections();
      return new Promise((resolve) => upstream.close(resolve));
    });
    const { port } = upstream.address() as AddressInfo;
    proxy.setRoute({
      host: 'app.localhost',
      backends: [
        { release: 'v1', weight: 1, targets: [{ id: 'big', url: `http://127.0.0.1:${port}` }] },
      ],
    });
    proxy.setReady('big', true);

    let received = 0;
    const done = new Promise<void>((resolve, reject) => {
      http
        .get({ port: proxy.port, host: '127.0.0.1', headers: { host: 'app.localhost' } }, (res) => {
          res.once('data', (first: Buffer) => {
            received += first.length;
            res.pause();
            // While the client does not read, only socket buffers may fill, not the proxy.
            setTimeout(() => {
              try {
                expect(written).toBeLessThan(total / 2);
              } catch (error) {
                reject(error as Error);
              }
              res.on('data', (c: Buffer) => (received += c.length));
              res.resume();
            }, 300);
          });
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    await done;
    expect(received).toBe(total);
  });

  it('cuts the client connection when the upstream dies mid-body', async () => {
    const { proxy } = await single();
    const outcome = await new Promise<string>((resolve) => {
      setTimeout(() => resolve('still waiting after 2 s'), 2000).unref();
      http
        .get(
          { port: proxy.port, host: '127.0.0.1', path: '/cut', headers: { host: 'app.localhost' } },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (c: string) => (body += c));
            res.on('end', () => resolve(`ended with ${body}`));
            res.on('error', (error: NodeJS.ErrnoException) =>
              resolve(`${error.code} after ${body}`),
            );
          },
        )
        .on('error', (error: NodeJS.ErrnoException) => resolve(`request ${error.code}`));
    });
    expect(outcome).toBe('ECONNRESET after begin;');
    await expect.poll(() => proxy.metricsText()).toContain('reason="response_aborted"} 1');
  });

  it('retries a GET on another instance when its instance is dead', async () => {
    const { proxy } = await deadAndAlive();
    const agent = new http.Agent({ keepAlive: true });
    resources.defer(() => agent.destroy());
    for (let i = 0; i < 6; i++) {
      const reply = await request(proxy.port, { agent });
      expect(reply).toMatchObject({ status: 200, body: 'alive' });
    }
    // Round-robin sent every other request to the dead instance first.
    expect(proxy.metricsText()).toContain(
      'gantry_proxy_upstream_errors_total{host="app.localhost",release="v1",reason="connect_refused"} 3',
    );
    expect(proxy.sample('app.localhost', 'v1')).toMatchObject({ requests: 6, errors: 0 });
  });

  it('retries a GET on another release when the chosen release is dead', async () => {
    const proxy = await resources.proxy();
    const blue = await resources.upstream('blue');
    const green = await resources.upstream('green');
    proxy.setRoute({
      host: 'app.localhost',
      backends: [backend('blue', 50, blue), backend('green', 50, green)],
    });
    proxy.setReady('blue', true);
    proxy.setReady('green', true);
    await blue.kill();
    for (let i = 0; i < 4; i++)
      expect(await request(proxy.port)).toMatchObject({ status: 200, body: 'green' });
    expect(proxy.sample('app.localhost', 'green').requests).toBe(4);
  });

  it('answers 502 for a POST to a dead instance instead of sending it twice', async () => {
    const { proxy, alive } = await deadAndAlive();
    const reply = await request(proxy.port, { method: 'POST', path: '/echo', body: 'order=1' });
    expect(reply.status).toBe(502);
    expect(reply.headers['x-gantry-release']).toBe('v1');
    expect(reply.body).toContain('instance dead of release v1 failed (connection refused)');
    expect(alive.hits).toEqual([]);
    expect(proxy.sample('app.localhost', 'v1')).toMatchObject({ requests: 1, errors: 1 });
    // A GET with the same single dead instance left has nowhere to retry: 502 too.
    proxy.setReady('alive', false);
    expect((await request(proxy.port)).status).toBe(502);
  });

  it('retries a GET whose connection is reset before any response, but not a POST', async () => {
    const proxy = await resources.proxy();
    const flaky = await resources.upstream('flaky');
    const steady = await resources.upstream('steady');
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, flaky, steady)] });
    proxy.setReady('flaky', true);
    proxy.setReady('steady', true);
    const get = await request(proxy.port, { path: '/reset/flaky' });
    expect(get).toMatchObject({ status: 200, body: 'steady' });
    expect(flaky.hits).toEqual(['/reset/flaky']);

    // The retry did not take steady's turn: the next request is steady's, then flaky's again.
    expect((await request(proxy.port)).body).toBe('steady');
    const post = await request(proxy.port, { method: 'POST', path: '/reset/flaky', body: 'x' });
    expect(post.status).toBe(502);
    expect(post.body).toContain('connection reset before a response');
    expect(steady.hits).toEqual(['/reset/flaky', '/']);
    expect(proxy.metricsText()).toContain('reason="connection_reset"} 2');
  });

  it('answers 504 when the upstream stays silent past the timeout', async () => {
    const { proxy } = await single({ upstreamTimeoutMs: 150 });
    const started = Date.now();
    const reply = await request(proxy.port, { path: '/hang' });
    expect(reply.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(reply.body).toContain('did not answer in time');
    expect(proxy.sample('app.localhost', 'v1')).toMatchObject({ requests: 1, errors: 1 });
    expect(proxy.metricsText()).toContain('reason="timeout"} 1');
  });

  it('cuts a response whose upstream goes silent mid-body past the timeout', async () => {
    const { proxy } = await single({ upstreamTimeoutMs: 150 });
    const outcome = await new Promise<string>((resolve) => {
      setTimeout(() => resolve('still waiting after 2 s'), 2000).unref();
      http
        .get(
          {
            port: proxy.port,
            host: '127.0.0.1',
            path: '/stream',
            headers: { host: 'app.localhost' },
          },
          (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (c: string) => (body += c));
            res.on('end', () => resolve(`ended with ${body}`));
            res.on('error', (error: NodeJS.ErrnoException) =>
              resolve(`${error.code} after ${body}`),
            );
          },
        )
        .on('error', (error: NodeJS.ErrnoException) => resolve(`request ${error.code}`));
    });
    expect(outcome).toBe('ECONNRESET after first;');
    await expect.poll(() => proxy.sample('app.localhost', 'v1').requests).toBe(1);
    const text = proxy.metricsText();
    expect(text).toContain('reason="timeout"} 1');
    expect(text).not.toContain('reason="response_aborted"');
  });

  it('passes upstream 5xx through and counts them as errors', async () => {
    const { proxy } = await single();
    expect((await request(proxy.port, { path: '/status/503' })).status).toBe(503);
    expect((await request(proxy.port, { path: '/status/404' })).status).toBe(404);
    expect(proxy.sample('app.localhost', 'v1')).toMatchObject({ requests: 2, errors: 1 });
  });
});
