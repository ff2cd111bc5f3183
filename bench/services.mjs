// Native Postgres service, start to healthy: a `gantry run` of a job with a `postgres` service
// and one no-op step, minus the same run without the service (the fixed cost of a run), against
// a plain fresh cluster: `initdb` + `pg_ctl start -w` + `pg_ctl stop`. Both sides make a new
// cluster, start it, wait until it accepts connections and stop it; interleaved rounds, medians.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fmt, gantryBin, median, ratio, runOnce, tempRepo, timeRounds } from './lib.mjs';

function postgresBin() {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const dir = path.join(root, v, 'bin');
    if (existsSync(path.join(dir, 'initdb'))) return { dir, version: v };
  }
  throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql');
}

const workflow = (services) => `on: push
jobs:
  j:
    runs-on: x
${services}    steps:
      - run: 'true'
`;

export function services(runs = 10) {
  const pg = postgresBin();
  const withService = tempRepo({
    '.github/workflows/ci.yml': workflow(
      "    services:\n      postgres:\n        image: postgres:16\n        env: { POSTGRES_PASSWORD: pw }\n        ports: ['5432']\n",
    ),
  });
  const without = tempRepo({ '.github/workflows/ci.yml': workflow('') });
  const base = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-pg-'));
  // PostgreSQL refuses to run as root; the plain side runs as `postgres` then, like Gantry.
  const asPostgres = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (asPostgres.length) runOnce('chmod', ['777', base]);
  const data = path.join(base, 'data');
  const script = [
    `'${pg.dir}/initdb' -D '${data}' -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null`,
    `'${pg.dir}/pg_ctl' -D '${data}' -w -l '${base}/log' -o "-p 54329 -k '${base}' -c listen_addresses=127.0.0.1" start >/dev/null`,
    `'${pg.dir}/pg_ctl' -D '${data}' -m fast -w stop >/dev/null`,
  ].join(' && ');
  const [shell, ...shellArgs] = [...asPostgres, 'sh', '-c', script];
  const env = { ...process.env, CI: 'true' };
  try {
    const [g, fixed, plain] = timeRounds(
      [
        { command: process.execPath, args: [gantryBin, 'run'], options: { cwd: withService, env } },
        { command: process.execPath, args: [gantryBin, 'run'], options: { cwd: without, env } },
        {
          command: shell,
          args: shellArgs,
          before: () => rmSync(data, { recursive: true, force: true }),
        },
      ],
      runs,
    ).map(median);
    const share = g - fixed;
    return {
      title: 'Native Postgres service: start to healthy and torn down (`services: postgres`)',
      rows: [
        [`gantry run, job with a postgres service (median of ${runs})`, fmt(g)],
        ['gantry run, same job without the service (fixed cost)', fmt(fixed)],
        ['share of the service: difference of the medians', `${fmt(share)} (target <= 1.3x plain)`],
        [
          `plain initdb + pg_ctl start -w + pg_ctl stop, PostgreSQL ${pg.version}`,
          `${fmt(plain)}; gantry service = ${ratio(share, plain)}`,
        ],
      ],
      target: '<= 1.3x a plain initdb + pg_ctl start -w of a fresh cluster',
      pass: share <= 1.3 * plain,
    };
  } finally {
    for (const dir of [withService, without, base]) rmSync(dir, { recursive: true, force: true });
  }
}
