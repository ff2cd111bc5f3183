import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGantryError } from '../../src/errors/index.js';
import { openStore, type Store } from '../../src/store/index.js';

let root: string;
let gantryDir: string;
const open: Store[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gantry-store-'));
  gantryDir = join(root, '.gantry');
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function openTracked(dir = gantryDir): Promise<Store> {
  const store = await openStore(dir);
  open.push(store);
  return store;
}

/** Resolves to the rejection's GantryError code (fails the test if the promise resolves). */
async function errorCode(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; hint?: string }> {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (e: unknown) => e,
  );
  if (!isGantryError(error)) throw error;
  return {
    code: error.code,
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
  };
}

const runInput = {
  event: 'push',
  ref: 'refs/heads/main',
  sha: 'abc123',
  args: ['run', '--job', 'build'],
};

describe('run store', () => {
  it('round-trips a run with jobs, steps, outputs and report', async () => {
    const store = await openTracked();
    const runId = await store.createRun(runInput);
    const jobRow = await store.createJob(runId, {
      key: 'ci.yml/build (3.11)',
      workflow: 'ci.yml',
      jobId: 'build',
      name: 'build (3.11)',
      matrix: { python: '3.11' },
    });
    // Recorded out of order, and step 1 twice: the later record replaces the earlier one.
    await store.recordStep(jobRow, {
      index: 1,
      name: 'Test',
      status: 'running',
      exitCode: null,
      startedAt: 2000,
      durationMs: 0,
    });
    await store.recordStep(jobRow, {
      index: 0,
      name: 'Checkout',
      status: 'success',
      exitCode: 0,
      startedAt: 1000,
      durationMs: 500,
    });
    await store.recordStep(jobRow, {
      index: 1,
      name: 'Test',
      status: 'failure',
      exitCode: 2,
      startedAt: 2000,
      durationMs: 1500,
    });
    await store.finishJob(jobRow, 'failure', { version: '1.2.3' });
    await store.finishRun(runId, 'failure', { gates: [{ name: 'coverage', passed: false }] });

    const run = await store.getRun(runId);
    expect(run).toMatchObject({
      id: runId,
      status: 'failure',
      event: 'push',
      ref: 'refs/heads/main',
      sha: 'abc123',
    });
    expect(run.args).toEqual(['run', '--job', 'build']);
    expect(run.report).toEqual({ gates: [{ name: 'coverage', passed: false }] });
    expect(run.finishedAt).toBeGreaterThanOrEqual(run.createdAt);
    expect(run.jobs).toHaveLength(1);
    const [job] = run.jobs;
    expect(job).toMatchObject({
      id: jobRow,
      key: 'ci.yml/build (3.11)',
      workflow: 'ci.yml',
      jobId: 'build',
      name: 'build (3.11)',
      matrix: { python: '3.11' },
      status: 'failure',
      outputs: { version: '1.2.3' },
    });
    expect(job?.steps).toEqual([
      {
        index: 0,
        name: 'Checkout',
        status: 'success',
        exitCode: 0,
        startedAt: 1000,
        finishedAt: 1500,
        durationMs: 500,
      },
      {
        index: 1,
        name: 'Test',
        status: 'failure',
        exitCode: 2,
        startedAt: 2000,
        finishedAt: 3500,
        durationMs: 1500,
      },
    ]);
  });

  it('reports a running run and a job without matrix with empty defaults', async () => {
    const store = await openTracked();
    const runId = await store.createRun(runInput);
    await store.createJob(runId, {
      key: 'ci.yml/lint',
      workflow: 'ci.yml',
      jobId: 'lint',
      name: 'lint',
    });
    const run = await store.getRun(runId);
    expect(run).toMatchObject({ status: 'running', finishedAt: null, report: null });
    expect(run.jobs[0]).toMatchObject({
      status: 'running',
      matrix: null,
      finishedAt: null,
      outputs: {},
      steps: [],
    });
  });

  it('numbers runs 1, 2, 3 and lists the most recent first, honouring the limit', async () => {
    const store = await openTracked();
    const ids = [];
    for (const event of ['push', 'pull_request', 'workflow_dispatch'])
      ids.push(await store.createRun({ ...runInput, event }));
    expect(ids).toEqual([1, 2, 3]);
    const all = await store.listRuns();
    expect(all.map((r) => [r.id, r.event])).toEqual([
      [3, 'workflow_dispatch'],
      [2, 'pull_request'],
      [1, 'push'],
    ]);
    expect((await store.listRuns(2)).map((r) => r.id)).toEqual([3, 2]);
  });

  it('concatenates log chunks in append order, per job, selected by key, job id or name', async () => {
    const store = await openTracked();
    const runId = await store.createRun(runInput);
    const a = await store.createJob(runId, {
      key: 'ci.yml/test (1)',
      workflow: 'ci.yml',
      jobId: 'test',
      name: 'test (1)',
      matrix: { n: 1 },
    });
    const b = await store.createJob(runId, {
      key: 'ci.yml/test (2)',
      workflow: 'ci.yml',
      jobId: 'test',
      name: 'test (2)',
      matrix: { n: 2 },
    });
    const c = await store.createJob(runId, {
      key: 'ci.yml/deploy',
      workflow: 'ci.yml',
      jobId: 'deploy',
      name: 'Deploy it',
    });
    // Not awaited one by one: parallel jobs append concurrently, and order must still hold.
    await Promise.all([
      store.appendLog(a, 'a1\n'),
      store.appendLog(b, 'b1\n'),
      store.appendLog(a, 'a2\n'),
      store.appendLog(a, ''),
      store.appendLog(b, 'b2\n'),
      store.appendLog(a, 'a3'),
    ]);

    expect(await store.getLog(runId)).toEqual([
      { key: 'ci.yml/test (1)', text: 'a1\na2\na3' },
      { key: 'ci.yml/test (2)', text: 'b1\nb2\n' },
      { key: 'ci.yml/deploy', text: '' },
    ]);
    expect((await store.getLog(runId, 'test')).map((l) => l.key)).toEqual([
      'ci.yml/test (1)',
      'ci.yml/test (2)',
    ]);
    expect(await store.getLog(runId, 'ci.yml/test (2)')).toEqual([
      { key: 'ci.yml/test (2)', text: 'b1\nb2\n' },
    ]);
    expect(await store.getLog(runId, 'Deploy it')).toEqual([{ key: 'ci.yml/deploy', text: '' }]);
    expect(c).toBeGreaterThan(b);
  });

  it('throws GANTRY_RUN_NOT_FOUND for an unknown run or job', async () => {
    const store = await openTracked();
    const runId = await store.createRun(runInput);
    await store.createJob(runId, {
      key: 'ci.yml/build',
      workflow: 'ci.yml',
      jobId: 'build',
      name: 'build',
    });

    expect(await errorCode(store.getRun(42))).toMatchObject({
      code: 'GANTRY_RUN_NOT_FOUND',
      message: expect.stringContaining('#42'),
    });
    expect(await errorCode(store.getLog(42))).toMatchObject({ code: 'GANTRY_RUN_NOT_FOUND' });
    expect(await errorCode(store.finishRun(42, 'success', null))).toMatchObject({
      code: 'GANTRY_RUN_NOT_FOUND',
    });
    expect(await errorCode(store.getLog(runId, 'nope'))).toMatchObject({
      code: 'GANTRY_RUN_NOT_FOUND',
      hint: expect.stringContaining('ci.yml/build'),
    });
  });

  it('reports writes against missing rows as GANTRY_STORE_FAILED naming the file', async () => {
    const store = await openTracked();
    const failure = await errorCode(store.appendLog(999, 'orphan'));
    expect(failure.code).toBe('GANTRY_STORE_FAILED');
    expect(failure.message).toContain(join(gantryDir, 'gantry.db'));
    expect(
      await errorCode(store.createJob(999, { key: 'k', workflow: 'w', jobId: 'j', name: 'n' })),
    ).toMatchObject({
      code: 'GANTRY_STORE_FAILED',
    });
  });

  it('keeps data across reopen, continues run numbers and log order, and migrates only once', async () => {
    const first = await openStore(gantryDir);
    const runId = await first.createRun(runInput);
    const job = await first.createJob(runId, {
      key: 'ci.yml/build',
      workflow: 'ci.yml',
      jobId: 'build',
      name: 'build',
    });
    await first.appendLog(job, 'before\n');
    await first.close();

    const second = await openTracked();
    await second.appendLog(job, 'after\n');
    expect(await second.getLog(runId)).toEqual([{ key: 'ci.yml/build', text: 'before\nafter\n' }]);
    expect(await second.createRun(runInput)).toBe(runId + 1);
    await second.close();
    open.splice(0);
    await openTracked();

    const file = new Database(join(gantryDir, 'gantry.db'), { readonly: true });
    try {
      const migrations = file.prepare('select name from kysely_migration').all();
      expect(migrations).toEqual([
        { name: '0001_initial' },
        { name: '0002_gate_results' },
        { name: '0003_deployments' },
        { name: '0004_deployment_specs' },
      ]);
      expect(file.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      file.close();
    }
  });

  it('keeps gate results and answers the last passing one per branch', async () => {
    const store = await openTracked();
    expect(await store.lastPassingGateResult('main')).toBeUndefined();
    await store.recordGateResult({
      branch: 'main',
      sha: 'a1',
      passed: true,
      metrics: { 'coverage.lines': 81.5 },
    });
    await store.recordGateResult({
      branch: 'main',
      sha: 'a2',
      passed: false,
      metrics: { 'coverage.lines': 60 },
    });
    await store.recordGateResult({
      branch: 'feature',
      sha: 'b1',
      passed: true,
      metrics: { 'coverage.lines': 90 },
    });
    expect(await store.lastPassingGateResult('main')).toMatchObject({
      sha: 'a1',
      passed: true,
      metrics: { 'coverage.lines': 81.5 },
    });
    expect((await store.lastPassingGateResult('feature'))?.sha).toBe('b1');
  });

  it('refuses a store whose schema comes from a newer Gantry', async () => {
    await openTracked().then((s) => s.close());
    open.splice(0);
    const file = new Database(join(gantryDir, 'gantry.db'));
    file
      .prepare(
        "insert into kysely_migration (name, timestamp) values ('9999_from_a_newer_gantry', 'x')",
      )
      .run();
    file.close();
    expect(await errorCode(openStore(gantryDir))).toMatchObject({
      code: 'GANTRY_STORE_FAILED',
      hint: expect.stringContaining('newer Gantry'),
    });
  });

  it('fails with GANTRY_STORE_FAILED and the path for a corrupt file or an unusable directory', async () => {
    const corruptDir = join(root, 'corrupt');
    await openTracked(corruptDir).then((s) => s.close());
    open.splice(0);
    writeFileSync(join(corruptDir, 'gantry.db'), 'this is not a database, just text '.repeat(200));
    rmSync(join(corruptDir, 'gantry.db-wal'), { force: true });
    rmSync(join(corruptDir, 'gantry.db-shm'), { force: true });
    const corrupt = await errorCode(openStore(corruptDir));
    expect(corrupt).toMatchObject({
      code: 'GANTRY_STORE_FAILED',
      hint: expect.stringContaining('Move it aside'),
    });
    expect(corrupt.message).toContain(join(corruptDir, 'gantry.db'));

    // A regular file where the directory should be: unusable even for root, unlike chmod.
    const blocker = join(root, 'blocker');
    writeFileSync(blocker, '');
    const unusable = await errorCode(openStore(join(blocker, '.gantry')));
    expect(unusable).toMatchObject({
      code: 'GANTRY_STORE_FAILED',
      hint: expect.stringContaining('written'),
    });
    expect(unusable.message).toContain(join(blocker, '.gantry', 'gantry.db'));

    // The directory is fine but SQLite itself cannot open the path.
    const dirAsFile = join(root, 'dir-as-file');
    mkdirSync(join(dirAsFile, 'gantry.db'), { recursive: true });
    expect(await errorCode(openStore(dirAsFile))).toMatchObject({
      code: 'GANTRY_STORE_FAILED',
      message: expect.stringContaining(join(dirAsFile, 'gantry.db')),
    });
  });
});
