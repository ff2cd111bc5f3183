import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { commitAll, createRepo, git, writeFiles } from '../helpers/repo.js';
import { appServer } from './rollout-fixture.js';

const bin = path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');
let repo: string | undefined;

function gantry(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: repo,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

function get(port: number, host: string): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', headers: { host } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(res.statusCode === 200 ? body : String(res.statusCode)));
      })
      .on('error', () => resolve('down'));
  });
}

async function answers(port: number, host: string, n: number): Promise<string[]> {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await get(port, host));
  return out;
}

async function until<T>(
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await delay(100);
  }
}

const status = (env: string) =>
  JSON.parse(gantry('env', 'status', env, '--json').stdout) as {
    environment: { stableRelease: string | null };
    deployments: { id: number; status: string; weight: number; release: string }[];
  };

const agentPid = () =>
  (
    JSON.parse(readFileSync(path.join(repo!, '.gantry/deploy/agent.json'), 'utf8')) as {
      pid: number;
    }
  ).pid;

afterEach(() => {
  if (!repo) return;
  gantry('agent', 'stop');
  rmSync(repo, { recursive: true, force: true });
  repo = undefined;
});

const gantryYml = `deploy:
  proxy: { port: 0, metricsPort: 0 }
apps:
  web:
    path: web
    start: exec node server.js
    instances: 2
    readiness: { path: /health, interval: 100ms }
    smoke: [/health]
environments:
  production:
    host: shop.localhost
    approvals: { required: 1, approvers: [bob] }
    strategy:
      type: canary
      scaleDownDelay: 0s
      steps: [{ setWeight: 50 }, { pause: {} }]
  dev:
    promotion: { branch: main }
    strategy: { type: recreate }
  pr:
    host: pr-{number}.shop.localhost
    ephemeral: { ttl: 1h }
    strategy: { type: recreate }
`;

describe('gantry deploy, approve, promote, rollback and the agent', () => {
  it('survives a SIGKILL of the agent mid-canary: the next agent restores stable and the canary weight, and the rollout goes on', async () => {
    const release = (version: string) => ({
      'web/server.js': appServer,
      'web/config.json': JSON.stringify({ version, errorRate: 0 }),
    });
    repo = createRepo({ ...release('v1'), 'gantry.yml': gantryYml });
    git(repo, 'tag', 'v1.0.0');
    writeFiles(repo, release('v2'));
    commitAll(repo, 'v2');
    git(repo, 'tag', 'v2.0.0');

    const first = gantry('deploy', '--env', 'production', '--release', 'v1.0.0', '--as', 'alice');
    expect(first.stderr).toBe('');
    expect(first.stdout).toContain('waiting for 1 approval from bob: gantry approve 1');
    const refused = gantry('approve', '1', '--as', 'carol');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('GANTRY_DEPLOY_NOT_ALLOWED');
    expect(gantry('approve', '1', '--as', 'bob').status).toBe(0);
    await until(
      () => status('production').environment.stableRelease,
      (s) => s === 'v1.0.0',
    );
    const port = (JSON.parse(gantry('agent', 'status', '--json').stdout) as { port: number }).port;
    expect(await answers(port, 'shop.localhost', 3)).toEqual(['v1', 'v1', 'v1']);

    gantry('deploy', '--env', 'production', '--release', 'v2.0.0', '--as', 'alice');
    gantry('approve', '2', '--as', 'bob');
    await until(
      () => status('production').deployments[0]!,
      (d) => d.status === 'paused',
    );
    expect((await answers(port, 'shop.localhost', 4)).sort()).toEqual(['v1', 'v1', 'v2', 'v2']);

    process.kill(agentPid(), 'SIGKILL');
    await until(
      () => get(port, 'shop.localhost'),
      (a) => a === 'down',
    );
    // Any deploy command brings an agent back; it reaps the old instances and resumes.
    expect(gantry('agent', 'start').status).toBe(0);
    const newPort = (JSON.parse(gantry('agent', 'status', '--json').stdout) as { port: number })
      .port;
    const mixed = await until(
      () => answers(newPort, 'shop.localhost', 4),
      (a) => a.filter((v) => v === 'v2').length === 2,
    );
    expect(mixed.sort()).toEqual(['v1', 'v1', 'v2', 'v2']);
    expect(status('production').deployments[0]).toMatchObject({ status: 'paused', weight: 50 });

    expect(gantry('promote', '--env', 'production').status).toBe(0);
    await until(
      () => status('production').environment.stableRelease,
      (s) => s === 'v2.0.0',
    );
    expect(await answers(newPort, 'shop.localhost', 3)).toEqual(['v2', 'v2', 'v2']);

    // Rollback needs no approval and goes to the previous stable release.
    const back = gantry('rollback', '--env', 'production', '--wait');
    expect(back.status).toBe(0);
    expect(back.stdout).toContain('succeeded');
    expect(await answers(newPort, 'shop.localhost', 3)).toEqual(['v1', 'v1', 'v1']);
    const releases = gantry('releases', '--env', 'production', '--json');
    expect(
      (
        JSON.parse(releases.stdout) as { release: string; trigger: string; approvedBy: string[] }[]
      ).map((r) => [r.release, r.trigger, r.approvedBy]),
    ).toEqual([
      ['v1.0.0', 'rollback', []],
      ['v2.0.0', 'manual', ['bob']],
      ['v1.0.0', 'manual', ['bob']],
    ]);
  }, 90_000);

  it('gives pull requests their own environment and host, and destroys it', async () => {
    repo = createRepo({
      'web/server.js': appServer,
      'web/config.json': JSON.stringify({ version: 'pr', errorRate: 0 }),
      'gantry.yml': gantryYml,
    });
    const deploy = gantry('deploy', '--env', 'pr-42', '--wait');
    expect(deploy.status).toBe(0);
    expect(deploy.stdout).toContain('http://pr-42.shop.localhost:');
    const port = (JSON.parse(gantry('agent', 'status', '--json').stdout) as { port: number }).port;
    expect(await get(port, 'pr-42.shop.localhost')).toBe('pr');
    expect(gantry('env', 'ls').stdout).toMatch(/pr-42 .* expires /);
    expect(gantry('env', 'destroy', 'pr-42').status).toBe(0);
    expect(
      await until(
        () => get(port, 'pr-42.shop.localhost'),
        (a) => a === '404',
      ),
    ).toBe('404');
    const unknown = gantry('deploy', '--env', 'qa');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('GANTRY_DEPLOY_UNKNOWN_ENVIRONMENT');
    expect(unknown.stderr).toContain('pr-<number>');
  }, 60_000);
});

