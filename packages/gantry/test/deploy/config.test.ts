import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProjectConfig } from '../../src/cli/project-config.js';
import { readDeployConfig } from '../../src/deploy/config.js';
import { ConfigError } from '../../src/errors/index.js';

function read(yaml: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gantry-deploy-config-'));
  writeFileSync(path.join(dir, 'gantry.yml'), yaml);
  const config = loadProjectConfig(dir);
  if (!config) throw new Error('no config');
  return readDeployConfig(config.data, config.file, config.locate);
}

const seeds = `
deploy:
  proxy: { port: 18080, metricsPort: 19464 }
apps:
  orders-api:
    path: backend
    prepare: uv sync --frozen --no-dev
    start: uv run --frozen uvicorn app.main:app --port $PORT
    instances: 2
    env: { LOG_LEVEL: info, WORKERS: 1 }
    readiness: { path: /health/ready, interval: 500ms, timeout: 2s }
    smoke: [/health/live, { path: /api/orders, expect: 200 }]
    migrations: { expand: alembic upgrade head, contract: alembic upgrade contract@head, pendingLimit: 2, policy: block }
environments:
  dev:
    promotion: { branch: main }
    strategy: { type: recreate }
  staging:
    promotion: { branch: main }
    approvals: { required: 1, approvers: [alice, bob] }
    strategy:
      type: blueGreen
      autoPromotion: false
      scaleDownDelay: 1m
      prePromotionAnalysis:
        metrics: [{ name: errors, measure: error_rate, interval: 5s, count: 3, successCondition: result < 0.01 }]
        load: { rps: 20, path: /api/orders }
  production:
    host: orders.localhost
    promotion: { tag: 'v*.*.*' }
    approvals: { required: 2 }
    strategy:
      type: canary
      steps:
        - setWeight: 10
        - pause: { duration: 30s }
        - analysis:
            metrics:
              - name: error-rate
                interval: 5s
                count: 3
                successCondition: result < 0.05
                failureLimit: 0
              - name: p95
                prometheus: { address: 'http://127.0.0.1:9090', query: 'histogram_quantile(0.95, sum by (le) (rate(x[1m])))' }
                successCondition: result[0] < 300
        - setWeight: 50
        - pause: {}
        - setWeight: 100
  pr:
    host: pr-{number}.localhost
    ephemeral: { ttl: 72h }
    strategy: { type: recreate }
`;

describe('deploy config', () => {
  it("reads the seeds' environments: dev on main, staging blue-green with approval, production canary on tags, PR previews", () => {
    const config = read(seeds);
    expect(config.proxy).toEqual({ port: 18080, metricsPort: 19464 });
    const app = config.apps['orders-api'];
    expect(app).toMatchObject({
      path: 'backend',
      instances: 2,
      env: { LOG_LEVEL: 'info', WORKERS: '1' },
      readiness: { path: '/health/ready', intervalMs: 500, timeoutMs: 2000 },
      smoke: [
        { path: '/health/live', expect: '2xx' },
        { path: '/api/orders', expect: '200' },
      ],
      migrations: { pendingLimit: 2, policy: 'block' },
      stopGraceMs: 10_000,
    });
    expect(config.environments['dev']).toMatchObject({
      host: 'dev.localhost',
      apps: ['orders-api'],
      promotion: { on: 'branch', branches: ['main'] },
      approvals: { required: 0, approvers: [] },
      strategy: { type: 'recreate' },
    });
    expect(config.environments['staging']?.strategy).toMatchObject({
      type: 'blueGreen',
      autoPromotion: false,
      scaleDownDelayMs: 60_000,
      prePromotionAnalysis: {
        metrics: [
          {
            name: 'errors',
            intervalMs: 5000,
            count: 3,
            provider: { kind: 'local', measure: 'error_rate' },
          },
        ],
        load: { rps: 20, path: '/api/orders' },
      },
    });
    const production = config.environments['production'];
    expect(production?.promotion).toEqual({ on: 'tag', tags: ['v*.*.*'] });
    expect(production?.strategy.type === 'canary' && production.strategy.steps).toEqual([
      { setWeight: 10 },
      { pause: { durationMs: 30_000 } },
      {
        analysis: {
          metrics: [
            expect.objectContaining({ name: 'error-rate', failureLimit: 0 }),
            expect.objectContaining({ provider: expect.objectContaining({ kind: 'prometheus' }) }),
          ],
        },
      },
      { setWeight: 50 },
      { pause: {} },
      { setWeight: 100 },
    ]);
    expect(config.environments['pr']).toMatchObject({
      host: 'pr-{number}.localhost',
      ephemeral: { ttlMs: 72 * 3_600_000 },
      promotion: { on: 'manual' },
    });
  });

  it('reports every problem at once with its line', () => {
    try {
      read(`apps:
  web:
    instances: 0
    colour: blue
environments:
  Staging:
    apps: [api]
    strategy:
      type: canary
      steps:
        - setWeight: 150
        - pause: { duration: soon }
        - setWeight: 10
          pause: {}
  preview:
    ephemeral: { ttl: 1d }
  prod:
    strategy:
      type: canary
      steps:
        - analysis:
            metrics: [{ name: errors, successCondition: 'result <', count: 0 }]
  pr:
    host: pr-{number}.localhost
    ephemeral: { ttl: 1h }
`);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((p) => `${p.line ?? '-'}: ${p.message}`);
      expect(problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^4: unknown key 'colour' in apps\.web/),
          expect.stringMatching(/^2: apps\.web needs 'start'/),
          expect.stringMatching(/^3: apps\.web\.instances must be a whole number from 1 to 64/),
          expect.stringMatching(/^6: environment name 'Staging' must be lowercase/),
          expect.stringMatching(/^7: environment Staging names app 'api'/),
          expect.stringMatching(/^11: .*setWeight must be a whole number from 0 to 100/),
          expect.stringMatching(/^12: .*pause\.duration must be a duration/),
          expect.stringMatching(/^13: each step is exactly one of setWeight, pause, analysis/),
          expect.stringMatching(/^16: .*ephemeral\.ttl must be a duration/),
          expect.stringMatching(/host needs \{number\}/),
          expect.stringMatching(/^22: .*count must be a whole number/),
          expect.stringMatching(
            /^25: only one environment may be the pull-request template \(ephemeral:\); preview already is/,
          ),
          expect.stringMatching(/^22: successCondition: .*column/),
        ]),
      );
    }
  });
});

describe('gantry.yml JSON Schema: apps and environments', () => {
  it('accepts what the reader accepts and rejects a misspelt strategy field', async () => {
    const { Ajv } = await import('ajv');
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const schema = JSON.parse(
      readFileSync(new URL('../../schema/gantry.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(parse(seeds)), JSON.stringify(validate.errors)).toBe(true);
    const bad = parse(seeds) as {
      environments: { staging: { strategy: Record<string, unknown> } };
    };
    bad.environments.staging.strategy['autoPromote'] = true;
    expect(validate(bad)).toBe(false);
    expect(
      validate({
        environments: { prod: { strategy: { type: 'canary', steps: [{ setWeight: 101 }] } } },
      }),
    ).toBe(false);
  });
});
