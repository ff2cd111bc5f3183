import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RolloutFixture } from './rollout-fixture.js';

let fixture: RolloutFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('rollout strategies', () => {
  it('moves a rolling release over per instance share, and refuses a release that fails its smoke checks', async () => {
    fixture = await RolloutFixture.create({ dev: { strategy: { type: 'rolling', maxSurge: 1 } } }, [
      { version: 'v1' },
      { version: 'v2' },
      { version: 'broken', errorRate: 1 },
    ]);
    await fixture.settled((await fixture.request('dev', 'v1')).id);
    const rolling = await fixture.request('dev', 'v2');
    expect(await fixture.settled(rolling.id)).toMatchObject({ status: 'succeeded' });
    const weights = (await fixture.store.deploy.events(rolling.id))
      .filter((e) => e.reason === 'WeightSet')
      .map((e) => e.message);
    expect(weights).toEqual(['50% of traffic on v2', '100% of traffic on v2']);

    const broken = await fixture.request('dev', 'broken');
    const failed = await fixture.settled(broken.id);
    expect(failed).toMatchObject({ status: 'failed', weight: 0 });
    expect(failed.message).toMatch(/GET \/ answered 500, expected 2xx/);
    expect(await fixture.reasons(broken.id)).toContain('SmokeFailed');
    expect(await fixture.answers('dev.localhost', 3)).toEqual(['v2', 'v2', 'v2']);
    expect(fixture.runtime.provider.setsOf('dev').map((s) => s.release)).toEqual(['v2']);
  }, 60_000);

  it('runs expand migrations before traffic moves, and blocks a release that would leave a contract pending too long', async () => {
    const log = path.join(os.tmpdir(), `gantry-migrations-${process.pid}-${Date.now()}.log`);
    fixture = await RolloutFixture.create(
      { production: { strategy: { type: 'recreate' } } },
      [{ version: 'v1' }, { version: 'v2' }, { version: 'v3' }],
      {
        env: { MIGRATION_LOG: log },
        migrations: {
          expand: 'echo "expand $GANTRY_RELEASE" >> "$MIGRATION_LOG"',
          contract: 'echo "contract $GANTRY_RELEASE" >> "$MIGRATION_LOG"',
          pendingLimit: 1,
          policy: 'block',
        },
      },
    );
    const first = await fixture.request('production', 'v1');
    await fixture.settled(first.id);
    const reasons = await fixture.reasons(first.id);
    expect(reasons.indexOf('MigrationExpanded')).toBeLessThan(reasons.indexOf('ReleaseStarted'));
    expect(reasons).toContain('ContractPending');
    expect((await fixture.store.deploy.contracts('production')).map((c) => c.release)).toEqual([
      'v1',
    ]);

    // One release past the contract is within pendingLimit 1.
    expect(await fixture.settled((await fixture.request('production', 'v2')).id)).toMatchObject({
      status: 'succeeded',
    });
    const blocked = await fixture.settled((await fixture.request('production', 'v3')).id);
    expect(blocked).toMatchObject({ status: 'failed' });
    expect(blocked.message).toContain(
      'the contract migration of v1 would stay pending for 2 releases (limit 1)',
    );
    expect(await fixture.reasons(blocked.id)).toContain('ContractPolicyBlocked');
    expect(await fixture.answers('production.localhost', 2)).toEqual(['v2', 'v2']);

    await fixture.store.deploy.applyContracts('production', 'web', 'a-new-user');
    expect(await fixture.settled((await fixture.request('production', 'v3')).id)).toMatchObject({
      status: 'succeeded',
    });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'expand v1',
      'expand v2',
      'expand v3',
    ]);
    rmSync(log, { force: true });
  }, 60_000);

  it('destroys a pull-request environment once its ttl is over', async () => {
    fixture = await RolloutFixture.create(
      {
        preview: {
          host: 'pr-{number}.shop.localhost',
          ephemeral: { ttl: '1500ms' },
          strategy: { type: 'recreate' },
        },
      },
      [{ version: 'v1' }],
    );
    const deployment = await fixture.request('pr-9', 'v1', { trigger: 'pull_request' });
    await fixture.settled(deployment.id);
    expect((await fixture.get('pr-9.shop.localhost')).body).toBe('v1');
    await fixture.until(
      deployment.id,
      () => fixture!.runtime.provider.setsOf('pr-9').length === 0,
      10_000,
    );
    expect((await fixture.get('pr-9.shop.localhost')).status).toBe(404);
    expect((await fixture.store.deploy.environment('pr-9'))?.status).toBe('destroyed');
  }, 60_000);
});
