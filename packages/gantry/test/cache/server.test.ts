import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCacheServer, type CacheServerOptions } from '../../src/cache/server.js';

const token = 'srv-token-8c1d2e3f4a5b';
const otherToken = 'srv-token-second-9d8c';
const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function serve(options: Partial<CacheServerOptions> = {}) {
  const dir = options.dir ?? mkdtempSync(path.join(os.tmpdir(), 'gantry-serve-'));
  const log: string[] = [];
  const server = await startCacheServer({
    dir,
    tokens: [token, otherToken],
    log: (line) => log.push(line),
    ...options,
  });
  cleanups.push(() => server.close());
  const call = (route: string, init: RequestInit & { auth?: string | null } = {}) => {
    const { auth = token, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (auth !== null) headers.set('authorization', `Bearer ${auth}`);
    return fetch(`${server.url}${route}`, { ...rest, headers });
  };
  const put = (hash: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    call(`/v8/artifacts/${hash}`, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/octet-stream', ...headers },
    });
  return { server, dir, log, call, put };
}

describe('gantry cache serve (startCacheServer)', () => {
  it('answers status only with a known bearer token, and never logs a token', async () => {
    const { call, log } = await serve();
    const ok = await call('/v8/artifacts/status');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ status: 'enabled' });
    expect((await call('/v8/artifacts/status', { auth: otherToken })).status).toBe(200);
    for (const auth of [null, 'nope', `${token}x`, token.slice(0, -1)]) {
      const refused = await call('/v8/artifacts/status', { auth });
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({
        error: { code: 'unauthorized', message: 'missing or unknown bearer token' },
      });
    }
    const basic = await call('/v8/artifacts/status', {
      auth: null,
      headers: { authorization: `Basic ${token}` },
    });
    expect(basic.status).toBe(401);
    expect(log).toHaveLength(7);
    expect(log.join('\n')).not.toMatch(/srv-token/);
  });

  it('stores, finds and serves an artifact, echoing duration and tag', async () => {
    const { call, put, dir } = await serve();
    const stored = await put('abc123', 'the body', {
      'x-artifact-duration': '321',
      'x-artifact-tag': 'dGFn',
    });
    expect(stored.status).toBe(202);
    expect(await stored.json()).toEqual({ urls: ['/v8/artifacts/abc123'] });
    expect(readdirSync(path.join(dir, '_')).sort()).toEqual(['.abc123.json', 'abc123']);

    const got = await call('/v8/artifacts/abc123');
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('x-artifact-duration')).toBe('321');
    expect(got.headers.get('x-artifact-tag')).toBe('dGFn');
    expect(await got.text()).toBe('the body');

    const head = await call('/v8/artifacts/abc123', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('8');
    expect(head.headers.get('x-artifact-duration')).toBe('321');

    const missing = await call('/v8/artifacts/other');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: { code: 'not_found', message: 'Artifact not found' },
    });
    expect((await call('/v8/artifacts/other', { method: 'HEAD' })).status).toBe(404);
    expect((await call('/v8/artifacts/abc123', { method: 'DELETE' })).status).toBe(405);
    expect((await call('/v8/nothing')).status).toBe(404);
  });

  it('keeps teams apart: teamId first, then slug, else _', async () => {
    const { call, put, dir } = await serve();
    expect((await put('h?slug=web', 'slug body')).status).toBe(202);
    expect((await put('h?teamId=team_1&slug=web', 'team body')).status).toBe(202);
    expect(await (await call('/v8/artifacts/h?slug=web')).text()).toBe('slug body');
    expect(await (await call('/v8/artifacts/h?teamId=team_1')).text()).toBe('team body');
    expect((await call('/v8/artifacts/h')).status).toBe(404);
    expect(readdirSync(dir).sort()).toEqual(['.tmp', 'team_1', 'web']);
  });

  it('refuses bad hashes and team names with 400, so nothing escapes the directory', async () => {
    const { call, put, dir } = await serve();
    for (const hash of [
      '.hidden',
      'a%2Fb',
      '..%2F..%2Fescape',
      'a%00b',
      'x'.repeat(129),
      '%E0%A4%A',
    ]) {
      const answer = await call(`/v8/artifacts/${hash}`);
      expect(answer.status, hash).toBe(400);
      expect((await put(hash, 'x')).status, hash).toBe(400);
    }
    for (const team of ['..', '.x', 'a%2Fb', '']) {
      expect((await put(`h?slug=${team}x%2F..`, 'x')).status, team).toBe(400);
    }
    expect((await put('x'.repeat(128), 'long but fine')).status).toBe(202);
    expect(existsSync(path.join(dir, '..', 'escape'))).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['.tmp', '_']);
  });

  it('refuses uploads with 403 when read-only but still serves downloads', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-serve-'));
    const writable = await serve({ dir });
    await writable.put('h', 'stored before');
    const readOnly = await serve({ dir, readOnly: true });
    const refused = await readOnly.put('h2', 'x');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: 'forbidden', message: 'this cache is read-only' },
    });
    expect(await (await readOnly.call('/v8/artifacts/h')).text()).toBe('stored before');
    expect((await readOnly.call('/v8/artifacts/h2')).status).toBe(404);
  });

  it('refuses bodies over the limit with 413, declared or streamed, and stores nothing', async () => {
    const { server, put, call, dir } = await serve({ maxBodyBytes: 1024 });
    const declared = await put('big', Buffer.alloc(4096, 1));
    expect(declared.status).toBe(413);
    expect((await put('fits', Buffer.alloc(1024, 1))).status).toBe(202);

    // Chunked: no Content-Length, so the limit is found while streaming.
    const streamed = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${server.url}/v8/artifacts/chunked`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${token}`, 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      for (let i = 0; i < 8; i++) req.write(Buffer.alloc(512, 2));
      req.end();
    });
    expect(streamed).toBe(413);
    expect((await call('/v8/artifacts/chunked')).status).toBe(404);
    expect((await call('/v8/artifacts/big')).status).toBe(404);
    expect(readdirSync(path.join(dir, '.tmp'))).toEqual([]);
  });

  it('streams a large artifact both ways intact', async () => {
    const { put, call } = await serve();
    const body = randomBytes(24 * 1024 * 1024);
    expect((await put('large', body)).status).toBe(202);
    const got = Buffer.from(await (await call('/v8/artifacts/large')).arrayBuffer());
    expect(got.equals(body)).toBe(true);
  });

  it('survives concurrent uploads of one hash', async () => {
    const { put, call, dir } = await serve();
    const body = randomBytes(256 * 1024);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => put('same', body, { 'x-artifact-duration': String(i) })),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
    const got = await call('/v8/artifacts/same');
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);
    expect(readdirSync(path.join(dir, '.tmp'))).toEqual([]);
  });

  it('answers a storage error with 412 (turbo retries 5xx) and logs it', async () => {
    const { put, dir, log } = await serve();
    writeFileSync(path.join(dir, 'blocked'), 'a file where the team directory should be');
    const answer = await put('h?slug=blocked', 'x');
    expect(answer.status).toBe(412);
    expect(log.some((l) => l.startsWith('storage error: '))).toBe(true);
    expect(readdirSync(path.join(dir, '.tmp'))).toEqual([]);
  });

  it('removes temp files a crash left behind, once they are a day old', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-serve-'));
    mkdirSync(path.join(dir, '.tmp'));
    writeFileSync(path.join(dir, '.tmp', 'old'), 'x');
    writeFileSync(path.join(dir, '.tmp', 'recent'), 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    utimesSync(path.join(dir, '.tmp', 'old'), twoDaysAgo, twoDaysAgo);
    await serve({ dir });
    expect(readdirSync(path.join(dir, '.tmp'))).toEqual(['recent']);
  });

  it('answers batch queries with size, duration and tag, or an error per hash', async () => {
    const { put, call } = await serve();
    await put('one?slug=t', 'four', { 'x-artifact-duration': '7', 'x-artifact-tag': 'tag1' });
    const answer = await call('/v8/artifacts?slug=t', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ hashes: ['one', 'two', '../x'] }),
    });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({
      one: { size: 4, taskDurationMs: 7, tag: 'tag1' },
      two: { error: { message: 'Artifact not found' } },
      '../x': { error: { message: 'invalid hash' } },
    });
    const bad = await call('/v8/artifacts', { method: 'POST', body: '{"hashes": 3}' });
    expect(bad.status).toBe(400);
    const huge = await call('/v8/artifacts', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) });
    expect(huge.status).toBe(413);
  });

  it('accepts and counts events', async () => {
    const { call, log } = await serve();
    const events = [
      { sessionId: 's', source: 'REMOTE', event: 'HIT', hash: 'a', duration: 3 },
      { sessionId: 's', source: 'LOCAL', event: 'MISS', hash: 'b', duration: 0 },
      { sessionId: 's', source: 'LOCAL', event: 'MISS', hash: 'c', duration: 0 },
    ];
    const answer = await call('/v8/artifacts/events', {
      method: 'POST',
      body: JSON.stringify(events),
    });
    expect(answer.status).toBe(200);
    expect(log.at(-1)).toMatch(/^POST \/v8\/artifacts\/events 200 \d+ms \(3 events\)$/);
    expect((await call('/v8/artifacts/events', { method: 'POST', body: 'not json' })).status).toBe(
      400,
    );
    expect((await call('/v8/artifacts/events', { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('refuses to start without a token, or on a port in use', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-serve-'));
    await expect(startCacheServer({ dir, tokens: [] })).rejects.toMatchObject({
      code: 'GANTRY_USAGE',
    });
    const { server } = await serve({ dir });
    await expect(
      startCacheServer({ dir, tokens: [token], port: server.port }),
    ).rejects.toMatchObject({
      code: 'GANTRY_USAGE',
      message: `cannot listen on 127.0.0.1:${server.port}: the port is in use`,
    });
  });
});

describe('gantry cache serve (CLI)', () => {
  it('serves with tokens from the environment and a file, and stops cleanly on SIGTERM', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'gantry-serve-cli-'));
    writeFileSync(path.join(cwd, 'tokens'), `\n ${otherToken} \n`);
    const args = ['cache', 'serve', '--port', '0', '--token-file', 'tokens'];
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, GANTRY_CACHE_SERVER_TOKENS: ` ${token} ,` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no URL printed; stderr: ${stderr}`)),
        15_000,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
    });
    expect(stdout).toBe(
      `gantry cache serve: listening on ${url} (dir ${path.join(cwd, '.gantry', 'remote-cache')})\n`,
    );
    const auth = { authorization: `Bearer ${otherToken}` };
    const put = await fetch(`${url}/v8/artifacts/cli`, {
      method: 'PUT',
      body: 'from the CLI',
      headers: auth,
    });
    expect(put.status).toBe(202);
    expect(await (await fetch(`${url}/v8/artifacts/cli`, { headers: auth })).text()).toBe(
      'from the CLI',
    );
    expect((await fetch(`${url}/v8/artifacts/status`)).status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(path.join(cwd, '.gantry', 'remote-cache', '_', 'cli'))).toBe(true);
    expect(stderr).toContain('PUT /v8/artifacts/cli 202');
    expect(stderr).not.toContain(token);
    expect(stderr).not.toContain(otherToken);
  });

  it('refuses to start without a token, with a hint', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'gantry-serve-cli-'));
    const env = { ...process.env, GANTRY_CACHE_SERVER_TOKENS: '' };
    const none = spawnSync(process.execPath, [bin, 'cache', 'serve'], {
      cwd,
      env,
      encoding: 'utf8',
    });
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('gantry cache serve needs at least one token [GANTRY_USAGE]');
    expect(none.stderr).toContain('GANTRY_CACHE_SERVER_TOKENS');

    mkdirSync(path.join(cwd, 'secrets'));
    writeFileSync(path.join(cwd, 'secrets', 'tokens'), '\n  \n');
    const empty = spawnSync(
      process.execPath,
      [bin, 'cache', 'serve', '--token-file', 'secrets/tokens'],
      {
        cwd,
        env,
        encoding: 'utf8',
      },
    );
    expect(empty.status).toBe(2);
    const missing = spawnSync(process.execPath, [bin, 'cache', 'serve', '--token-file', 'nope'], {
      cwd,
      env,
      encoding: 'utf8',
    });
    expect(missing.stderr).toContain('cannot read --token-file nope: ENOENT [GANTRY_USAGE]');
    const badPort = spawnSync(process.execPath, [bin, 'cache', 'serve', '--port', '70000'], {
      cwd,
      env: { ...env, GANTRY_CACHE_SERVER_TOKENS: token },
      encoding: 'utf8',
    });
    expect(badPort.status).toBe(2);
    const unknown = spawnSync(process.execPath, [bin, 'cache', 'explode'], {
      cwd,
      env,
      encoding: 'utf8',
    });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown cache subcommand 'explode' [GANTRY_USAGE]");
  });
});
