import http from 'node:http';
import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad } from '../../src/analysis/index.js';

let server: http.Server;
let url: string;
const hosts = new Set<string | undefined>();
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hosts.add(req.headers.host);
    if (req.url === '/fail') res.statusCode = 503;
    if (req.url === '/slow') {
      setTimeout(() => res.end('late'), 400);
      return;
    }
    res.end('ok');
  });
  server.on('connection', (socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('startLoad', () => {
  it('sends a fixed rate', async () => {
    const started = performance.now();
    // Room for every request: this test is about the rate; dropping has its own test.
    const load = startLoad({ url, host: 'app.test', rps: 200, maxInFlight: 1_000 });
    await delay(1_000);
    const stats = await load.stop();
    // Against the time that really passed: a busy machine oversleeps delay(1000).
    const expected = ((performance.now() - started) / 1_000) * 200;
    const seen = JSON.stringify({ ...stats, expected });
    expect(Math.abs(stats.sent - expected), seen).toBeLessThanOrEqual(expected * 0.15);
    expect(stats, seen).toEqual({
      sent: stats.sent,
      ok: stats.sent,
      failed: 0,
      errors5xx: 0,
      dropped: 0,
    });
    expect(hosts).toEqual(new Set(['app.test']));
  });

  it('reuses keep-alive connections', async () => {
    sockets.clear();
    const load = startLoad({ url, rps: 50 });
    await delay(500);
    const stats = await load.stop();
    expect(stats.ok).toBeGreaterThan(15);
    // A stalled event loop catches up in a burst, which opens a few more: no exact number.
    expect(sockets.size, JSON.stringify({ ...stats, sockets: sockets.size })).toBeLessThan(
      stats.ok / 3,
    );
  });

  it('counts 5xx answers apart from ok ones', async () => {
    const load = startLoad({ url, path: '/fail', rps: 100 });
    await delay(300);
    const stats = await load.stop();
    expect(stats.sent).toBeGreaterThan(20);
    expect(stats.errors5xx).toBe(stats.sent);
    expect(stats.ok).toBe(0);
  });

  it('keeps the rate against a slow server, dropping what exceeds maxInFlight', async () => {
    // Open loop: 100 requests/s whatever the 400 ms latency; closed-loop with 5 clients
    // would send 12 in 1 s. 5 may be in flight, so most are dropped, and counted.
    const load = startLoad({ url, path: '/slow', rps: 100, maxInFlight: 5 });
    await delay(1_000);
    const stats = await load.stop();
    expect(stats.sent + stats.dropped).toBeGreaterThanOrEqual(85);
    expect(stats.sent).toBeLessThanOrEqual(20);
    expect(stats.dropped).toBeGreaterThan(60);
    // stop() waits for the requests in flight.
    expect(stats.ok).toBe(stats.sent);
  });

  it('counts requests that get no answer as failed', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const load = startLoad({ url: `http://127.0.0.1:${port}`, rps: 50 });
    await delay(200);
    const stats = await load.stop();
    expect(stats.sent).toBeGreaterThan(3);
    expect(stats.failed).toBe(stats.sent);
  });

  it('stops sending when the signal aborts', async () => {
    const controller = new AbortController();
    const load = startLoad({ url, rps: 200, signal: controller.signal });
    await delay(200);
    controller.abort();
    await delay(200);
    const stats = await load.stop();
    expect(stats.sent).toBeGreaterThan(20);
    expect(stats.sent).toBeLessThan(60);
    expect(await load.stop()).toEqual(stats);
  });

  it('rejects a rate that is not positive', () => {
    expect(() => startLoad({ url, rps: 0 })).toThrow('load rps must be a positive number, not 0');
  });
});
