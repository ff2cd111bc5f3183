import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  RemoteCache,
  remoteCacheOptionsFromEnv,
  type RemoteCacheOptions,
} from '../../src/cache/remote.js';
import { artifactTag } from '../../src/cache/remote-signature.js';
import { startCacheServer } from '../../src/cache/server.js';

const token = 'tok-3f9a1c77d2e4b5a6';
const key = 'a-signature-key-of-at-least-32-bytes!!';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function cacheServer(options: { readOnly?: boolean } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-remote-'));
  const log: string[] = [];
  const server = await startCacheServer({
    dir,
    tokens: [token],
    log: (line) => log.push(line),
    ...options,
  });
  cleanups.push(() => server.close());
  return { server, dir, log };
}

/** A plain HTTP server that records requests and answers with `answer`. */
async function rawServer(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const requests: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    req.resume();
    req.on('end', () => answer(req, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

function client(server: { url: string }, options: Partial<RemoteCacheOptions> = {}) {
  const warnings: string[] = [];
  const cache = new RemoteCache({
    url: server.url,
    token,
    warn: (m) => warnings.push(m),
    ...options,
  });
  return { cache, warnings };
}

function expectNoToken(warnings: readonly string[]) {
  for (const w of warnings) expect(w).not.toContain(token);
}

describe('RemoteCache against gantry cache serve', () => {
  it('round-trips an artifact with its duration, and a 404 is a quiet miss', async () => {
    const { server } = await cacheServer();
    const { cache, warnings } = client(server, { team: 'my-team' });
    expect(await cache.get('abc123')).toBeUndefined();
    expect(await cache.exists('abc123')).toBe(false);
    await cache.put('abc123', Buffer.from('artifact bytes'), 1234.4);
    expect(await cache.exists('abc123')).toBe(true);
    const hit = await cache.get('abc123');
    expect(hit?.body.toString()).toBe('artifact bytes');
    expect(hit?.durationMs).toBe(1234);
    // Another team does not see it.
    expect(await client(server, { team: 'other' }).cache.get('abc123')).toBeUndefined();
    expect(warnings).toEqual([]);
    expect(cache.disabled).toBe(false);
  });

  it('signs uploads and verifies downloads; a tampered body or tag is a miss with one warning', async () => {
    const { server, dir } = await cacheServer();
    const { cache, warnings } = client(server, { team: 'team_abc', signatureKey: key });
    const body = Buffer.from('signed artifact');
    await cache.put('h1', body, 10);
    await cache.put('h2', body, 10);
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'team_abc', '.h1.json'), 'utf8'));
    expect(sidecar.tag).toBe(artifactTag(key, 'h1', 'team_abc', body));
    expect((await cache.get('h1'))?.body.toString()).toBe('signed artifact');

    // Same length, other bytes: the sizes agree, only the signature can tell.
    writeFileSync(path.join(dir, 'team_abc', 'h1'), 'SIGNED ARTIFACT');
    expect(await cache.get('h1')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /artifact h1 has a missing or invalid x-artifact-tag.*\[GANTRY_REMOTE_CACHE_FAILED\]$/,
    );

    writeFileSync(
      path.join(dir, 'team_abc', '.h2.json'),
      JSON.stringify({ ...sidecar, tag: artifactTag(key, 'h2', 'team_other', body) }),
    );
    expect(await cache.get('h2')).toBeUndefined();
    expect(warnings).toHaveLength(1);
    // A bad artifact is not a broken server: the remote stays on.
    expect(cache.disabled).toBe(false);

    // Unsigned artifacts are refused too; a reader with the wrong key refuses good ones.
    await client(server, { team: 'team_abc' }).cache.put('h3', body, 1);
    expect(await cache.get('h3')).toBeUndefined();
    const wrongKey = client(server, { team: 'team_abc', signatureKey: `${key}-other` });
    await cache.put('h4', body, 1);
    expect(await wrongKey.cache.get('h4')).toBeUndefined();
    expect(wrongKey.warnings).toHaveLength(1);
    expect((await cache.get('h4'))?.body.toString()).toBe('signed artifact');
  });

  it('signs with empty team bytes for a slug, as turbo does with --team', async () => {
    const { server, dir } = await cacheServer();
    const body = Buffer.from('x');
    await client(server, { team: 'my-slug', signatureKey: key }).cache.put('h', body, 1);
    const sidecar = JSON.parse(readFileSync(path.join(dir, 'my-slug', '.h.json'), 'utf8'));
    expect(sidecar.tag).toBe(artifactTag(key, 'h', '', body));
  });

  it('warns once and disables itself on a wrong token, never printing the token', async () => {
    const { server } = await cacheServer();
    const { cache, warnings } = client(server, { token: `${token}-wrong` });
    expect(await cache.get('abc')).toBeUndefined();
    await cache.put('abc', Buffer.from('x'), 1);
    expect(await cache.exists('abc')).toBe(false);
    expect(cache.disabled).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`remote cache ${server.url}: GET /v8/artifacts/abc answered 401`);
    expect(warnings[0]).toContain('check the token');
    expect(warnings[0]).not.toContain(`${token}-wrong`);
    expectNoToken(warnings);
  });

  it('never uploads when read-only, and reports a refused upload once', async () => {
    const { server } = await cacheServer({ readOnly: true });
    const readOnly = client(server, { readOnly: true });
    await readOnly.cache.put('abc', Buffer.from('x'), 1);
    expect(readOnly.warnings).toEqual([]);
    // A client that does not know the server is read-only is told with a 403: the remote is off.
    const writer = client(server);
    await writer.cache.put('abc', Buffer.from('x'), 1);
    expect(writer.warnings).toHaveLength(1);
    expect(writer.warnings[0]).toContain('PUT /v8/artifacts/abc answered 403');
    expect(writer.cache.disabled).toBe(true);
  });

  it('sends events to the server, which counts them', async () => {
    const { server, log } = await cacheServer();
    const { cache, warnings } = client(server);
    await cache.recordEvents([
      { sessionId: 's1', source: 'REMOTE', event: 'HIT', hash: 'a', duration: 5 },
      { sessionId: 's1', source: 'LOCAL', event: 'MISS', hash: 'b' },
    ]);
    expect(log.find((l) => l.startsWith('POST'))).toMatch(
      /^POST \/v8\/artifacts\/events 200 \d+ms \(2 events\)$/,
    );
    expect(warnings).toEqual([]);
  });
});