const deployWorkflow = `name: Deploy
on:
  push:
    branches: [main]
  pull_request:
    types: [opened, synchronize, closed]
jobs:
  preview:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: gantry/deploy@v1
        with:
          environment: pr-\${{ github.event.number }}
  auto:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - uses: gantry/deploy@v1
  staging:
    if: github.event_name == 'push'
    runs-on: ubuntu-latest
    steps:
      - id: deploy
        uses: gantry/deploy@v1
        with:
          environment: production
          wait: false
  verify-and-approve:
    needs: staging
    runs-on: ubuntu-latest
    steps:
      - run: echo "staging checks passed"
      - uses: gantry/approve@v1
        with:
          environment: production
          user: bob
          comment: verified by the pipeline
`;

describe('gantry/deploy@v1 and gantry/approve@v1 in workflows', () => {
  it('deploys on push with an approval from a later job, and gives a pull request an environment its closing destroys', async () => {
    repo = createRepo({
      'web/server.js': appServer,
      'web/config.json': JSON.stringify({ version: 'main', errorRate: 0 }),
      'gantry.yml': gantryYml,
      '.github/workflows/deploy.yml': deployWorkflow,
      '.gitignore': '.gantry/\n',
    });
    const push = gantry('run');
    expect(push.status, push.stdout + push.stderr).toBe(0);
    await until(
      () => status('production').environment.stableRelease,
      (s) => s !== null,
    );
    const [deployment] = status('production').deployments;
    expect(deployment).toMatchObject({ status: 'succeeded' });
    const releases = JSON.parse(gantry('releases', '--env', 'production', '--json').stdout) as {
      approvedBy: string[];
      sha: string;
    }[];
    expect(releases[0]!.approvedBy).toEqual(['bob']);
    expect(releases[0]!.sha).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    // The step without environment: deployed where main promotes to.
    expect(status('dev').deployments[0]).toMatchObject({ status: 'succeeded' });
    expect(gantry('deploy', '--auto', '--ref', 'refs/tags/v9.9.9').stdout).toBe(
      'no environment promotes refs/tags/v9.9.9\n',
    );

    git(repo, 'checkout', '-q', '-b', 'feature');
    writeFiles(repo, { 'web/config.json': JSON.stringify({ version: 'feature', errorRate: 0 }) });
    commitAll(repo, 'feature');
    const opened = gantry('run', '--pr', '7', '--base', 'main');
    expect(opened.status, opened.stdout + opened.stderr).toBe(0);
    const port = (JSON.parse(gantry('agent', 'status', '--json').stdout) as { port: number }).port;
    expect(await get(port, 'pr-7.shop.localhost')).toBe('feature');
    expect(await get(port, 'shop.localhost')).toBe('main');

    const closed = gantry('run', '--pr', '7', '--base', 'main', '--action', 'closed');
    expect(closed.status, closed.stdout + closed.stderr).toBe(0);
    expect(
      await until(
        () => get(port, 'pr-7.shop.localhost'),
        (a) => a === '404',
      ),
    ).toBe('404');
    expect(JSON.parse(gantry('env', 'status', 'pr-7', '--json').stdout)).toMatchObject({
      environment: { status: 'destroyed' },
    });
  }, 120_000);
});

describe('gantry migrate contract', () => {
  it('runs the stable release’s contract step in its files and clears the pending contract', async () => {
    repo = createRepo({
      'web/server.js': appServer,
      'web/config.json': JSON.stringify({ version: 'v1', errorRate: 0 }),
      'gantry.yml': gantryYml.replace(
        '    smoke: [/health]\n',
        '    smoke: [/health]\n    migrations: { expand: echo expanded > expand.txt, contract: echo "contracted $GANTRY_RELEASE" > ../contract.txt }\n',
      ),
    });
    expect(gantry('deploy', '--env', 'dev', '--wait').status).toBe(0);
    const pending = JSON.parse(gantry('env', 'status', 'dev', '--json').stdout) as {
      pendingContracts: { app: string }[];
    };
    expect(pending.pendingContracts.map((c) => c.app)).toEqual(['web']);
    expect(gantry('env', 'status', 'dev').stdout).toContain('pending contract migration: web');
    const run = gantry('migrate', 'contract', '--env', 'dev', '--as', 'alice');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('(1 pending)');
    const sha = git(repo, 'rev-parse', 'HEAD').trim().slice(0, 12);
    const contractFile = path.join(repo, '.gantry/deploy/releases/web', sha, 'contract.txt');
    expect(readFileSync(contractFile, 'utf8')).toBe(`contracted ${sha}\n`);
    expect(
      (JSON.parse(gantry('env', 'status', 'dev', '--json').stdout) as { pendingContracts: [] })
        .pendingContracts,
    ).toEqual([]);
  }, 60_000);
});
