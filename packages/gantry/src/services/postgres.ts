import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { GantryError } from '../errors/index.js';
import { findBinary, missingBinary } from './binaries.js';
import { runToExit, startDaemon, unprivilegedUser } from './daemon.js';
import { imageName, type ServiceProvider } from './provider.js';
import { serviceFailed } from './wait.js';

/** Where Debian keeps PostgreSQL's server binaries (off PATH), one directory per version. */
export const postgresDirs = ['/usr/lib/postgresql/*/bin'];
const IMAGES = new Set(['postgres', 'postgis/postgis', 'bitnami/postgresql', 'circleci/postgres']);

/** The binaries of one PostgreSQL installation (server and client from the same directory). */
function binaries(image: string, pathVar: string | undefined) {
  const postgres = findBinary('postgres', pathVar, postgresDirs);
  if (!postgres) throw missingBinary(image, 'postgres', 'postgresql');
  const dir = path.dirname(postgres);
  const sibling = (name: string) => {
    const local = path.join(dir, name);
    const found = existsSync(local) ? local : findBinary(name, pathVar, postgresDirs);
    if (!found) throw missingBinary(image, name, 'postgresql');
    return found;
  };
  return {
    postgres,
    dir,
    initdb: sibling('initdb'),
    psql: sibling('psql'),
    isready: sibling('pg_isready'),
  };
}

/**
 * `postgres:*`: a throwaway cluster made with the host's `initdb`, configured like the official
 * image's entrypoint (POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_HOST_AUTH_METHOD,
 * POSTGRES_INITDB_ARGS) and with durability off, as nothing of it outlives the job.
 */
export const postgresProvider: ServiceProvider = {
  name: 'postgres',
  images: ['postgres', 'postgis/postgis (without the PostGIS extension unless installed)'],
  containerPort: 5432,
  readyTimeoutMs: 60_000,
  matches: (image) => IMAGES.has(imageName(image)),
  async start(spec, context) {
    const bin = binaries(spec.image, context.hostEnv['PATH']);
    const user = spec.env['POSTGRES_USER'] || 'postgres';
    const password = spec.env['POSTGRES_PASSWORD'] ?? '';
    const database = spec.env['POSTGRES_DB'] || user;
    const method = spec.env['POSTGRES_HOST_AUTH_METHOD'] || (password ? 'scram-sha-256' : '');
    if (!password && method !== 'trust') {
      // The official image refuses to start like this too; failing here keeps runs alike.
      throw new GantryError(
        'GANTRY_SERVICE_FAILED',
        `service '${spec.id}' (${spec.image}): the superuser password is not set`,
        { hint: 'set env POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD: trust' },
      );
    }
    const runAs = unprivilegedUser('postgres');
    const data = path.join(context.dir, 'data');
    const sockets = path.join(context.dir, 'sock');
    mkdirSync(sockets);
    const pwfile = path.join(context.dir, 'pwfile');
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (runAs) for (const p of [context.dir, sockets, pwfile]) chownSync(p, runAs.uid, runAs.gid);
    const env = { ...context.hostEnv, LC_ALL: 'C', TZ: spec.env['TZ'] ?? 'UTC' };
    const options = {
      env,
      cwd: context.dir,
      logFile: context.logFile,
      runAs,
      signal: context.signal,
    };

    const extra = (spec.env['POSTGRES_INITDB_ARGS'] ?? '').split(/\s+/).filter(Boolean);
    const initdb = await runToExit(
      bin.initdb,
      [
        '-D',
        data,
        '-U',
        user,
        `--pwfile=${pwfile}`,
        '--auth-local=trust',
        `--auth-host=${method}`,
        '-E',
        'UTF8',
        '--locale=C',
        '--no-sync',
        ...extra,
      ],
      options,
    );
    if (initdb !== 0) throw serviceFailed(spec, context, `initdb exited with ${initdb}`);

    const server = startDaemon(
      bin.postgres,
      [
        '-D',
        data,
        '-p',
        String(context.port),
        '-k',
        sockets,
        '-c',
        'listen_addresses=127.0.0.1,::1',
        '-c',
        'fsync=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'synchronous_commit=off',
      ],
      options,
    );
    try {
      if (!(await waitForPostmaster(data, server, context.signal))) {
        const why = server.exited
          ? `postgres exited with ${server.code}`
          : 'postgres did not start within 60 s';
        throw serviceFailed(
          spec,
          context,
          context.signal.aborted ? 'cancelled while starting' : why,
        );
      }
      if (database !== 'postgres') {
        const quoted = `"${database.replaceAll('"', '""')}"`;
        const code = await runToExit(
          bin.psql,
          [
            '-X',
            '-q',
            '-v',
            'ON_ERROR_STOP=1',
            '-h',
            sockets,
            '-p',
            String(context.port),
            '-U',
            user,
            '-d',
            'postgres',
            '-c',
            `CREATE DATABASE ${quoted}`,
          ],
          { ...options, runAs: undefined },
        );
        if (code !== 0) throw serviceFailed(spec, context, `creating database ${quoted} failed`);
      }
    } catch (error) {
      await server.stop();
      throw error;
    }
    const clientEnv = {
      PGHOST: '127.0.0.1',
      PGPORT: String(context.port),
      PGUSER: user,
      PGDATABASE: database,
      PGPASSWORD: password,
    };
    return {
      healthEnv: {
        ...clientEnv,
        PATH: `${context.hostEnv['PATH'] ?? ''}${path.delimiter}${bin.dir}`,
      },
      exited: () => server.exited,
      ready: async (signal) => {
        const code = await runToExit(bin.isready, ['-t', '2'], {
          ...options,
          env: { ...env, ...clientEnv },
          runAs: undefined,
          signal,
        });
        return code === 0;
      },
      stop: () => server.stop(),
    };
  },
};

/**
 * Waits until postmaster.pid says `ready` (what `pg_ctl start -w` waits for), without spawning
 * a client per poll.
 */
async function waitForPostmaster(
  data: string,
  server: { exited: boolean },
  signal: AbortSignal,
): Promise<boolean> {
  const deadline = Date.now() + 60_000;
  while (!server.exited && !signal.aborted && Date.now() < deadline) {
    try {
      const lines = readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n');
      if (lines[7]?.trim() === 'ready') return true;
    } catch {
      // not written yet
    }
    await delay(10);
  }
  return false;
}
