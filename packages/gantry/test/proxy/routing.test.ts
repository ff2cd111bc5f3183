import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { backend, request, useResources } from './helpers.js';

const resources = useResources();

/** Sends `n` sequential GETs over one keep-alive connection; returns the answering releases. */
async function releasesOf(port: number, n: number, host = 'app.localhost'): Promise<string[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  resources.defer(() => agent.destroy());
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const reply = await request(port, { host, agent });
    expect(reply.status).toBe(200);
    out.push(String(reply.headers['x-gantry-release']));
  }
  return out;
}

const count = (values: string[], value: string) => values.filter((v) => v === value).length;

describe('DeployProxy host routing', () => {
  it('routes by Host header, ignoring port and case, and tags the answering release', async () => {
    const proxy = await resources.proxy();
    const staging = await resources.upstream('staging-1');
    const pr = await resources.upstream('pr42-1');
    proxy.setRoute({ host: 'staging.localhost', backends: [backend('v1', 1, staging)] });
    proxy.setRoute({ host: 'PR-42.localhost', backends: [backend('pr-42', 1, pr)] });
    proxy.setReady('staging-1', true);
    proxy.setReady('pr42-1', true);

    const a = await request(proxy.port, { host: `Staging.LOCALHOST:${proxy.port}` });
    expect(a).toMatchObject({ status: 200, body: 'staging-1' });
    expect(a.headers['x-gantry-release']).toBe('v1');
    const b = await request(proxy.port, { host: 'pr-42.localhost' });
    expect(b).toMatchObject({ status: 200, body: 'pr42-1' });
    expect(b.headers['x-gantry-release']).toBe('pr-42');
    expect(proxy.routes().map((r) => r.host)).toEqual(['staging.localhost', 'pr-42.localhost']);
  });

  it('answers 404 naming the host and the known hosts for an unknown host', async () => {
    const proxy = await resources.proxy();
    const up = await resources.upstream('u');
    proxy.setRoute({ host: 'b.localhost', backends: [backend('v1', 1, up)] });
    proxy.setRoute({ host: 'a.localhost', backends: [backend('v1', 1, up)] });
    proxy.setReady('u', true);

    const reply = await request(proxy.port, { host: 'nope.localhost:8080' });
    expect(reply.status).toBe(404);
    expect(reply.headers['x-gantry-error']).toBe('GANTRY_PROXY_NO_BACKEND');
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
    expect(reply.body).toContain("'nope.localhost'");
    expect(reply.body).toContain('Known hosts: a.localhost, b.localhost');
    expect(up.hits).toEqual([]);

    proxy.removeRoute('A.localhost');
    expect((await request(proxy.port, { host: 'a.localhost' })).status).toBe(404);
    expect(proxy.routes().map((r) => r.host)).toEqual(['b.localhost']);
  });

  it('answers 503 when the host has no ready instance, and never sends to an unready one', async () => {
    const proxy = await resources.proxy();
    const ready = await resources.upstream('ready');
    const unready = await resources.upstream('unready');
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, unready)] });

    const reply = await request(proxy.port);
    expect(reply.status).toBe(503);
    expect(reply.headers['x-gantry-error']).toBe('GANTRY_PROXY_NO_BACKEND');
    expect(reply.body).toContain("host 'app.localhost' has no ready instance");
    expect(reply.body).toContain('v1: weight 1, 0/1 instances ready');

    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, unready, ready)] });
    proxy.setReady('ready', true);
    await releasesOf(proxy.port, 10);
    expect(ready.hits).toHaveLength(10);
    expect(unready.hits).toEqual([]);

    // Marking an instance unready takes it out at once, with no route change.
    proxy.setReady('unready', true);
    proxy.setReady('ready', false);
    await releasesOf(proxy.port, 4);
    expect(ready.hits).toHaveLength(10);
    expect(unready.hits).toHaveLength(4);
  });

  it('round-robins over the ready instances of a release', async () => {
    const proxy = await resources.proxy();
    const ups = await Promise.all(['i1', 'i2', 'i3'].map((n) => resources.upstream(n)));
    proxy.setRoute({ host: 'app.localhost', backends: [backend('v1', 1, ...ups)] });
    for (const u of ups) proxy.setReady(u.name, true);
    await releasesOf(proxy.port, 30);
    expect(ups.map((u) => u.hits.length)).toEqual([10, 10, 10]);
  });
});

describe('DeployProxy weighted split', () => {
  // [canary weight, stable weight]: the canary must get exactly its share of every 100.
  const cases: [number, number][] = [
    [10, 90],
    [0, 100],
    [50, 50],
  ];
  for (const [canaryWeight, stableWeight] of cases)
    it(`sends exactly ${canaryWeight} of 100 requests to the canary at ${canaryWeight}/${stableWeight}`, async () => {
      const proxy = await resources.proxy();
      const c = await resources.upstream('c');
      const s = await resources.upstream('s');
      proxy.setRoute({
        host: 'app.localhost',
        backends: [backend('canary', canaryWeight, c), backend('stable', stableWeight, s)],
      });
      proxy.setReady('c', true);
      proxy.setReady('s', true);
      const releases = await releasesOf(proxy.port, 100);
      expect(count(releases, 'canary')).toBe(canaryWeight);
      expect(count(releases, 'stable')).toBe(100 - canaryWeight);
    });

  it('spreads the canary share evenly instead of in a burst', async () => {
    const proxy = await resources.proxy();
    const c = await resources.upstream('c');
    const s = await resources.upstream('s');
    proxy.setRoute({
      host: 'app.localhost',
      backends: [backend('canary', 10, c), backend('stable', 90, s)],
    });
    proxy.setReady('c', true);
    proxy.setReady('s', true);
    const releases = await releasesOf(proxy.port, 100);
    for (let i = 0; i < 100; i += 10) expect(count(releases.slice(i, i + 10), 'canary')).toBe(1);
  });

  it('gives a release without a ready instance no traffic; the others share its weight', async () => {
    const proxy = await resources.proxy();
    const c = await resources.upstream('c');
    const s = await resources.upstream('s');
    proxy.setRoute({
      host: 'app.localhost',
      backends: [backend('canary', 90, c), backend('stable', 10, s)],
    });
    proxy.setReady('s', true);
    const releases = await releasesOf(proxy.port, 20);
    expect(count(releases, 'stable')).toBe(20);
    expect(c.hits).toEqual([]);
  });
});
