import { afterEach, expect, it } from 'vitest';
import { startPrometheus, type PrometheusServer } from '../helpers/prometheus.js';
import { RolloutFixture } from './rollout-fixture.js';

let fixture: RolloutFixture | undefined;
let prometheus: PrometheusServer | undefined;
afterEach(async () => {
  await prometheus?.stop();
  await fixture?.close();
  fixture = prometheus = undefined;
});

// The canary's 5xx share among its own requests at the environment's host, over 5 s.
const errorRate =
  '(sum(rate(gantry_proxy_requests_total{host="{{host}}",release="{{release}}",code=~"5.."}[5s])) or vector(0))' +
  ' / sum(rate(gantry_proxy_requests_total{host="{{host}}",release="{{release}}"}[5s]))';

it("aborts a bad canary on a Prometheus query over the proxy's own metrics, scraped by a real Prometheus", async () => {
  fixture = await RolloutFixture.create(
    {
      production: {
        host: 'shop.localhost',
        strategy: {
          type: 'canary',
          scaleDownDelay: '0s',
          steps: [
            { setWeight: 50 },
            {
              analysis: {
                metrics: [
                  {
                    name: 'error-rate',
                    prometheus: { address: 'http://placeholder', query: errorRate },
                    interval: '1s',
                    initialDelay: '4s',
                    count: 3,
                    successCondition: 'result[0] <= 0.1',
                    failureCondition: 'result[0] > 0.1',
                  },
                ],
                load: { rps: 40 },
              },
            },
          ],
        },
      },
    },
    [{ version: 'v1' }, { version: 'v2', errorRate: 0.3 }],
    {},
    { metrics: true },
  );
  prometheus = await startPrometheus(`127.0.0.1:${fixture.runtime.proxy.metricsPort!}`);
  // The address is only known now: point the environment's metric at it.
  const strategy = fixture.config.environments['production']!.strategy;
  if (strategy.type !== 'canary') throw new Error('canary expected');
  const step = strategy.steps[1]!;
  if (!('analysis' in step)) throw new Error('analysis expected');
  const metric = step.analysis.metrics[0]!;
  Object.assign(metric, { provider: { ...metric.provider, address: prometheus.address } });

  await fixture.settled((await fixture.request('production', 'v1')).id);
  // Prometheus scrapes the proxy before the canary starts (its start-up takes seconds).
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${prometheus.address}/api/v1/query?query=up`).catch(() => undefined);
    const body = (await res?.json().catch(() => undefined)) as
      { data?: { result?: { value: [number, string] }[] } } | undefined;
    if (body?.data?.result?.[0]?.value[1] === '1') break;
    if (Date.now() > deadline) throw new Error(`prometheus does not scrape:\n${prometheus.logs()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const bad = await fixture.request('production', 'v2');
  const failed = await fixture.settled(bad.id, 60_000);
  expect(failed, prometheus.logs()).toMatchObject({ status: 'failed', weight: 0 });
  expect(failed.message).toContain('error-rate');
  const measured = await fixture.store.deploy.measurements(bad.id);
  const last = measured.at(-1);
  expect(last).toMatchObject({ analysis: 'step-1', metric: 'error-rate', phase: 'failed' });
  // About a third of v2's answers are 500s; Prometheus' rate sees the same.
  expect((last?.value as number[])[0]).toBeGreaterThan(0.2);
  expect((last?.value as number[])[0]).toBeLessThan(0.45);
  expect(await fixture.answers('shop.localhost', 4)).toEqual(['v1', 'v1', 'v1', 'v1']);
}, 90_000);
