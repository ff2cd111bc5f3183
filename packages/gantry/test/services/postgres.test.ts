import { existsSync, readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProcessGroupAlive } from '../../src/executor/process.js';
import { postgresDirs } from '../../src/services/postgres.js';
import { client, processesMatching, requireServer, start, withOwnTmpdir } from './helpers.js';

requireServer('postgres', 'postgresql', postgresDirs);
const psql = requireServer('psql', 'postgresql-client', postgresDirs);

describe('postgres service', () => {
  it('runs a cluster configured from the image env, reachable on its port with the password', async () => {
    const { services, lines, logDir } = await start({
      db: {
        image: 'postgres:16-alpine',
        env: { POSTGRES_USER: 'app', POSTGRES_PASSWORD: 's3cret', POSTGRES_DB: 'appdb' },
        ports: ['5432'],
      },
    });
    try {
      const port = services.context()['db']?.ports['5432'];
      expect(port).toMatch(/^\d+$/);
      expect(lines.join('\n')).toContain(`is ready on localhost:${port}`);
      const query = (sql: string, password: string) =>
        client(
          psql,
          ['-X', '-h', 'localhost', '-p', String(port), '-U', 'app', '-d', 'appdb', '-tAc', sql],
          {
            PGPASSWORD: password,
          },
        );
      expect(query('select current_user, current_database()', 's3cret')).toBe('app|appdb');
      // Durability is off: nothing of the cluster outlives the job.
      expect(
        query("select current_setting('fsync'), current_setting('synchronous_commit')", 's3cret'),
      ).toBe('off|off');
      expect(() => query('select 1', 'wrong')).toThrow(/password authentication failed/);
    } finally {
      await services.stop();
    }
    expect(readFileSync(path.join(logDir, 'db.log'), 'utf8')).toMatch(/database system is ready/);
  });

  it('binds the declared host port when it is free and moves aside when it is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as net.AddressInfo).port;
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const env = { POSTGRES_HOST_AUTH_METHOD: 'trust' };
    const { services, lines } = await start({
      a: { image: 'postgres:15', env, ports: [`${free}:5432`] },
      b: { image: 'postgres', env, ports: [`${taken}:5432`] },
    });
    try {
      const context = services.context();
      expect(context['a']?.ports['5432']).toBe(String(free));
      const moved = context['b']?.ports['5432'];
      expect(moved).not.toBe(String(taken));
      expect(lines.join('\n')).toContain(`(port ${taken} was taken)`);
      expect(
        client(psql, [
          '-X',
          '-h',
          '127.0.0.1',
          '-p',
          String(moved),
          '-U',
          'postgres',
          '-tAc',
          'select 42',
        ]),
      ).toBe('42');
    } finally {
      await services.stop();
      blocker.close();
    }
  });

  it('runs a Docker --health-cmd with the connection settings until it passes', async () => {
    const { services, logDir } = await start({
      db: {
        image: 'postgres:16',
        env: { POSTGRES_PASSWORD: 'pw' },
        options:
          '--health-cmd "pg_isready && psql -X -tAc \'select 7\'" --health-interval 10s --health-timeout 5s --health-retries 5',
      },
    });
    await services.stop();
    const log = readFileSync(path.join(logDir, 'db.log'), 'utf8');
    expect(log).toContain("health check `pg_isready && psql -X -tAc 'select 7'` → exit 0");
    expect(log).toMatch(/^7$/m);
  });

  it('fails after --health-retries failed checks, with the log, and leaves nothing running', async () => {
    await withOwnTmpdir(async (root) => {
      const error = await start({
        db: {
          image: 'postgres:16',
          env: { POSTGRES_PASSWORD: 'pw' },
          options: '--health-cmd "exit 3" --health-interval 50ms --health-retries 2',
        },
      }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'GANTRY_SERVICE_FAILED' });
      expect(String((error as Error).message)).toMatch(
        /failed 2 times in a row \(last exit code 3\)/,
      );
      expect(String((error as Error).message)).toMatch(/health check `exit 3`/);
      expect(processesMatching(root)).toEqual([]);
    });
  });

  it('refuses to start without a password, like the official image', async () => {
    const error = await start({ db: { image: 'postgres:16' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GANTRY_SERVICE_FAILED' });
    expect((error as { hint?: string }).hint).toMatch(/POSTGRES_PASSWORD/);
  });

  it('stops the server and removes its data directory', async () => {
    const { services } = await start({
      db: { image: 'postgres', env: { POSTGRES_PASSWORD: 'pw' } },
    });
    const port = services.context()['db']?.ports['5432'];
    const [pid] = processesMatching(`-p ${port} -k`);
    expect(pid).toBeGreaterThan(0);
    const dataDirs = readdirSync(os.tmpdir())
      .filter((d) => d.startsWith('gantry-svc-'))
      .map((d) => path.join(os.tmpdir(), d, 'data'))
      .filter((d) => existsSync(d));
    expect(dataDirs.length).toBeGreaterThan(0);
    await services.stop();
    expect(dataDirs.filter((d) => existsSync(d))).toEqual([]);
    expect(isProcessGroupAlive(pid ?? 0)).toBe(false);
    expect(processesMatching(`-p ${port} -k`)).toEqual([]);
    await services.stop(); // twice is fine
  });
});
