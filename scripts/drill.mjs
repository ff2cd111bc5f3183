// The deployment drill (`npm run drill [-- --bad errors|latency]`): the bundled example's
// orders API deployed with Gantry's local provider, as real processes behind Gantry's proxy,
// under real HTTP load. A good release goes to production; a bad one (30 % of requests answer
// 500, or every request takes 300 ms longer) follows as a canary and must be caught by the
// analysis and rolled back; then a fixed release goes to staging blue-green under load, and
// clients must see no failed request across the switch. Prints one JSON object on stdout
// (progress goes to stderr) and exits non-zero when any check fails.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { answers, eventAt, loadDeployApi, seconds, until } from './deploy-api.mjs';
import { createExampleRepo, ensureUv, git } from './example-repo.mjs';

const RELEASES = { good: 'v0.1.0', bad: 'v0.2.0', fix: 'v0.2.1' };
const LOAD_PATH = '/openapi.json';
const REQUESTER = 'drill';
const APPROVER = 'drill-approver';
/** The benchmark target: a bad canary fully rolled back within 15 s at a 5 s interval. */
const ROLLBACK_TARGET_SECONDS = 15;

// The fault spares /health/*: the supervisor's probes must keep the instances in rotation so
// that the analysis, not the readiness check, is what catches the release. It starts with
// the third request, so smoke checks (one request per instance) pass, as an intermittent
// fault would in real life.
const faultModule = `"""A deliberately bad release for Gantry's deployment drill."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

_requests = itertools.count(1)


def install_fault(app: FastAPI, kind: str) -> None:
    @app.middleware("http")
    async def fault(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if request.url.path.startswith("/health/"):
            return await call_next(request)
        n = next(_requests)
        if kind == "errors" and n % 10 in (3, 6, 9):
            return JSONResponse({"detail": "injected fault"}, status_code=500)
        if kind == "latency":
            await asyncio.sleep(0.3)
        return await call_next(request)
`;

function edit(file, from, to) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

/** The releases as tagged commits: good, bad (with the fault), and the fix after it. */
function makeReleases(repo, bad) {
  const backend = path.join(repo, 'backend');
  const version = path.join(backend, 'app', '__init__.py');
  const main = path.join(backend, 'app', 'main.py');
  const original = readFileSync(main, 'utf8');
  git(repo, 'tag', RELEASES.good);
  edit(version, '"0.1.0"', '"0.2.0"');
  writeFileSync(path.join(backend, 'app', 'fault.py'), faultModule);
  edit(
    main,
    'from app.config import Settings\n',
    'from app.config import Settings\nfrom app.fault import install_fault\n',
  );
  edit(
    main,
    '    instrument(app, settings)\n    return app\n',
    `    instrument(app, settings)\n    install_fault(app, "${bad}")\n    return app\n`,
  );
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', `Orders: a change that ${badWords(bad)}`);
  git(repo, 'tag', RELEASES.bad);
  writeFileSync(main, original);
  rmSync(path.join(backend, 'app', 'fault.py'));
  edit(version, '"0.2.0"', '"0.2.1"');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'Revert the faulty change');
  git(repo, 'tag', RELEASES.fix);
  const release = (name) => ({
    name,
    sha: git(repo, 'rev-parse', `${name}^{commit}`).trim(),
    ref: `refs/tags/${name}`,
  });
  return { good: release(RELEASES.good), bad: release(RELEASES.bad), fix: release(RELEASES.fix) };
}

/** `200 v0.1.0 x 180, 500 v0.2.0 x 20`: what a list of answers was. */
function tally(list) {
  const counts = new Map();
  for (const a of list) {
    const key = `${a.status} ${a.release || '-'}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key} x ${n}`).join(', ');
}

const badWords = (bad) =>
  bad === 'latency' ? 'adds 300 ms to every request' : 'answers 30 % of requests with 500';

/** The example's production canary with its analysis measured every `ms` instead. */
function withAnalysisInterval(config, ms) {
  const production = config.environments.production;
  const strategy = production.strategy;
  if (strategy.type !== 'canary' || !strategy.analysis)
    throw new Error('the example has no canary analysis in production');
  const metrics = strategy.analysis.metrics.map((m) => ({
    ...m,
    intervalMs: ms,
    initialDelayMs: ms,
  }));
  return {
    ...config,
    environments: {
      ...config.environments,
      production: {
        ...production,
        strategy: { ...strategy, analysis: { ...strategy.analysis, metrics } },
      },
    },
  };
}

