import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RemoteCache } from '../../src/cache/remote.js';
import { startCacheServer, type CacheServer } from '../../src/cache/server.js';
import { createRepo } from '../helpers/repo.js';

/**
 * The real turbo CLI (a root devDependency) against `gantry cache serve`, and Gantry's client
 * against what turbo uploaded. These are the tests that keep the two speaking the same API.
 */
/** The pinned turbo CLI that .ci/run installs beside the project (GANTRY_PEER_TURBO). */
const turbo =
  process.env['GANTRY_PEER_TURBO'] ??
  path.join(
    process.env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'),
    'gantry-peers/turbo-2.11.11/node_modules/.bin/turbo',
  );
const token = 'interop-token-5e6f7a8b9c';
const key = 'interop-signature-key-0123456789abcdef';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function requireTurbo(): void {
  if (!existsSync(turbo))
    throw new Error(
      `turbo is not installed at ${turbo}; run .ci/run (it installs the pinned turbo and sets GANTRY_PEER_TURBO)`,
    );
}

const build = (name: string) =>
  `node -e "require('fs').mkdirSync('dist',{recursive:true});require('fs').writeFileSync('dist/out.txt','${name} built')"`;

/**
 * A two-package npm workspace in a git repository (turbo hashes git-tracked files). turbo
 * reads the lockfile to hash external dependencies; a minimal v3 lockfile that lists the
 * workspaces is enough, and nothing is installed.
 */
function monorepo(signature: boolean): string {
  const pkg = (name: string) =>
    JSON.stringify({ name, version: '1.0.0', scripts: { build: build(name) } });
  return createRepo({
    '.gitignore': 'node_modules\ndist\n.turbo\n.turbo-cache\n',
    'package.json': JSON.stringify({
      name: 'interop',
      private: true,
      packageManager: 'npm@10.9.0',
      workspaces: ['packages/*'],
    }),
    'package-lock.json': JSON.stringify({
      name: 'interop',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'interop', workspaces: ['packages/*'] },
        'node_modules/a': { resolved: 'packages/a', link: true },
        'node_modules/b': { resolved: 'packages/b', link: true },
        'packages/a': { name: 'a', version: '1.0.0' },
        'packages/b': { name: 'b', version: '1.0.0' },
      },
    }),
    'packages/a/package.json': pkg('a'),
    'packages/b/package.json': pkg('b'),
    'turbo.json': JSON.stringify({
      $schema: 'https://turborepo.dev/schema.json',
      ...(signature ? { remoteCache: { signature: true } } : {}),
      tasks: { build: { outputs: ['dist/**'] } },
    }),
  });
}

async function server() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-interop-store-'));
  const log: string[] = [];
  const started: CacheServer = await startCacheServer({
    dir,
    tokens: [token],
    log: (l) => log.push(l),
  });
  cleanups.push(() => started.close());
  return { ...started, dir, log };
}

