import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRepo } from '../helpers/repo.js';
import { runWorkflow } from '../helpers/run.js';
import { postgresDirs } from '../../src/services/postgres.js';
import { processesMatching, requireServer } from './helpers.js';

requireServer('postgres', 'postgresql', postgresDirs);
requireServer('redis-server', 'redis-server');

const bin =
  process.env['GANTRY_BIN'] ?? path.resolve(import.meta.dirname, '../../dist/bin/gantry.mjs');

const workflow = (lastStep: string) => `on: push
jobs:
  integration:
    runs-on: ubuntu-latest
    services:
      postgres:
        image: postgres:16
        env:
          POSTGRES_PASSWORD: pw
          POSTGRES_DB: app
        ports: ['5432']
        options: >-
          --health-cmd pg_isready --health-interval 10s --health-timeout 5s --health-retries 5
      redis:
        image: redis:7
        ports: ['6379']
    env:
      PGPASSWORD: pw
    steps:
      - run: |
          echo "\${{ job.services.postgres.ports['5432'] }} \${{ job.services.redis.ports['6379'] }}" > ports.txt
          pg_isready -h localhost -p \${{ job.services.postgres.ports['5432'] }}
          redis-cli -p \${{ job.services.redis.ports['6379'] }} ping
      - env:
          PGPORT: \${{ job.services.postgres.ports['5432'] }}
        run: psql -X -h localhost -U postgres -d app -tAc "select current_database() || '-ok'"
      - run: ${lastStep}
`;

/** The services of a finished run are gone: no server process on their ports. */
function ports(repo: string): string[] {
  const jobs = path.join(repo, '.gantry', 'runs');
  const [run] = readdirSync(jobs);
  const jobDir = path.join(jobs, run ?? '', 'jobs');
  const [dir] = readdirSync(jobDir);
  return readFileSync(path.join(jobDir, dir ?? '', 'workspace', 'ports.txt'), 'utf8')
    .trim()
    .split(' ');
}

function expectGone([pg, redis]: string[]): void {
  expect(processesMatching(`-p ${pg} -k`)).toEqual([]);
  expect(processesMatching(`127.0.0.1:${redis}`)).toEqual([]);
}

describe('services in a run', () => {
  it('starts postgres and redis for the job, exposes their ports in job.services, and stops them', async () => {
    const run = await runWorkflow(workflow('echo done'));
    const log = run.log('integration');
    expect(run.report.status, log.join('\n')).toBe('success');
    expect(log).toContain('app-ok');
    expect(log).toContain('PONG');
    expect(
      log.some((l) => /Service 'postgres' \(postgres:16\) is ready on localhost:\d+/.test(l)),
    ).toBe(true);
    expectGone(ports(run.repo));
    const logs = path.join(run.repo, '.gantry', 'runs', String(run.report.runId), 'services');
    const [jobDir] = readdirSync(logs);
    expect(readdirSync(path.join(logs, jobDir ?? '')).sort()).toEqual([
      'postgres.log',
      'redis.log',
    ]);
  });

  it('stops the services after a failing step and shows their logs', async () => {
    const run = await runWorkflow(workflow('exit 3'));
    expect(run.report.status).toBe('failure');
    const log = run.log('integration').join('\n');
    expect(log).toMatch(/Service 'postgres' log \(.*postgres\.log\):/);
    expect(log).toContain('database system is ready to accept connections');
    expectGone(ports(run.repo));
  });

  it('fails the job with GANTRY_SERVICE_UNSUPPORTED for an image without a provider', async () => {
    const run = await runWorkflow(`on: push
jobs:
  j:
    runs-on: x
    services:
      db: { image: 'mysql:8.0', env: { MYSQL_ROOT_PASSWORD: pw } }
      cache: { image: 'redis' }
    steps: [{ run: echo should-not-run }]
`);
    expect(run.report.status).toBe('failure');
    const log = run.log('j').join('\n');
    expect(log).toContain('GANTRY_SERVICE_UNSUPPORTED');
    expect(log).toContain("'mysql:8.0'");
    expect(log).toMatch(/postgres.*redis.*rabbitmq/);
    expect(log).not.toContain('should-not-run');
  });

  it('tears the services down when `gantry run` is interrupted with Ctrl-C', async () => {
    const repo = createRepo({ '.github/workflows/ci.yml': workflow('echo waiting; sleep 58.321') });
    const child = spawn(process.execPath, [bin, 'run'], {
      cwd: repo,
      env: { ...process.env, CI: 'true' },
    });
    let out = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!sent && out.includes('waiting')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, out).toBe(1);
    expect(out).toContain('PONG');
    const used = ports(repo);
    expectGone(used);
    expect(existsSync(path.join(repo, '.gantry'))).toBe(true);
  });
});
