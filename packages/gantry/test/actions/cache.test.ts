import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFiles } from '../helpers/repo.js';
import { cache, cacheRestore, cacheSave } from '../../src/actions/builtin/cache.js';
import { CacheStore } from '../../src/actions/cache/cache-store.js';
import type { BuiltinAction } from '../../src/actions/types.js';
import { removeTempDirs, runAction, tempDir, type HarnessOptions } from './action-harness.js';

afterEach(removeTempDirs);

/** One job: a fresh workspace with `files`, the cache step's main part, then its post part. */
async function job(
  cacheDir: string,
  inputs: Record<string, string>,
  files: Record<string, string> = {},
  extra: HarnessOptions = {},
) {
  const workspace = tempDir();
  writeFiles(workspace, files);
  const h = await runAction(cache, { cacheDir, workspace, inputs, ...extra });
  await (cache as Required<BuiltinAction>).post(h.ctx);
  const read = (file: string) =>
    existsSync(path.join(workspace, file))
      ? readFileSync(path.join(workspace, file), 'utf8')
      : undefined;
  return { ...h, workspace, read };
}

describe('actions/cache', () => {
  it('misses, saves in post, then restores by the exact key and skips saving', async () => {
    const cacheDir = tempDir();
    const first = await job(
      cacheDir,
      { path: 'deps', key: 'deps-abc' },
      { 'deps/lib.txt': 'v1', 'deps/sub/x.txt': 'x' },
    );
    expect(first.outputs['cache-hit']).toBeUndefined();
    expect(first.outputs['cache-primary-key']).toBe('deps-abc');
    expect(first.log()).toContain('Cache not found for input keys: deps-abc');
    expect(first.log()).toContain('Cache saved with key: deps-abc');

    const second = await job(cacheDir, { path: 'deps', key: 'deps-abc' });
    expect(second.outputs).toMatchObject({ 'cache-hit': 'true', 'cache-matched-key': 'deps-abc' });
    expect([second.read('deps/lib.txt'), second.read('deps/sub/x.txt')]).toEqual(['v1', 'x']);
    expect(second.log()).toContain(
      'Cache hit occurred on the primary key deps-abc, not saving cache.',
    );
    expect(await new CacheStore(cacheDir).entries()).toHaveLength(1);
  });

  it('restores by a restore-key prefix, reports no hit, and saves the new key', async () => {
    const cacheDir = tempDir();
    await job(cacheDir, { path: 'deps', key: 'deps-old' }, { 'deps/lib.txt': 'old' });
    const next = await job(cacheDir, {
      path: 'deps',
      key: 'deps-new',
      'restore-keys': 'nothing-\ndeps-',
    });
    expect(next.outputs).toMatchObject({ 'cache-hit': 'false', 'cache-matched-key': 'deps-old' });
    expect(next.read('deps/lib.txt')).toBe('old');
    expect((await new CacheStore(cacheDir).entries()).map((e) => e.key)).toEqual([
      'deps-old',
      'deps-new',
    ]);
  });

  it('restores the newest of several prefix matches', async () => {
    const cacheDir = tempDir();
    await job(cacheDir, { path: 'deps', key: 'deps-1' }, { 'deps/lib.txt': 'one' });
    await new Promise((r) => setTimeout(r, 5));
    await job(cacheDir, { path: 'deps', key: 'deps-2' }, { 'deps/lib.txt': 'two' });
    const h = await job(cacheDir, { path: 'deps', key: 'deps-3', 'restore-keys': 'deps-' });
    expect(h.outputs['cache-matched-key']).toBe('deps-2');
    expect(h.read('deps/lib.txt')).toBe('two');
  });

  it('matches only caches saved for the same path lines', async () => {
    const cacheDir = tempDir();
    await job(cacheDir, { path: 'deps', key: 'k' }, { 'deps/lib.txt': 'v1', 'other/x': 'x' });
    const h = await runAction(cacheRestore, { cacheDir, inputs: { path: 'other', key: 'k' } });
    expect(h.outputs['cache-hit']).toBeUndefined();
    await expect(
      runAction(cacheRestore, {
        cacheDir,
        inputs: { path: 'other', key: 'k', 'fail-on-cache-miss': 'true' },
      }),
    ).rejects.toMatchObject({
      code: 'GANTRY_CACHE_FAILED',
      message: expect.stringContaining('fail-on-cache-miss'),
    });
  });

  it('brings ~ paths back to the same absolute place, and honours globs and exclusions', async () => {
    const cacheDir = tempDir();
    const home = tempDir();
    writeFiles(home, { '.tool/store/a.bin': 'A' });
    const env = { HOME: home, PATH: process.env['PATH'] ?? '' };
    const inputs = { path: '~/.tool/store\nout/*.txt\n!out/skip.txt', key: 'mixed' };
    await job(
      cacheDir,
      inputs,
      { 'out/keep.txt': 'keep', 'out/skip.txt': 'skip', 'out/other.log': 'log' },
      { env },
    );
    rmSync(path.join(home, '.tool'), { recursive: true });
    const h = await job(cacheDir, inputs, {}, { env });
    expect(readFileSync(path.join(home, '.tool/store/a.bin'), 'utf8')).toBe('A');
    expect([h.read('out/keep.txt'), h.read('out/skip.txt'), h.read('out/other.log')]).toEqual([
      'keep',
      undefined,
      undefined,
    ]);
  });

  it('with lookup-only reports the hit without restoring', async () => {
    const cacheDir = tempDir();
    await job(cacheDir, { path: 'deps', key: 'k' }, { 'deps/lib.txt': 'v1' });
    const h = await job(cacheDir, { path: 'deps', key: 'k', 'lookup-only': 'true' });
    expect(h.outputs['cache-hit']).toBe('true');
    expect(h.read('deps/lib.txt')).toBeUndefined();
  });

  it('restore and save as separate actions; a saved key is never replaced', async () => {
    const cacheDir = tempDir();
    const workspace = tempDir();
    writeFiles(workspace, { 'build/out.txt': 'first' });
    const restored = await runAction(cacheRestore, {
      cacheDir,
      workspace,
      inputs: { path: 'build', key: 'build-1' },
    });
    expect(restored.outputs).toEqual({ 'cache-primary-key': 'build-1' });
    const key = restored.outputs['cache-primary-key'] ?? '';
    const saved = await runAction(cacheSave, {
      cacheDir,
      workspace,
      inputs: { path: 'build', key },
    });
    expect(saved.log()).toContain('Cache saved with key: build-1');
    writeFiles(workspace, { 'build/out.txt': 'second' });
    const again = await runAction(cacheSave, {
      cacheDir,
      workspace,
      inputs: { path: 'build', key },
    });
    expect(again.log()).toContain('Unable to reserve cache with key build-1');
    const fresh = tempDir();
    await runAction(cacheRestore, { cacheDir, workspace: fresh, inputs: { path: 'build', key } });
    expect(readFileSync(path.join(fresh, 'build/out.txt'), 'utf8')).toBe('first');
  });

  it('warns instead of failing when there is nothing to save', async () => {
    const h = await runAction(cacheSave, {
      cacheDir: tempDir(),
      inputs: { path: 'missing', key: 'k' },
    });
    expect(h.log()).toContain('Path Validation Error');
  });

  it('keeps every entry when jobs save at the same time', async () => {
    const cacheDir = tempDir();
    await Promise.all(
      ['a', 'b', 'c', 'd'].map((k) =>
        job(cacheDir, { path: 'deps', key: `par-${k}` }, { 'deps/f': k }),
      ),
    );
    expect((await new CacheStore(cacheDir).entries()).map((e) => e.key).sort()).toEqual([
      'par-a',
      'par-b',
      'par-c',
      'par-d',
    ]);
  });

  it('validates inputs like the cache service', async () => {
    await expect(runAction(cache, { inputs: { path: 'x', key: 'a,b' } })).rejects.toMatchObject({
      code: 'GANTRY_CONFIG_INVALID',
    });
    await expect(runAction(cache, { inputs: { key: 'k' } })).rejects.toMatchObject({
      code: 'GANTRY_ACTION_INPUT_MISSING',
    });
    await expect(runAction(cache, { inputs: { path: 'x' } })).rejects.toMatchObject({
      code: 'GANTRY_ACTION_INPUT_MISSING',
    });
  });
});