/** Runs turbo without blocking this process: the cache server lives in it. */
function runTurbo(
  repo: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(TURBO_|GANTRY_CACHE_|VERCEL)/.test(k)),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(turbo, args, {
      cwd: repo,
      env: {
        ...clean,
        TURBO_TELEMETRY_DISABLED: '1',
        DO_NOT_TRACK: '1',
        TURBO_NO_UPDATE_NOTIFIER: '1',
        NO_COLOR: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function turboBuild(repo: string, url: string, extra: string[] = [], env = {}) {
  return runTurbo(
    repo,
    ['run', 'build', `--api=${url}`, `--token=${token}`, '--cache-dir=.turbo-cache', ...extra],
    env,
  );
}

/** The hashes turbo printed for `a:build` and `b:build`, by package. */
function taskHashes(output: string, status: 'cache miss, executing' | 'cache hit, replaying logs') {
  const found: Record<string, string> = {};
  for (const m of output.matchAll(new RegExp(`^([ab]):build: ${status} ([0-9a-f]{16})$`, 'gm')))
    found[m[1] ?? ''] = m[2] ?? '';
  return found;
}

/** Forget everything local: turbo's cache, the outputs and the logs turbo replays. */
function wipeLocal(repo: string): void {
  for (const p of [
    '.turbo-cache',
    '.turbo',
    'packages/a/dist',
    'packages/b/dist',
    'packages/a/.turbo',
    'packages/b/.turbo',
  ])
    rmSync(path.join(repo, p), { recursive: true, force: true });
}

function expectBuilt(repo: string): void {
  expect(readFileSync(path.join(repo, 'packages/a/dist/out.txt'), 'utf8')).toBe('a built');
  expect(readFileSync(path.join(repo, 'packages/b/dist/out.txt'), 'utf8')).toBe('b built');
}

describe('turbo against gantry cache serve', () => {
  it('uploads on a miss and restores from the remote after the local cache is gone', async () => {
    requireTurbo();
    const srv = await server();
    const repo = monorepo(false);
    const first = await turboBuild(repo, srv.url, ['--team=interop']);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('Remote caching enabled');
    const hashes = taskHashes(first.output, 'cache miss, executing');
    expect(Object.keys(hashes).sort(), first.output).toEqual(['a', 'b']);
    // turbo uploads in the background and finishes before it exits.
    expect(readdirSync(path.join(srv.dir, 'interop')).sort()).toEqual(
      [hashes['a'], hashes['b'], `.${hashes['a']}.json`, `.${hashes['b']}.json`].sort(),
    );
    expect(srv.log.some((l) => /^PUT \/v8\/artifacts\/[0-9a-f]{16} 202 /.test(l))).toBe(true);

    wipeLocal(repo);
    const second = await turboBuild(repo, srv.url, ['--team=interop', '--summarize']);
    expect(second.code, second.output).toBe(0);
    expect(taskHashes(second.output, 'cache hit, replaying logs')).toEqual(hashes);
    expect(second.output).toContain('2 cached, 2 total');
    expectBuilt(repo);
    const runs = path.join(repo, '.turbo', 'runs');
    const summary = JSON.parse(readFileSync(path.join(runs, readdirSync(runs)[0] ?? ''), 'utf8'));
    for (const task of summary.tasks)
      expect(task.cache).toMatchObject({ local: false, remote: true, status: 'HIT' });

    // Gantry's client reads what turbo stored: a zstd-compressed tar, with its duration.
    const warnings: string[] = [];
    const gantry = new RemoteCache({
      url: srv.url,
      token,
      team: 'interop',
      warn: (m) => warnings.push(m),
    });
    const artifact = await gantry.get(hashes['a'] ?? '');
    expect(artifact?.body.subarray(0, 4).toString('hex')).toBe('28b52ffd');
    expect(artifact?.durationMs).toBeGreaterThanOrEqual(0);
    expect(await gantry.exists(hashes['b'] ?? '')).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('shares signed artifacts with turbo both ways (slug and team id)', async () => {
    requireTurbo();
    const srv = await server();
    const repo = monorepo(true);
    const signing = { TURBO_REMOTE_CACHE_SIGNATURE_KEY: key };
    const first = await turboBuild(repo, srv.url, ['--team=interop'], signing);
    expect(first.code, first.output).toBe(0);
    const hashes = taskHashes(first.output, 'cache miss, executing');
    const hashA = hashes['a'] ?? '';
    const sidecar = () =>
      JSON.parse(readFileSync(path.join(srv.dir, 'interop', `.${hashA}.json`), 'utf8'));
    const turboTag: string = sidecar().tag;
    expect(turboTag).toMatch(/^[A-Za-z0-9+/]{43}=$/);

    // turbo → Gantry: the tag turbo made verifies with the same key; another key is a miss.
    const warnings: string[] = [];
    const client = (signatureKey: string, team = 'interop') =>
      new RemoteCache({ url: srv.url, token, team, signatureKey, warn: (m) => warnings.push(m) });
    const artifact = await client(key).get(hashA);
    expect(artifact).toBeDefined();
    expect(warnings).toEqual([]);
    expect(await client(`${key}-not-it`).get(hashA)).toBeUndefined();
    expect(warnings).toHaveLength(1);

    // Gantry → turbo: Gantry re-uploads the same bytes signed with its own code; the tag is
    // byte-identical to turbo's and turbo restores from it.
    await client(key).put(hashA, artifact?.body ?? Buffer.alloc(0), 100);
    expect(sidecar().tag).toBe(turboTag);
    wipeLocal(repo);
    const restored = await turboBuild(repo, srv.url, ['--team=interop'], signing);
    expect(restored.code, restored.output).toBe(0);
    expect(taskHashes(restored.output, 'cache hit, replaying logs')).toEqual(hashes);
    expectBuilt(repo);

    // An artifact Gantry signed with another key is refused by turbo, which builds instead.
    await client(`${key}-not-it`).put(hashA, artifact?.body ?? Buffer.alloc(0), 100);
    wipeLocal(repo);
    const refused = await turboBuild(repo, srv.url, ['--team=interop'], signing);
    expect(refused.code, refused.output).toBe(0);
    expect(taskHashes(refused.output, 'cache miss, executing')).toEqual({ a: hashA });
    expectBuilt(repo);

    // With a team id (TURBO_TEAMID) turbo signs with the id's bytes; Gantry's `team_…` does too.
    const withId = await turboBuild(repo, srv.url, ['--force'], {
      ...signing,
      TURBO_TEAMID: 'team_interop',
    });
    expect(withId.code, withId.output).toBe(0);
    expect(await client(key, 'team_interop').get(hashA)).toBeDefined();
    expect(await client(key, 'team_interop').get(hashes['b'] ?? '')).toBeDefined();
    expect(warnings).toHaveLength(1);
  });
});
