import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { backend, request, useResources, type Reply } from './helpers.js';

const resources = useResources();

/** Blue and green both ready, blue taking all the traffic. */
async function blueLive() {
  const proxy = await resources.proxy();
  const blue = await resources.upstream('blue');
  const green = await resources.upstream('green');
  proxy.setReady('blue', true);
  proxy.setReady('green', true);
  proxy.setRoute({ host: 'app.localhost', backends: [backend('blue', 100, blue)] });
  return { proxy, blue, green };
}

describe('DeployProxy route switch', () => {
  it('lets an in-flight request finish on the old release while new ones go to the new', async () => {
    const { proxy, blue, green } = await blueLive();

    const parked = blue.parked();
    const slow = request(proxy.port, { path: '/slow' });
    await parked;
    proxy.setRoute({ host: 'app.localhost', backends: [backend('green', 100, green)] });
    const fresh = await request(proxy.port);
    expect(fresh).toMatchObject({ status: 200, body: 'green' });
    expect(fresh.headers['x-gantry-release']).toBe('green');

    blue.release();
    const finished = await slow;
    expect(finished).toMatchObject({ status: 200, body: 'blue slow' });
    expect(finished.headers['x-gantry-release']).toBe('blue');
    expect(blue.hits).toEqual(['/slow']);
  });

  it('switches blue to green under load without failing a request', async () => {
    const { proxy, blue, green } = await blueLive();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    resources.defer(() => agent.destroy());

    // ~1,000 req/s: a batch of 10 every 10 ms. Halfway, the controller switches to green and
    // then, like a real teardown, takes blue out and kills it while requests keep coming.
    const total = 2000;
    const batch = 10;
    const replies: Promise<{ reply?: Reply; error?: unknown; afterSwitch: boolean }>[] = [];
    let switched = false;
    for (let sent = 0; sent < total; sent += batch) {
      if (sent === total / 2) {
        proxy.setRoute({ host: 'app.localhost', backends: [backend('green', 100, green)] });
        switched = true;
        setTimeout(() => {
          proxy.setReady('blue', false);
          void blue.kill();
        }, 100);
      }
      for (let i = 0; i < batch; i++) {
        const afterSwitch = switched;
        replies.push(
          request(proxy.port, { agent }).then(
            (reply) => ({ reply, afterSwitch }),
            (error: unknown) => ({ error, afterSwitch }),
          ),
        );
      }
      await delay(10);
    }
    const results = await Promise.all(replies);

    const failed = results.filter((r) => r.error !== undefined || r.reply?.status !== 200);
    expect(failed.map((r) => r.error ?? r.reply?.status)).toEqual([]);
    const release = (r: (typeof results)[number]) => r.reply?.headers['x-gantry-release'];
    const before = results.filter((r) => !r.afterSwitch);
    const after = results.filter((r) => r.afterSwitch);
    expect(before.some((r) => release(r) === 'blue')).toBe(true);
    // Atomic: nothing sent after setRoute returned may reach the old release.
    expect(after.filter((r) => release(r) !== 'green')).toEqual([]);
    expect(after).toHaveLength(total / 2);
    const sampled =
      proxy.sample('app.localhost', 'blue').requests +
      proxy.sample('app.localhost', 'green').requests;
    expect(sampled).toBe(total);
  });
});
