import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';

let root: string;
let store: Store;

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'gantry-deploy-store-'));
  store = await openStore(join(root, '.gantry'));
});
afterEach(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

it('records environments, releases, deployments, events, approvals and measurements, and keeps them across a reopen', async () => {
  const { deploy } = store;
  const env = await deploy.saveEnvironment({
    name: 'pr-42',
    kind: 'ephemeral',
    host: 'pr-42.localhost',
    prNumber: 42,
    expiresAt: 1_900_000_000_000,
  });
  expect(env).toMatchObject({ name: 'pr-42', status: 'active', stableRelease: null, prNumber: 42 });
  await deploy.saveEnvironment({
    name: 'staging',
    kind: 'static',
    host: 'staging.localhost',
    prNumber: null,
    expiresAt: null,
  });

  const first = await deploy.saveRelease({
    name: 'v1.0.0',
    sha: 'a'.repeat(40),
    ref: 'refs/tags/v1.0.0',
  });
  const again = await deploy.saveRelease({
    name: 'v1.0.0',
    sha: 'b'.repeat(40),
    ref: 'refs/heads/main',
  });
  expect(again).toEqual(first);

  const created = await deploy.createDeployment({
    environment: 'staging',
    release: 'v1.0.0',
    previousRelease: null,
    strategy: { type: 'canary', steps: [{ setWeight: 10 }] },
    spec: { host: 'staging.localhost', apps: [{ name: 'web' }] },
    status: 'waiting-approval',
    requestedBy: 'alice',
    trigger: 'manual',
    approvalsRequired: 1,
  });
  expect(created).toMatchObject({
    id: 1,
    status: 'waiting-approval',
    step: 0,
    weight: 0,
    checkpoint: {},
  });
  await deploy.addApproval(created.id, { user: 'bob', decision: 'approved', comment: 'ship it' });
  const updated = await deploy.updateDeployment(created.id, {
    status: 'progressing',
    step: 1,
    weight: 10,
    checkpoint: { canaryStarted: true, instances: ['staging/web/v1.0.0/0'] },
    startedAt: 1000,
  });
  expect(updated).toMatchObject({ status: 'progressing', weight: 10, startedAt: 1000 });
  await deploy.addEvent(created.id, 'TrafficShifted', 'canary at 10%');
  await deploy.addMeasurement(created.id, {
    analysis: 'step-2',
    metric: 'error-rate',
    phase: 'failed',
    value: [0.31],
    message: null,
  });
  expect(await deploy.activeDeployments()).toHaveLength(1);
  await deploy.updateDeployment(created.id, {
    status: 'aborted',
    finishedAt: 2000,
    message: 'analysis failed',
  });
  expect(await deploy.activeDeployments()).toEqual([]);
  await deploy.setStableRelease('staging', 'v1.0.0');
  await deploy.destroyEnvironment('pr-42');

  await store.close();
  store = await openStore(join(root, '.gantry'));
  const reopened = store.deploy;
  expect((await reopened.environments()).map((e) => [e.name, e.stableRelease])).toEqual([
    ['staging', 'v1.0.0'],
  ]);
  expect((await reopened.environment('pr-42'))?.status).toBe('destroyed');
  expect(await reopened.deployment(created.id)).toMatchObject({
    status: 'aborted',
    message: 'analysis failed',
    checkpoint: { canaryStarted: true, instances: ['staging/web/v1.0.0/0'] },
    strategy: { type: 'canary' },
    spec: { host: 'staging.localhost', apps: [{ name: 'web' }] },
    finishedAt: 2000,
  });
  expect((await reopened.deployments({ environment: 'staging' })).map((d) => d.id)).toEqual([1]);
  expect(await reopened.approvals(created.id)).toMatchObject([
    { user: 'bob', decision: 'approved', comment: 'ship it' },
  ]);
  expect(await reopened.events(created.id)).toMatchObject([
    { reason: 'TrafficShifted', message: 'canary at 10%' },
  ]);
  expect(await reopened.measurements(created.id)).toMatchObject([
    { metric: 'error-rate', phase: 'failed', value: [0.31] },
  ]);
});

it('tracks contract migrations pending per environment and app until they are applied', async () => {
  const { deploy } = store;
  await deploy.addPendingContract({
    environment: 'prod',
    app: 'api',
    release: 'v1',
    deploymentId: 1,
  });
  await deploy.addPendingContract({
    environment: 'prod',
    app: 'api',
    release: 'v2',
    deploymentId: 2,
  });
  await deploy.addPendingContract({
    environment: 'prod',
    app: 'web',
    release: 'v2',
    deploymentId: 2,
  });
  await deploy.addPendingContract({
    environment: 'dev',
    app: 'api',
    release: 'v2',
    deploymentId: 3,
  });
  expect((await deploy.contracts('prod')).map((c) => `${c.app}@${c.release}`)).toEqual([
    'api@v1',
    'api@v2',
    'web@v2',
  ]);
  expect(await deploy.applyContracts('prod', 'api', 'alice')).toBe(2);
  expect(await deploy.applyContracts('prod', 'api', 'alice')).toBe(0);
  expect((await deploy.contracts('prod')).map((c) => `${c.app}@${c.release}`)).toEqual(['web@v2']);
  const all = await deploy.contracts('prod', { includeApplied: true });
  expect(all.filter((c) => c.appliedBy === 'alice')).toHaveLength(2);
  expect((await deploy.contracts('dev')).map((c) => c.release)).toEqual(['v2']);
});
