// Progressive delivery with the local provider: how fast a bad canary is caught and rolled
// back with a 5 s analysis interval, and whether a blue-green switch under 1,000 req/s costs
// clients any request. The releases are a tiny Node app (commits of a temporary repository)
// so the numbers are Gantry's, not an interpreter's start-up; `npm run drill` does the same
// with the bundled Python example. The controller, store and proxy come from an esbuild
// bundle of packages/gantry/src (scripts/deploy-api.mjs); the load runs in a child process
// of its own, so it does not share an event loop with the proxy it measures.
import { execFileSync, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { build } from 'esbuild';
import { answers, eventAt, loadDeployApi, until } from '../scripts/deploy-api.mjs';
import { median, root, tempRepo } from './lib.mjs';

const ROUNDS = 3;
const INTERVAL = '5s';
const CANARY_RPS = 100;
const SWITCH_RPS = 1000;
const ROLLBACK_TARGET_S = 15;

/** Releases are commits: config.json says how a release behaves. */
const appServer = `const http = require('node:http');
const config = require('./config.json');
let n = 0;
http.createServer((req, res) => {
  if (req.url === '/health') return res.end('ok');
  n++;
  const fail = config.errorRate > 0 && n % 10 < config.errorRate * 10;
  res.statusCode = fail ? 500 : 200;
  res.end(config.version);
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const loadScript = `import { startLoad } from './load.mjs';
import { performance } from 'node:perf_hooks';
const [url, host, rps, path] = process.argv.slice(2);
const started = performance.now();
const load = startLoad({ url, host, rps: Number(rps), path });
process.on('message', async () => {
  const stats = await load.stop();
  process.send({ ...stats, seconds: (performance.now() - started) / 1000 });
  process.exit(0);
});
process.send('started');
`;

const environments = {
  production: {
    host: 'shop.localhost',
    strategy: {
      type: 'canary',
      scaleDownDelay: '0s',
      steps: [
        { setWeight: 10 },
        { pause: { duration: '30s' } },
        { setWeight: 50 },
        { pause: { duration: '30s' } },
      ],
      analysis: {
        metrics: [
          {
            name: 'error-rate',
            measure: 'error_rate',
            interval: INTERVAL,
            initialDelay: INTERVAL,
            successCondition: 'result < 0.05',
          },
        ],
      },
    },
  },
  staging: {
    host: 'staging.localhost',
    strategy: { type: 'blueGreen', autoPromotion: true, scaleDownDelay: '1s' },
  },
};

/** Load from a child process; `stop()` returns the counts and the seconds it ran. */
async function startLoadProcess(children, script, url, host, rps) {
  const child = fork(script, [url, host, String(rps), '/'], { stdio: 'inherit', execArgv: [] });
  children.push(child);
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`load generator exited ${code}`)));
  });
  return {
    stop: () =>
      new Promise((resolve) => {
        child.once('message', resolve);
        child.send('stop');
      }),
  };
}

export async function deployBench(rounds = ROUNDS) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-bench-deploy-'));
  const files = (version, errorRate = 0) => ({
    'web/server.js': appServer,
    'web/config.json': JSON.stringify({ version, errorRate }),
  });
  const repo = tempRepo(files('good-0'));
  const children = [];
  let runtime;
  let store;
  try {
    await build({
      entryPoints: [path.join(root, 'packages/gantry/src/analysis/load.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: path.join(dir, 'load.mjs'),
      logLevel: 'error',
    });
    const loadProcess = path.join(dir, 'load-process.mjs');
    writeFileSync(loadProcess, loadScript);
    const api = await loadDeployApi();

    const git = (...args) =>
      execFileSync(
        'git',
        ['-c', 'user.name=Bench', '-c', 'user.email=bench@example.com', ...args],
        {
          cwd: repo,
          encoding: 'utf8',
        },
      );
    const releases = new Map([['good-0', git('rev-parse', 'HEAD').trim()]]);
    const commit = (name, errorRate) => {
      for (const [file, content] of Object.entries(files(name, errorRate)))
        writeFileSync(path.join(repo, file), content);
      git('commit', '-q', '-am', name);
      releases.set(name, git('rev-parse', 'HEAD').trim());
    };
    commit('bad', 0.3);
    for (let i = 1; i <= rounds; i++) commit(`good-${i}`, 0);

    const config = api.readDeployConfig(
      {
        apps: {
          web: {
            path: 'web',
            start: 'exec node server.js',
            instances: 2,
            readiness: { path: '/health', interval: '100ms' },
            smoke: ['/health'],
            stopGrace: '2s',
          },
        },
        environments,
      },
      'gantry.yml',
    );
    store = await api.openStore(path.join(dir, 'store'));
    const deploy = store.deploy;
    const log = [];
    runtime = await api.DeployRuntime.start({
      repoRoot: repo,
      stateDir: path.join(dir, 'state'),
      store: deploy,
      port: 0,
      log: (line) => log.push(line),
    });
    const port = runtime.proxy.port;
    const url = `http://127.0.0.1:${port}`;
    const request = (environment, name, sha = releases.get(name)) =>
      api.requestDeployment(deploy, config, {
        environment,
        release: { name, sha, ref: 'refs/heads/main' },
        requestedBy: 'bench',
        trigger: 'manual',
      });
    const settled = (id) =>
      until(
        async () => {
          const d = await deploy.deployment(id);
          return d.finishedAt !== null ? d : undefined;
        },
        {
          timeoutMs: 120_000,
          describe: async () =>
            `${JSON.stringify(await deploy.deployment(id))}\n${log.slice(-20).join('\n')}`,
        },
      );
    const only = (environment, release) => () => {
      const sets = runtime.provider.setsOf(environment);
      return sets.length === 1 && sets[0].release === release;
    };
    for (const environment of Object.keys(environments)) {
      const first = await settled((await request(environment, 'good-0')).id);
      if (first.status !== 'succeeded')
        throw new Error(`good-0 to ${environment}: ${first.message}`);
    }

    // (a) A bad canary (30 % of requests answer 500) under steady load, rolled back.
    const detection = [];
    const rollback = [];
    for (let round = 1; round <= rounds; round++) {
      const load = await startLoadProcess(children, loadProcess, url, 'shop.localhost', CANARY_RPS);
      await delay(500);
      // Each round a release of its own name (same commit), so nothing is reused.
      const bad = await request('production', `bad-${round}`, releases.get('bad'));
      const final = await settled(bad.id);
      const events = await until(async () => {
        const list = await deploy.events(bad.id);
        return list.some((e) => e.reason === 'ScaledDown') ? list : undefined;
      });
      await load.stop();
      const start = eventAt(events, 'WeightSet');
      const failed = eventAt(events, 'AnalysisFailed');
      const down = eventAt(events, 'ScaledDown', failed);
      if (final.status !== 'failed' || start === undefined || failed === undefined)
        throw new Error(`bad-${round} was not rolled back by its analysis: ${final.message}`);
      const back = await answers(port, 'shop.localhost', 50);
      if (!back.every((a) => a.status === 200 && a.release === 'good-0'))
        throw new Error(`after rolling back bad-${round}, not every request reached good-0`);
      detection.push((failed - start) / 1000);
      rollback.push((down - start) / 1000);
    }

    // (b) Blue-green switches under 1,000 req/s, each past the old release's scale-down.
    const switches = [];
    let previous = 'good-0';
    for (let round = 1; round <= rounds; round++) {
      const name = `good-${round}`;
      const load = await startLoadProcess(
        children,
        loadProcess,
        url,
        'staging.localhost',
        SWITCH_RPS,
      );
      await delay(1000);
      const green = await settled((await request('staging', name)).id);
      if (green.status !== 'succeeded') throw new Error(`${name} to staging: ${green.message}`);
      await until(only('staging', name), { timeoutMs: 30_000 });
      await delay(1000);
      const stats = await load.stop();
      const after = await answers(port, 'staging.localhost', 50);
      if (!after.every((a) => a.status === 200 && a.release === name))
        throw new Error(
          `after switching ${previous} to ${name}, not every request reached ${name}`,
        );
      switches.push(stats);
      previous = name;
    }

    const s = (v) => `${v.toFixed(2)} s`;
    const list = (values) => values.map((v) => v.toFixed(2)).join(', ');
    const failures = switches.map((r) => r.failed + r.errors5xx);
    const rates = switches.map((r) => r.sent / r.seconds);
    const medianRollback = median(rollback);
    return {
      title: 'Progressive delivery: bad canary rollback and blue-green switch under load',
      rows: [
        [
          'machine',
          `${os.cpus().length} cores; proxy, controller, 2 instances per release and the load generator share them`,
        ],
        [
          `bad canary (30 % 500s, 10 % weight, ${CANARY_RPS} req/s), ${INTERVAL} analysis interval: canary start to AnalysisFailed`,
          `${s(median(detection))} (rounds: ${list(detection)})`,
        ],
        [
          'canary start to full rollback (traffic on stable, canary stopped)',
          `${s(medianRollback)} (rounds: ${list(rollback)}; target <= ${ROLLBACK_TARGET_S} s)`,
        ],
        [
          `blue-green switch under ${SWITCH_RPS.toLocaleString('en-US')} req/s: failed requests (no answer or 5xx)`,
          `median ${median(failures)}, max ${Math.max(...failures)} (target 0)`,
        ],
        [
          'requests per switch round (through the switch and the old release stopping)',
          switches.map((r) => r.sent.toLocaleString('en-US')).join(', '),
        ],
        [
          'achieved request rate',
          `${Math.round(median(rates)).toLocaleString('en-US')} req/s (dropped by the generator: ${switches.map((r) => r.dropped).join(', ')})`,
        ],
      ],
      target: `bad canary fully rolled back <= ${ROLLBACK_TARGET_S} s (median of ${rounds}); 0 failed requests across blue-green switches under ${SWITCH_RPS.toLocaleString('en-US')} req/s`,
      pass: medianRollback <= ROLLBACK_TARGET_S && Math.max(...failures) === 0,
    };
  } finally {
    // A round that threw leaves its load generator running.
    for (const child of children) if (child.exitCode === null) child.kill();
    await runtime?.stop();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
}
