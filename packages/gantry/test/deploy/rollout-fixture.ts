import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { readDeployConfig } from '../../src/deploy/config.js';
import { requestDeployment } from '../../src/deploy/requests.js';
import { DeployRuntime } from '../../src/deploy/runtime.js';
import { openStore, type DeploymentRecord, type Store } from '../../src/store/index.js';
import { commitAll, createRepo, git, writeFiles } from '../helpers/repo.js';

/**
 * A tiny app whose behaviour is in its commit: `config.json` sets the version it answers,
 * the share of 5xx answers and an added latency. Releases are commits, as for a user.
 */
export const appServer = `const http = require('node:http');
const config = require('./config.json');
let n = 0;
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  n++;
  const fail = config.errorRate > 0 && (n % Math.round(1 / config.errorRate) === 0);
  setTimeout(() => {
    res.statusCode = fail ? 500 : 200;
    res.end(config.version);
  }, config.delayMs || 0);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

export interface AppBehaviour {
  readonly version: string;
  readonly errorRate?: number;
  readonly delayMs?: number;
}

export class RolloutFixture {
  readonly shas = new Map<string, string>();
  runtime!: DeployRuntime;
  store!: Store;
  readonly logs: string[] = [];

  private constructor(
    readonly repo: string,
    readonly state: string,
    readonly config: ReturnType<typeof readDeployConfig>,
  ) {}

  /** A repository with one commit per release, and a runtime on free ports. */
  static async create(
    environments: Record<string, unknown>,
    releases: readonly AppBehaviour[],
    app: Record<string, unknown> = {},
    options: { metrics?: boolean } = {},
  ): Promise<RolloutFixture> {
    const files = (b: AppBehaviour) => ({
      'web/server.js': appServer,
      'web/config.json': JSON.stringify({ errorRate: 0, delayMs: 0, ...b }),
    });
    const repo = createRepo(files(releases[0]!));
    const config = readDeployConfig(
      {
        apps: {
          web: {
            path: 'web',
            start: 'exec node server.js',
            instances: 2,
            readiness: { path: '/health', interval: '100ms' },
            smoke: ['/health', { path: '/', expect: '2xx' }],
            stopGrace: '2s',
            ...app,
          },
        },
        environments,
      },
      'gantry.yml',
    );
    const fixture = new RolloutFixture(
      repo,
      mkdtempSync(path.join(os.tmpdir(), 'gantry-rollout-')),
      config,
    );
    fixture.shas.set(releases[0]!.version, git(repo, 'rev-parse', 'HEAD').trim());
    for (const release of releases.slice(1)) {
      writeFiles(repo, files(release));
      commitAll(repo, release.version);
      fixture.shas.set(release.version, git(repo, 'rev-parse', 'HEAD').trim());
    }
    fixture.store = await openStore(path.join(fixture.state, 'store'));
    await fixture.startRuntime(options.metrics ? 0 : undefined);
    return fixture;
  }

  async startRuntime(metricsPort?: number): Promise<void> {
    this.runtime = await DeployRuntime.start({
      repoRoot: this.repo,
      stateDir: this.state,
      store: this.store.deploy,
      port: 0,
      ...(metricsPort === undefined ? {} : { metricsPort }),
      log: (line) => this.logs.push(line),
    });
  }

  request(
    environment: string,
    version: string,
    extra: { requestedBy?: string; trigger?: string } = {},
  ) {
    return requestDeployment(this.store.deploy, this.config, {
      environment,
      release: { name: version, sha: this.shas.get(version)!, ref: 'refs/heads/main' },
      requestedBy: extra.requestedBy ?? 'a-new-user',
      trigger: extra.trigger ?? 'manual',
    });
  }

  /** Polls the store until the deployment matches, or fails with its events. */
  async until(
    id: number,
    check: (d: DeploymentRecord) => boolean | Promise<boolean>,
    timeoutMs = 30_000,
  ): Promise<DeploymentRecord> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = (await this.store.deploy.deployment(id))!;
      if (await check(d)) return d;
      if (Date.now() > deadline) {
        const events = await this.store.deploy.events(id);
        throw new Error(
          `deployment ${id} is ${d.status} (step ${d.step}, weight ${d.weight}): ${d.message}\n${events.map((e) => `${e.reason}: ${e.message}`).join('\n')}\n${this.logs.slice(-20).join('\n')}`,
        );
      }
      await delay(50);
    }
  }

  settled(id: number, timeoutMs?: number) {
    return this.until(id, (d) => d.finishedAt !== null, timeoutMs);
  }

  async reasons(id: number): Promise<string[]> {
    return (await this.store.deploy.events(id)).map((e) => e.reason);
  }

  /** GET through the proxy with a Host header. */
  get(host: string, pathname = '/'): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      http
        .get(
          { host: '127.0.0.1', port: this.runtime.proxy.port, path: pathname, headers: { host } },
          (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => (body += chunk.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          },
        )
        .on('error', reject);
    });
  }

  /** The versions answering `n` requests to `host`. */
  async answers(host: string, n = 10): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      const { status, body } = await this.get(host);
      out.push(status === 200 ? body : `${status}`);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.runtime.stop();
    await this.store.close();
    rmSync(this.repo, { recursive: true, force: true });
    rmSync(this.state, { recursive: true, force: true });
  }
}
