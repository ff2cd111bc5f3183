import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDeployConfig } from '../../src/deploy/config.js';
import { LocalProvider } from '../../src/deploy/local-provider.js';
import { prepareRelease } from '../../src/deploy/release-workspace.js';
import { isGantryError } from '../../src/errors/index.js';
import { DeployProxy } from '../../src/proxy/index.js';
import { Supervisor } from '../../src/supervisor/index.js';
import { commitAll, createRepo, git, writeFiles } from '../helpers/repo.js';

const server = (version: string) => `const http = require('node:http');
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  res.end('${version} ' + process.env.GREETING);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const config = readDeployConfig(
  {
    apps: {
      web: {
        path: 'web',
        prepare: 'test -f server.js && pwd -P > prepared.txt',
        start: 'exec node server.js',
        instances: 2,
        readiness: { path: '/health', interval: '100ms' },
        stopGrace: '2s',
      },
    },
  },
  'gantry.yml',
);
const app = config.apps['web']!;

let repo: string;
let state: string;
let proxy: DeployProxy;
let supervisor: Supervisor;
let provider: LocalProvider;

beforeEach(async () => {
  repo = createRepo({ 'web/server.js': server('v1') });
  writeFiles(repo, { 'web/server.js': server('v2') });
  commitAll(repo, 'v2');
  state = mkdtempSync(path.join(os.tmpdir(), 'gantry-local-provider-'));
  proxy = await DeployProxy.start({ port: 0 });
  supervisor = new Supervisor({ stateDir: path.join(state, 'pids') });
  provider = new LocalProvider(supervisor, proxy, state);
});
afterEach(async () => {
  await supervisor.stopAll();
  await proxy.stop();
  rmSync(repo, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

function get(host: string): Promise<{ status: number; body: string; release: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port: proxy.port, path: '/', headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            release: res.headers['x-gantry-release'] as string | undefined,
          }),
        );
      })
      .on('error', reject);
  });
}

describe('local provider', () => {
  it('runs two releases from their commits behind one host and moves traffic between them', async () => {
    const sha = (ref: string) => git(repo, 'rev-parse', ref).trim();
    const env = { ...process.env, GREETING: 'hello' } as Record<string, string>;
    const prepare = (release: string, ref: string) =>
      prepareRelease({ repoRoot: repo, stateDir: state, app, release, sha: sha(ref), env });
    const v1 = await prepare('v1', 'HEAD~1');
    const v2 = await prepare('v2', 'HEAD');
    // A prepared release is reused as it is.
    expect(await prepare('v1', 'HEAD~1')).toBe(v1);
    // prepare ran where the release lives (tools write absolute paths, e.g. a venv's #!).
    expect(readFileSync(path.join(v1, 'prepared.txt'), 'utf8').trim()).toBe(realpathSync(v1));
    for (const [release, dir] of [
      ['v1', v1],
      ['v2', v2],
    ] as const)
      await provider.start({ environment: 'staging', app, release, dir, env });
    expect(provider.releaseSet('staging', 'web', 'v1')?.instances.map((i) => i.state)).toEqual([
      'ready',
      'ready',
    ]);

    provider.route('staging.localhost', 'staging', 'web', [{ release: 'v1', weight: 100 }]);
    expect(await get('staging.localhost')).toMatchObject({
      status: 200,
      body: 'v1 hello',
      release: 'v1',
    });

    provider.route('staging.localhost', 'staging', 'web', [
      { release: 'v1', weight: 50 },
      { release: 'v2', weight: 50 },
    ]);
    const bodies = [];
    for (let i = 0; i < 20; i++) bodies.push((await get('staging.localhost')).body);
    expect(bodies.filter((b) => b === 'v1 hello')).toHaveLength(10);
    expect(bodies.filter((b) => b === 'v2 hello')).toHaveLength(10);

    provider.route('staging.localhost', 'staging', 'web', [{ release: 'v2', weight: 100 }]);
    await provider.stop('staging', 'web', 'v1');
    for (let i = 0; i < 5; i++) expect((await get('staging.localhost')).body).toBe('v2 hello');
    expect(provider.setsOf('staging').map((s) => s.release)).toEqual(['v2']);
    expect((await get('other.localhost')).status).toBe(404);
  });

  it('refuses a release whose prepare command fails, keeping its output', async () => {
    const broken = { ...app, prepare: 'echo "no lockfile here" >&2; exit 3' };
    const sha = git(repo, 'rev-parse', 'HEAD').trim();
    try {
      await prepareRelease({
        repoRoot: repo,
        stateDir: state,
        app: broken,
        release: 'v3',
        sha,
        env: { PATH: process.env['PATH'] ?? '' },
      });
      expect.unreachable();
    } catch (error) {
      expect(isGantryError(error) && error.code).toBe('GANTRY_RELEASE_UNHEALTHY');
      expect((error as Error).message).toContain('exited with 3');
      expect((error as { hint?: string }).hint).toMatch(/v3\.failed\/prepare\.log$/);
    }
  });
});
