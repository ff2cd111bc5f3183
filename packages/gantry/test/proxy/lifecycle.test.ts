import http from 'node:http';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isGantryError } from '../../src/errors/index.js';
import { DeployProxy } from '../../src/proxy/index.js';
import { backend, request, useResources } from './helpers.js';

const resources = useResources();

async function occupiedPort(): Promise<number> {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  resources.defer(() => new Promise((resolve) => blocker.close(resolve)));
  return (blocker.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('DeployProxy lifecycle', () => {
  it('fails with GANTRY_PROXY_PORT_IN_USE naming the port when the proxy port is taken', async () => {
    const port = await occupiedPort();
    const error: unknown = await DeployProxy.start({ port }).catch((e: unknown) => e);
    expect(isGantryError(error) && error.code).toBe('GANTRY_PROXY_PORT_IN_USE');
    expect((error as Error).message).toContain(`port ${port} is already in use`);
  });

  it('fails the same way for a taken metrics port, and releases the proxy port', async () => {
    const metricsPort = await occupiedPort();
    const port = await freePort();
    const error: unknown = await DeployProxy.start({ port, metricsPort }).catch((e: unknown) => e);
    expect(isGantryError(error) && error.code).toBe('GANTRY_PROXY_PORT_IN_USE');
    expect((error as Error).message).toContain(`for its metrics: port ${metricsPort}`);
    expect(await refused(port)).toBe(true);
  });

  it('stop() closes both listeners and the idle connections on either side', async () => {
    const proxy = await DeployProxy.start({ port: 0, metricsPort: 0, drainTimeoutMs: 10_000 });
    resources.defer(() => proxy.stop());
    const up = await resources.upstream('u');
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, up)] });
    proxy.setReady('u', true);
    const agent = new http.Agent({ keepAlive: true });
    resources.defer(() => agent.destroy());
    expect((await request(proxy.port, { agent })).status).toBe(200);
    const upstreamConnections = () =>
      new Promise<number>((resolve) => up.server.getConnections((_, n) => resolve(n)));
    expect(await upstreamConnections()).toBe(1);

    // The client's keep-alive connection is idle: stop must not wait out the drain timeout.
    const started = Date.now();
    await proxy.stop();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await refused(proxy.port)).toBe(true);
    expect(await refused(proxy.metricsPort!)).toBe(true);
    await expect.poll(upstreamConnections).toBe(0);
    await proxy.stop(); // idempotent
  });

  it('stop() lets an in-flight request finish, then closes its keep-alive connection', async () => {
    const proxy = await DeployProxy.start({ port: 0, drainTimeoutMs: 10_000 });
    resources.defer(() => proxy.stop());
    const up = await resources.upstream('u');
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, up)] });
    proxy.setReady('u', true);
    const agent = new http.Agent({ keepAlive: true });
    resources.defer(() => agent.destroy());
    const parked = up.parked();
    const started = Date.now();
    const slow = request(proxy.port, { path: '/slow', agent });
    await parked;
    let stopped = false;
    const stopping = proxy.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    up.release();
    expect(await slow).toMatchObject({ status: 200, body: 'u slow' });
    await stopping;
    expect(stopped).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
