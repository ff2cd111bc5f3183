import { afterEach, describe, expect, it } from 'vitest';
import { commandDeployment, decide, requestDeployment } from '../../src/deploy/requests.js';
import { RolloutFixture } from './rollout-fixture.js';

let fixture: RolloutFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const errorRate = (interval = '500ms', count = 4) => ({
  metrics: [
    {
      name: 'error-rate',
      measure: 'error_rate',
      interval,
      initialDelay: interval,
      count,
      successCondition: 'result < 0.05',
      failureCondition: 'result >= 0.05',
    },
  ],
  load: { rps: 40, path: '/' },
});

describe('deployment controller', () => {
  it('takes a good canary through its steps to stable, and rolls a bad one back on failed analysis', async () => {
    fixture = await RolloutFixture.create(
      {
        production: {
          host: 'shop.localhost',
          strategy: {
            type: 'canary',
            scaleDownDelay: '0s',
            steps: [
              { setWeight: 20 },
              { pause: { duration: '300ms' } },
              { analysis: errorRate() },
              { setWeight: 50 },
            ],
          },
        },
      },
      [{ version: 'v1' }, { version: 'v2' }, { version: 'v3', errorRate: 0.3 }],
    );
    const first = await fixture.request('production', 'v1');
    expect(await fixture.settled(first.id)).toMatchObject({ status: 'succeeded', weight: 100 });
    expect(await fixture.answers('shop.localhost', 4)).toEqual(['v1', 'v1', 'v1', 'v1']);
    // The first app also answers on <app>.<host>.
    expect((await fixture.get('web.shop.localhost')).body).toBe('v1');

    const good = await fixture.request('production', 'v2');
    // Mid-rollout the canary has its weight: both releases answer.
    await fixture.until(good.id, (d) => d.weight === 20);
    const mixed = await fixture.answers('shop.localhost', 10);
    expect(mixed.filter((v) => v === 'v2')).toHaveLength(2);
    expect(await fixture.settled(good.id)).toMatchObject({ status: 'succeeded', weight: 100 });
    expect(await fixture.reasons(good.id)).toEqual([
      'Requested',
      'ReleasePrepared',
      'ReleaseStarted',
      'SmokePassed',
      'WeightSet',
      'Paused',
      'AnalysisStarted',
      'AnalysisSuccessful',
      'WeightSet',
      'WeightSet',
      'Promoted',
    ]);
    expect((await fixture.store.deploy.environment('production'))?.stableRelease).toBe('v2');
    expect(await fixture.answers('shop.localhost', 4)).toEqual(['v2', 'v2', 'v2', 'v2']);
    const measurements = await fixture.store.deploy.measurements(good.id);
    expect(measurements.length).toBe(4);
    expect(measurements.every((m) => m.phase === 'successful' && m.analysis === 'step-2')).toBe(
      true,
    );
    // v1 is no longer stable; with no scale-down delay it stops.
    await fixture.until(good.id, () => fixture!.runtime.provider.setsOf('production').length === 1);

    const bad = await fixture.request('production', 'v3');
    const failed = await fixture.settled(bad.id);
    expect(failed).toMatchObject({ status: 'failed', weight: 0 });
    expect(failed.message).toContain('error-rate');
    expect(await fixture.reasons(bad.id)).toContain('AnalysisFailed');
    expect((await fixture.store.deploy.environment('production'))?.stableRelease).toBe('v2');
    expect(await fixture.answers('shop.localhost', 6)).toEqual([
      'v2',
      'v2',
      'v2',
      'v2',
      'v2',
      'v2',
    ]);
    expect(fixture.runtime.provider.setsOf('production').map((s) => s.release)).toEqual(['v2']);
    const failedMeasurement = (await fixture.store.deploy.measurements(bad.id)).find(
      (m) => m.phase === 'failed',
    );
    expect(failedMeasurement?.value).toBeGreaterThan(0.2);
  }, 60_000);

  it('holds a blue-green release in preview until promoted, then switches and keeps blue for the scale-down delay', async () => {
    fixture = await RolloutFixture.create(
      {
        staging: {
          strategy: { type: 'blueGreen', autoPromotion: false, scaleDownDelay: '1500ms' },
        },
      },
      [{ version: 'v1' }, { version: 'v2' }],
    );
    const first = await fixture.request('staging', 'v1');
    await fixture.settled(first.id);
    const green = await fixture.request('staging', 'v2');
    const paused = await fixture.until(green.id, (d) => d.status === 'paused');
    expect(paused.message).toContain(`gantry promote ${green.id}`);
    expect(await fixture.answers('staging.localhost', 3)).toEqual(['v1', 'v1', 'v1']);
    expect(await fixture.answers('preview.staging.localhost', 3)).toEqual(['v2', 'v2', 'v2']);

    await commandDeployment(fixture.store.deploy, green.id, 'promote', 'a-new-user');
    expect(await fixture.settled(green.id)).toMatchObject({ status: 'succeeded' });
    expect(await fixture.answers('staging.localhost', 3)).toEqual(['v2', 'v2', 'v2']);
    expect((await fixture.get('preview.staging.localhost')).status).toBe(404);
    // Blue stays up for an instant rollback, then goes.
    expect(
      fixture.runtime.provider
        .setsOf('staging')
        .map((s) => s.release)
        .sort(),
    ).toEqual(['v1', 'v2']);
    await fixture.until(
      green.id,
      () => fixture!.runtime.provider.setsOf('staging').length === 1,
      10_000,
    );
  }, 60_000);

  it('waits for an allowed approver, refuses others, and ends rejected on a rejection', async () => {
    fixture = await RolloutFixture.create(
      {
        production: {
          approvals: { required: 1, approvers: ['alice'] },
          strategy: { type: 'recreate' },
        },
      },
      [{ version: 'v1' }, { version: 'v2' }],
    );
    const deployment = await fixture.request('production', 'v1', { requestedBy: 'alice' });
    expect(deployment).toMatchObject({ status: 'pending-approval' });
    expect(deployment.message).toContain(`gantry approve ${deployment.id}`);
    await expect(
      decide(fixture.store.deploy, deployment.id, 'bob', 'approved'),
    ).rejects.toMatchObject({
      code: 'GANTRY_DEPLOY_NOT_ALLOWED',
    });
    await decide(fixture.store.deploy, deployment.id, 'alice', 'approved', 'ship it');
    expect(await fixture.settled(deployment.id)).toMatchObject({ status: 'succeeded' });
    expect(await fixture.reasons(deployment.id)).toContain('Approved');

    const second = await fixture.request('production', 'v2');
    await decide(fixture.store.deploy, second.id, 'alice', 'rejected', 'not today');
    expect(await fixture.settled(second.id)).toMatchObject({
      status: 'rejected',
      message: 'rejected by alice',
    });
    expect(await fixture.answers('production.localhost', 2)).toEqual(['v1', 'v1']);

    // A release name is one commit for good: a moved tag is refused, not deployed as v1.
    await expect(
      requestDeployment(fixture.store.deploy, fixture.config, {
        environment: 'production',
        release: { name: 'v1', sha: fixture.shas.get('v2')!, ref: 'refs/tags/v1' },
        requestedBy: 'alice',
        trigger: 'tag',
      }),
    ).rejects.toMatchObject({ code: 'GANTRY_DEPLOY_INVALID_STATE' });
  }, 60_000);

  it('pauses on an inconclusive background analysis (no traffic), and starts it over when promoted', async () => {
    fixture = await RolloutFixture.create(
      {
        production: {
          strategy: {
            type: 'canary',
            scaleDownDelay: '0s',
            steps: [{ setWeight: 50 }, { pause: { duration: '20s' } }],
            analysis: {
              metrics: [
                {
                  name: 'errors',
                  measure: 'error_rate',
                  interval: '200ms',
                  count: 2,
                  successCondition: 'result < 0.05',
                },
              ],
            },
          },
        },
      },
      [{ version: 'v1' }, { version: 'v2' }],
    );
    await fixture.settled((await fixture.request('production', 'v1')).id);
    const canary = await fixture.request('production', 'v2');
    const paused = await fixture.until(
      canary.id,
      (d) => d.message?.includes('background analysis inconclusive') ?? false,
    );
    expect(paused).toMatchObject({ status: 'paused', weight: 50 });
    expect(paused.message).toContain('no traffic');
    await commandDeployment(fixture.store.deploy, canary.id, 'promote', 'a-new-user');
    await fixture.until(
      canary.id,
      async () =>
        (await fixture!.reasons(canary.id)).filter((r) => r === 'AnalysisStarted').length === 2,
    );
    await commandDeployment(fixture.store.deploy, canary.id, 'abort', 'a-new-user');
    expect(await fixture.settled(canary.id)).toMatchObject({ status: 'aborted' });
  }, 60_000);

  it('aborts a paused canary back to stable at once, and a newer deployment supersedes an older one', async () => {
    fixture = await RolloutFixture.create(
      {
        production: {
          strategy: {
            type: 'canary',
            scaleDownDelay: '0s',
            steps: [{ setWeight: 50 }, { pause: {} }],
          },
        },
      },
      [{ version: 'v1' }, { version: 'v2' }, { version: 'v3' }],
    );
    await fixture.settled((await fixture.request('production', 'v1')).id);
    const canary = await fixture.request('production', 'v2');
    await fixture.until(canary.id, (d) => d.status === 'paused');
    expect((await fixture.answers('production.localhost', 4)).sort()).toEqual([
      'v1',
      'v1',
      'v2',
      'v2',
    ]);
    await commandDeployment(fixture.store.deploy, canary.id, 'abort', 'a-new-user');
    expect(await fixture.settled(canary.id)).toMatchObject({ status: 'aborted', weight: 0 });
    expect(await fixture.answers('production.localhost', 4)).toEqual(['v1', 'v1', 'v1', 'v1']);
    await expect(
      commandDeployment(fixture.store.deploy, canary.id, 'promote', 'a-new-user'),
    ).rejects.toMatchObject({ code: 'GANTRY_DEPLOY_INVALID_STATE' });

    const older = await fixture.request('production', 'v2');
    await fixture.until(older.id, (d) => d.status === 'paused');
    const newer = await fixture.request('production', 'v3');
    expect(await fixture.settled(older.id)).toMatchObject({ status: 'superseded' });
    await fixture.until(newer.id, (d) => d.status === 'paused');
    await commandDeployment(fixture.store.deploy, newer.id, 'promote', 'a-new-user');
    expect(await fixture.settled(newer.id)).toMatchObject({ status: 'succeeded' });
    expect(await fixture.answers('production.localhost', 3)).toEqual(['v3', 'v3', 'v3']);
  }, 60_000);
});
