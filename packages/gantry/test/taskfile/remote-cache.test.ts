import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCacheServer } from '../../src/cache/server.js';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');
const taskfile = `version: '3'
tasks:
  build:
    sources: ['src/*.txt']
    generates: ['dist/out.txt']
    cmds: ['echo run >> runs.log', 'mkdir -p dist && cat src/*.txt > dist/out.txt', 'echo built']
`;

/** A fresh checkout with its own local cache, as on a new CI machine. */
function checkout() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-remote-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'Taskfile.yml'), taskfile);
  writeFileSync(path.join(dir, 'src/a.txt'), 'a\n');
  return {
    dir,
    /** Async: the cache server runs in this process, so the test must not block it. */
    task: async (env: Record<string, string>, ...args: string[]) => {
      const child = spawn(process.execPath, [bin, 'task', 'build', ...args], {
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
      return { code, out, err };
    },
    runs: () => readFileSync(path.join(dir, 'runs.log'), 'utf8').split('\n').filter(Boolean).length,
  };
}

describe('gantry task with a remote cache', () => {
  let server: Awaited<ReturnType<typeof startCacheServer>>;
  let store: string;
  beforeAll(async () => {
    store = mkdtempSync(path.join(os.tmpdir(), 'gantry-remote-store-'));
    server = await startCacheServer({ dir: store, tokens: ['t0ken-for-tests'] });
  });
  afterAll(() => server.close());

  it('uploads results and restores them on another machine from the remote', async () => {
    const env = {
      GANTRY_CACHE_URL: server.url,
      GANTRY_CACHE_TOKEN: 't0ken-for-tests',
      GANTRY_CACHE_TEAM: 'gantry-ci',
      GANTRY_CACHE_SIGNATURE_KEY: 'a-signature-key-of-at-least-32-bytes!',
    };
    const first = checkout();
    expect((await first.task(env)).code).toBe(0);
    expect(
      readdirSync(path.join(store, 'gantry-ci')).filter((f) => !f.startsWith('.')),
    ).toHaveLength(1);
    const second = checkout();
    const restored = await second.task(env);
    expect(restored.code).toBe(0);
    expect(restored.err).toMatch(
      /task: Task "build" restored from the remote cache \([0-9a-f]{12}\)/,
    );
    expect(restored.out).toBe('built\n');
    expect(readFileSync(path.join(second.dir, 'dist/out.txt'), 'utf8')).toBe('a\n');
    // The remote hit was copied into the local cache: the next restore is local.
    writeFileSync(path.join(second.dir, 'dist/out.txt'), 'x');
    expect((await second.task({})).err).toContain('restored from the local cache');
    // A reader with another signature key treats the entry as a miss and runs.
    const third = checkout();
    const mismatch = await third.task({
      ...env,
      GANTRY_CACHE_SIGNATURE_KEY: 'another-key-that-is-32-bytes-long!!',
    });
    expect(mismatch.code).toBe(0);
    expect(mismatch.err).toContain('[GANTRY_REMOTE_CACHE_FAILED]');
    expect(third.runs()).toBe(1);
  });

  it('degrades to the local cache with one warning when the remote is down or refuses the token', async () => {
    const closed = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as { port: number };
        s.close(() => resolve(port));
      });
    });
    const down = checkout();
    const result = await down.task({
      GANTRY_CACHE_URL: `http://127.0.0.1:${closed}`,
      GANTRY_CACHE_TOKEN: 'secret-token-value',
    });
    expect(result.code).toBe(0);
    expect(result.out).toBe('built\n');
    expect(result.err.match(/GANTRY_REMOTE_CACHE_FAILED/g)).toHaveLength(1);
    expect(result.err).not.toContain('secret-token-value');
    const refused = await checkout().task({
      GANTRY_CACHE_URL: server.url,
      GANTRY_CACHE_TOKEN: 'wrong-token',
    });
    expect(refused.code).toBe(0);
    expect(refused.err.match(/GANTRY_REMOTE_CACHE_FAILED/g)).toHaveLength(1);
  });

  it('reports, prunes and clears the local cache with gantry cache', async () => {
    const c = checkout();
    await c.task({});
    const cache = (...args: string[]) =>
      spawnSync(process.execPath, [bin, 'cache', ...args], { cwd: c.dir, encoding: 'utf8' }).stdout;
    expect(cache('status')).toMatch(/\.gantry\/cache: 1 entries, \d+ B of 2\.0 GiB/);
    expect(cache('prune', '--max-size', '0')).toMatch(/removed 1 entries/);
    rmSync(path.join(c.dir, 'dist'), { recursive: true });
    await c.task({});
    expect(c.runs()).toBe(2);
    expect(cache('clear')).toMatch(/cleared .*: 1 entries/);
    expect(cache('status')).toMatch(/: 0 entries, 0 B/);
  });
});