describe('RemoteCache when the remote misbehaves', () => {
  it('sends the v8 headers and the team as teamId or slug', async () => {
    const raw = await rawServer((_req, res) => res.writeHead(200).end('{}'));
    const ci = client(raw, { team: 'team_x', ci: 'GITHUB_ACTIONS', interactive: false });
    await ci.cache.put('h', Buffer.from('body'), 42);
    await client(raw, { team: 'slug-y', interactive: true }).cache.put('h', Buffer.from('b'), 1);
    const [first, second] = raw.requests;
    expect(first?.method).toBe('PUT');
    expect(first?.url).toBe('/v8/artifacts/h?teamId=team_x');
    expect(first?.headers).toMatchObject({
      authorization: `Bearer ${token}`,
      'content-type': 'application/octet-stream',
      'content-length': '4',
      'x-artifact-duration': '42',
      'x-artifact-client-ci': 'GITHUB_ACTIONS',
      'x-artifact-client-interactive': '0',
    });
    expect(first?.headers['x-artifact-tag']).toBeUndefined();
    expect(second?.url).toBe('/v8/artifacts/h?slug=slug-y');
    expect(second?.headers['x-artifact-client-interactive']).toBe('1');
    expect(second?.headers['x-artifact-client-ci']).toBeUndefined();
  });

  it('degrades on a 5xx: one warning, then no more requests', async () => {
    const raw = await rawServer((_req, res) => res.writeHead(503).end('down for maintenance'));
    const { cache, warnings } = client(raw);
    expect(await cache.get('a')).toBeUndefined();
    expect(cache.disabled).toBe(true);
    await cache.put('a', Buffer.from('x'), 1);
    expect(await cache.exists('a')).toBe(false);
    await cache.recordEvents([{ sessionId: 's', source: 'REMOTE', event: 'MISS', hash: 'a' }]);
    expect(raw.requests).toHaveLength(1);
    expect(warnings).toEqual([
      `remote cache ${raw.url}: GET /v8/artifacts/a answered 503 Service Unavailable; going on without the remote cache for the rest of this run [GANTRY_REMOTE_CACHE_FAILED]`,
    ]);
  });

  it('degrades when the server is down (closed port), and later calls return at once', async () => {
    const { server } = await cacheServer();
    const url = server.url;
    await server.close();
    const { cache, warnings } = client({ url });
    expect(await cache.exists('a')).toBe(false);
    expect(cache.disabled).toBe(true);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /^remote cache http:\/\/127\.0\.0\.1:\d+: is unreachable \(.*ECONNREFUSED.*\); going on/,
    );
    expectNoToken(warnings);
    const started = performance.now();
    for (let i = 0; i < 100; i++) expect(await cache.get(`h${i}`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(500);
    expect(warnings).toHaveLength(1);
  });

  it('gives up on a server that does not answer within timeoutMs', async () => {
    const raw = await rawServer(() => undefined);
    const { cache, warnings } = client(raw, { timeoutMs: 200 });
    expect(await cache.get('a')).toBeUndefined();
    expect(warnings).toEqual([
      `remote cache ${raw.url}: no answer within 200 ms; going on without the remote cache for the rest of this run [GANTRY_REMOTE_CACHE_FAILED]`,
    ]);
    expect(cache.disabled).toBe(true);
  });

  it('treats other refusals (413) as a miss worth one warning, without disabling', async () => {
    const raw = await rawServer((_req, res) => res.writeHead(413).end());
    const { cache, warnings } = client(raw);
    await cache.put('a', Buffer.from('x'), 1);
    await cache.put('b', Buffer.from('x'), 1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(
      'PUT /v8/artifacts/a answered 413 Payload Too Large; not uploaded',
    );
    expect(cache.disabled).toBe(false);
    expect(raw.requests).toHaveLength(2);
  });

  it('refuses a URL that is not http(s), or carries credentials, with one warning', async () => {
    const { cache, warnings } = client({ url: 'ftp://example.com' });
    expect(cache.disabled).toBe(true);
    expect(await cache.get('a')).toBeUndefined();
    expect(warnings).toEqual([
      'remote cache ftp://example.com: is not an http(s) URL; going on without the remote cache for the rest of this run [GANTRY_REMOTE_CACHE_FAILED]',
    ]);
    const withCredentials = client({ url: `http://user:${token}@127.0.0.1:9/` });
    expect(await withCredentials.cache.get('a')).toBeUndefined();
    expect(withCredentials.warnings).toEqual([
      'remote cache http://127.0.0.1:9: has credentials in the URL; pass the token as GANTRY_CACHE_TOKEN instead; going on without the remote cache for the rest of this run [GANTRY_REMOTE_CACHE_FAILED]',
    ]);
  });
});

describe('remoteCacheOptionsFromEnv', () => {
  const warn = () => undefined;

  it('is undefined without a URL', () => {
    expect(remoteCacheOptionsFromEnv({ GANTRY_CACHE_TOKEN: 't' }, warn)).toBeUndefined();
    expect(remoteCacheOptionsFromEnv({ GANTRY_CACHE_URL: ' ' }, warn)).toBeUndefined();
  });

  it("reads Gantry's variables first, then turbo's", () => {
    expect(
      remoteCacheOptionsFromEnv(
        {
          GANTRY_CACHE_URL: 'http://cache:4000',
          GANTRY_CACHE_TOKEN: 'g',
          GANTRY_CACHE_TEAM: 'gantry-team',
          GANTRY_CACHE_SIGNATURE_KEY: 'gk',
          GANTRY_CACHE_READ_ONLY: 'true',
          TURBO_API: 'http://turbo',
          TURBO_TOKEN: 't',
          TURBO_TEAM: 'turbo-team',
          TURBO_REMOTE_CACHE_SIGNATURE_KEY: 'tk',
        },
        warn,
      ),
    ).toEqual({
      url: 'http://cache:4000',
      token: 'g',
      team: 'gantry-team',
      signatureKey: 'gk',
      readOnly: true,
      ci: undefined,
      warn,
    });
    expect(
      remoteCacheOptionsFromEnv(
        {
          TURBO_API: 'http://turbo',
          TURBO_TOKEN: 't',
          TURBO_TEAM: 'slug',
          TURBO_REMOTE_CACHE_SIGNATURE_KEY: 'tk',
          GITLAB_CI: 'true',
        },
        warn,
      ),
    ).toEqual({
      url: 'http://turbo',
      token: 't',
      team: 'slug',
      signatureKey: 'tk',
      readOnly: false,
      ci: 'GITLAB',
      warn,
    });
  });

  it('prefers TURBO_TEAMID over TURBO_TEAM, as turbo signs with the id', () => {
    const options = remoteCacheOptionsFromEnv(
      { TURBO_API: 'http://t', TURBO_TEAM: 'slug', TURBO_TEAMID: 'team_1', CI: 'true' },
      warn,
    );
    expect(options?.team).toBe('team_1');
    expect(options?.ci).toBe('CI');
  });
});