/**
 * Runs the drill and returns its report. `api` is the deployment API (default: bundled from
 * the sources); `intervalSeconds` overrides the production analysis interval of the
 * example's gantry.yml (5 s); `rps` is the clients' steady load.
 */
export async function runDrill(options = {}) {
  const bad = options.bad ?? 'errors';
  if (bad !== 'errors' && bad !== 'latency') throw new Error('bad must be errors or latency');
  const rps = options.rps ?? 50;
  const started = Date.now();
  const log =
    options.log ??
    ((line) =>
      process.stderr.write(
        `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${line}\n`,
      ));
  const checks = [];
  const check = (name, ok, detail) => {
    checks.push({ name, ok: Boolean(ok), ...(detail === undefined ? {} : { detail }) });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail === undefined ? '' : `: ${detail}`}`);
  };

  let api = options.api;
  if (!api) {
    log("building Gantry's deployment side from packages/gantry/src (esbuild)");
    api = await loadDeployApi();
  }
  const uv = ensureUv({ install: options.installUv ?? true });
  if (!uv) throw new Error('the drill needs uv (pip install uv), which manages the example');
  log(`${uv}`);

  const work = mkdtempSync(path.join(os.tmpdir(), 'gantry-drill-'));
  const repo = path.join(work, 'repo');
  let runtime;
  let store;
  const loads = [];
  try {
    log(`copying examples/polyglot-monorepo to ${repo}`);
    mkdirSync(repo);
    createExampleRepo(repo);
    const releases = makeReleases(repo, bad);
    log(`releases: ${RELEASES.good} good, ${RELEASES.bad} ${badWords(bad)}, ${RELEASES.fix} fix`);

    const project = api.loadProjectConfig(repo);
    let config = api.readDeployConfig(project.data, project.file, project.locate);
    if (options.intervalSeconds !== undefined)
      config = withAnalysisInterval(config, options.intervalSeconds * 1000);
    const productionStrategy = config.environments.production.strategy;
    const intervalMs = productionStrategy.analysis.metrics[0].intervalMs;

    store = await api.openStore(path.join(repo, '.gantry'));
    const deploy = store.deploy;
    const controllerLog = [];
    runtime = await api.DeployRuntime.start({
      repoRoot: repo,
      stateDir: path.join(repo, '.gantry', 'deploy'),
      store: deploy,
      port: 0,
      metricsPort: 0,
      log: (line) => {
        controllerLog.push(line);
        log(`  gantry: ${line}`);
      },
    });
    const port = runtime.proxy.port;
    log(`proxy on 127.0.0.1:${port}, metrics on 127.0.0.1:${runtime.proxy.metricsPort}`);

    const describe = async (id) => {
      const d = await deploy.deployment(id);
      const events = await deploy.events(id);
      return `deployment ${id} is ${d?.status} (step ${d?.step}, weight ${d?.weight}): ${d?.message}\n${events.map((e) => `  ${e.reason}: ${e.message}`).join('\n')}\n${controllerLog.slice(-15).join('\n')}`;
    };
    const settled = (id, timeoutMs = 120_000) =>
      until(
        async () => {
          const d = await deploy.deployment(id);
          return d?.finishedAt !== null ? d : undefined;
        },
        { timeoutMs, describe: () => describe(id) },
      );
    const request = (environment, release, trigger) =>
      api.requestDeployment(deploy, config, {
        environment,
        release,
        requestedBy: REQUESTER,
        trigger,
      });
    const approve = async (deployment) => {
      if (deployment.status === 'pending-approval')
        await api.decide(deploy, deployment.id, APPROVER, 'approved', 'drill');
    };
    const production = config.environments.production.host;
    const staging = config.environments.staging.host;

    // 1. The good release: an environment's first deployment takes all traffic once healthy.
    log(`deploying ${RELEASES.good} to production (${production})`);
    const first = await settled((await request('production', releases.good, 'tag')).id);
    check(
      `${RELEASES.good} is stable in production`,
      first.status === 'succeeded' &&
        (await deploy.environment('production'))?.stableRelease === RELEASES.good,
      first.status,
    );

    // 2. The bad release as a canary under steady load.
    const canaryLoad = api.startLoad({
      url: `http://127.0.0.1:${port}`,
      host: production,
      rps,
      path: LOAD_PATH,
    });
    loads.push(canaryLoad);
    await delay(1000);
    log(`deploying ${RELEASES.bad} to production as a canary under ${rps} req/s`);
    const badDeployment = await request('production', releases.bad, 'tag');
    const badFinal = await settled(badDeployment.id);
    // The final status is written first; traffic goes back and the canary stops after it.
    const badEvents = await until(
      async () => {
        const events = await deploy.events(badDeployment.id);
        return events.some((e) => e.reason === 'ScaledDown') ? events : undefined;
      },
      { timeoutMs: 30_000, describe: () => describe(badDeployment.id) },
    ).catch(() => deploy.events(badDeployment.id));
    const canaryStats = await canaryLoad.stop();
    const measurements = await deploy.measurements(badDeployment.id);
    const canaryStart = eventAt(badEvents, 'WeightSet');
    const detected = eventAt(badEvents, 'AnalysisFailed');
    const scaledDown =
      detected === undefined ? undefined : eventAt(badEvents, 'ScaledDown', detected);
    const failedMeasurement = measurements.find((m) => m.phase === 'failed');
    check(
      `${RELEASES.bad} ended failed by its analysis`,
      badFinal.status === 'failed' && detected !== undefined,
      `${badFinal.status}: ${badFinal.message}`,
    );
    check(
      `${RELEASES.bad} got canary traffic first`,
      canaryStart !== undefined && (detected === undefined || canaryStart <= detected),
      badEvents.find((e) => e.reason === 'WeightSet')?.message,
    );
    check(`${RELEASES.bad} was scaled down after the abort`, scaledDown !== undefined);
    check(
      `${RELEASES.good} is still the stable release`,
      (await deploy.environment('production'))?.stableRelease === RELEASES.good,
    );
    const running = runtime.provider.setsOf('production').map((s) => s.release);
    check(
      `only ${RELEASES.good} runs in production`,
      running.length === 1 && running[0] === RELEASES.good,
      running.join(', '),
    );
    const after = await answers(port, production, 200, LOAD_PATH);
    const fromGood = after.filter((a) => a.status === 200 && a.release === RELEASES.good).length;
    check(
      `every request after the rollback answers 200 from ${RELEASES.good}`,
      fromGood === after.length,
      `${fromGood}/${after.length}${fromGood === after.length ? '' : ` (${tally(after)})`}`,
    );
    const canaryServed = runtime.proxy.sample(production, RELEASES.bad);

    // 3. Blue-green: the fix to staging, switched under load.
    log(`deploying ${RELEASES.good} to staging (${staging}) after an approval`);
    const blue = await request('staging', releases.good, 'push');
    await approve(blue);
    const blueFinal = await settled(blue.id);
    check(
      `${RELEASES.good} is stable in staging`,
      blueFinal.status === 'succeeded',
      blueFinal.status,
    );
    log(`deploying ${RELEASES.fix} to staging blue-green`);
    const green = await request('staging', releases.fix, 'push');
    await approve(green);
    await until(
      async () => {
        const d = await deploy.deployment(green.id);
        return d?.status === 'paused' || d?.finishedAt !== null;
      },
      { timeoutMs: 120_000, describe: () => describe(green.id) },
    );
    const preview = await answers(port, `preview.${staging}`, 20, LOAD_PATH);
    check(
      `preview.${staging} answers from ${RELEASES.fix} before the switch`,
      preview.every((a) => a.status === 200 && a.release === RELEASES.fix),
      tally(preview),
    );
    const switchLoad = api.startLoad({
      url: `http://127.0.0.1:${port}`,
      host: staging,
      rps,
      path: LOAD_PATH,
    });
    loads.push(switchLoad);
    await delay(1000);
    log(`promoting ${RELEASES.fix} under ${rps} req/s`);
    const promotedAt = Date.now();
    await api.commandDeployment(deploy, green.id, 'promote', APPROVER);
    const greenFinal = await settled(green.id);
    // Blue stops after the scale-down delay: the load runs on past it, since a route still
    // pointing at stopped instances would show as failed requests only then.
    await until(
      () => {
        const sets = runtime.provider.setsOf('staging');
        return sets.length === 1 && sets[0].release === RELEASES.fix;
      },
      { timeoutMs: 60_000, describe: () => describe(green.id) },
    );
    const blueStoppedAt = Date.now();
    await delay(1000);
    const switchStats = await switchLoad.stop();
    const greenEvents = await deploy.events(green.id);
    check(
      `${RELEASES.fix} was promoted in staging`,
      greenFinal.status === 'succeeded',
      greenFinal.status,
    );
    check(
      'no client saw a failed request across the blue-green switch',
      switchStats.failed === 0 && switchStats.errors5xx === 0,
      `${switchStats.sent} sent, ${switchStats.failed} failed, ${switchStats.errors5xx} 5xx, ${switchStats.dropped} dropped`,
    );
    const stagingAfter = await answers(port, staging, 50, LOAD_PATH);
    check(
      `staging answers from ${RELEASES.fix} after the switch`,
      stagingAfter.every((a) => a.status === 200 && a.release === RELEASES.fix),
    );

    const deployments = (await deploy.deployments({ limit: 50 })).reverse();
    const environments = [];
    for (const name of ['production', 'staging']) {
      const env = await deploy.environment(name);
      environments.push({
        environment: name,
        host: env?.host,
        stableRelease: env?.stableRelease ?? null,
        running: runtime.provider.setsOf(name).map((s) => s.release),
      });
    }
    const rollbackMs =
      canaryStart !== undefined && scaledDown !== undefined ? scaledDown - canaryStart : undefined;
    return {
      ok: checks.every((c) => c.ok),
      example: 'examples/polyglot-monorepo (orders-api, FastAPI on uvicorn, 2 instances)',
      bad,
      badRelease: `${RELEASES.bad}: ${badWords(bad)}`,
      analysisIntervalSeconds: intervalMs / 1000,
      loadRps: rps,
      loadPath: LOAD_PATH,
      detectionSeconds:
        detected !== undefined && canaryStart !== undefined
          ? seconds(detected - canaryStart)
          : null,
      failedMeasurementSeconds:
        failedMeasurement && canaryStart !== undefined
          ? seconds(failedMeasurement.at - canaryStart)
          : null,
      rollbackSeconds:
        detected !== undefined && scaledDown !== undefined ? seconds(scaledDown - detected) : null,
      canaryStartToFullRollbackSeconds: rollbackMs === undefined ? null : seconds(rollbackMs),
      rollbackTarget: {
        seconds: ROLLBACK_TARGET_SECONDS,
        met: rollbackMs !== undefined && rollbackMs <= ROLLBACK_TARGET_SECONDS * 1000,
      },
      failedMeasurement: failedMeasurement
        ? {
            metric: failedMeasurement.metric,
            value: failedMeasurement.value,
            message: failedMeasurement.message,
          }
        : null,
      canary: {
        message: badFinal.message,
        events: badEvents.map((e) => e.reason),
        servedByCanary: { requests: canaryServed.requests, errors5xx: canaryServed.errors },
        clients: canaryStats,
        afterRollback: { requests: after.length, fromGoodRelease: fromGood },
      },
      blueGreen: {
        requests: switchStats.sent,
        ok: switchStats.ok,
        failed: switchStats.failed,
        errors5xx: switchStats.errors5xx,
        dropped: switchStats.dropped,
        switchedAfterSeconds: seconds(
          (eventAt(greenEvents, 'WeightSet') ?? promotedAt) - promotedAt,
        ),
        loadSecondsAfterBlueStopped: seconds(Date.now() - blueStoppedAt),
      },
      final: {
        environments,
        deployments: deployments.map((d) => ({
          id: d.id,
          environment: d.environment,
          release: d.release,
          strategy: d.strategy?.type,
          status: d.status,
          message: d.message,
        })),
      },
      checks,
      durationSeconds: seconds(Date.now() - started),
    };
  } finally {
    for (const load of loads) await load.stop();
    await runtime?.stop();
    await store?.close();
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      bad: { type: 'string', default: 'errors' },
      interval: { type: 'string' },
      rps: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  try {
    const report = await runDrill({
      bad: values.bad,
      ...(values.interval ? { intervalSeconds: Number(values.interval) } : {}),
      ...(values.rps ? { rps: Number(values.rps) } : {}),
      keep: values.keep,
    });
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.exit(report.ok ? 0 : 1);
  } catch (error) {
    process.stderr.write(`drill failed: ${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  }
}
