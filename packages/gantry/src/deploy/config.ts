import { ConfigReader } from './config-reader.js';
import type { AppConfig, DeployConfig, EnvironmentConfig, HttpCheck, Promotion } from './model.js';
import { readStrategy } from './config-strategy.js';

type Path = readonly (string | number)[];

const appKeys = [
  'path',
  'prepare',
  'start',
  'instances',
  'env',
  'readiness',
  'smoke',
  'migrations',
  'stopGrace',
  'startTimeout',
];
const environmentKeys = ['host', 'apps', 'promotion', 'approvals', 'strategy', 'env', 'ephemeral'];

/**
 * Checks the `deploy:`, `apps:` and `environments:` sections of gantry.yml and reports every
 * problem at once with its line. An environment names the apps it runs (all by default) and
 * may only name apps that exist.
 */
export function readDeployConfig(
  data: Record<string, unknown>,
  file: string,
  locate: (path: Path) => number | undefined = () => undefined,
): DeployConfig {
  const reader = new ConfigReader(file, locate);
  const deploy = reader.mapping(data['deploy'], ['deploy'], ['proxy']);
  const proxy = reader.mapping(deploy['proxy'], ['deploy', 'proxy'], ['port', 'metricsPort']);
  const port = reader.integer(proxy, 'port', ['deploy', 'proxy'], { min: 0, max: 65535 }) ?? 8080;
  const metricsPort =
    reader.integer(proxy, 'metricsPort', ['deploy', 'proxy'], { min: 0, max: 65535 }) ?? 9464;

  const apps: Record<string, AppConfig> = {};
  for (const [name, raw] of Object.entries(reader.mapping(data['apps'], ['apps'])))
    apps[name] = readApp(reader, name, raw);

  const environments: Record<string, EnvironmentConfig> = {};
  const rawEnvironments = reader.mapping(data['environments'], ['environments']);
  for (const [name, raw] of Object.entries(rawEnvironments)) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
      reader.problem(
        ['environments', name],
        `environment name '${name}' must be lowercase letters, digits and dashes`,
      );
    environments[name] = readEnvironment(reader, name, raw, Object.keys(apps));
  }
  const templates = Object.values(environments).filter((e) => e.ephemeral);
  for (const extra of templates.slice(1))
    reader.problem(
      ['environments', extra.name, 'ephemeral'],
      `only one environment may be the pull-request template (ephemeral:); ${templates[0]!.name} already is`,
    );
  reader.done();
  return { proxy: { port, metricsPort }, apps, environments };
}

function readApp(reader: ConfigReader, name: string, raw: unknown): AppConfig {
  const path = ['apps', name];
  const record = reader.mapping(raw, path, appKeys);
  const readiness = reader.mapping(
    record['readiness'],
    [...path, 'readiness'],
    ['path', 'interval', 'timeout'],
  );
  const migrations = reader.mapping(
    record['migrations'],
    [...path, 'migrations'],
    ['expand', 'contract', 'pendingLimit', 'policy'],
  );
  const policy = reader.string(migrations, 'policy', [...path, 'migrations']) ?? 'warn';
  if (policy !== 'warn' && policy !== 'block')
    reader.problem([...path, 'migrations', 'policy'], `migrations.policy must be warn or block`);
  const prepare = reader.string(record, 'prepare', path);
  return {
    name,
    path: reader.string(record, 'path', path) ?? '.',
    ...(prepare ? { prepare } : {}),
    start: reader.required(record, 'start', path),
    instances: reader.integer(record, 'instances', path, { min: 1, max: 64 }) ?? 1,
    env: reader.env(record, 'env', path),
    readiness: {
      path: reader.string(readiness, 'path', [...path, 'readiness']) ?? '/',
      intervalMs: reader.duration(readiness, 'interval', [...path, 'readiness']) ?? 1000,
      timeoutMs: reader.duration(readiness, 'timeout', [...path, 'readiness']) ?? 2000,
    },
    smoke: readChecks(reader, record['smoke'], [...path, 'smoke']),
    ...(record['migrations'] === undefined
      ? {}
      : {
          migrations: {
            ...optional('expand', reader.string(migrations, 'expand', [...path, 'migrations'])),
            ...optional('contract', reader.string(migrations, 'contract', [...path, 'migrations'])),
            pendingLimit:
              reader.integer(migrations, 'pendingLimit', [...path, 'migrations'], { min: 0 }) ?? 1,
            policy: policy === 'block' ? 'block' : 'warn',
          },
        }),
    stopGraceMs: reader.duration(record, 'stopGrace', path) ?? 10_000,
    startTimeoutMs: reader.duration(record, 'startTimeout', path) ?? 60_000,
  };
}

function readChecks(reader: ConfigReader, raw: unknown, path: Path): HttpCheck[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    reader.problem(path, `${reader.name(path)} must be a list of checks ({ path, expect })`);
    return [];
  }
  return raw.map((item, i) => {
    if (typeof item === 'string') return { path: item, expect: '2xx' };
    const check = reader.mapping(item, [...path, i], ['path', 'expect']);
    const expect = check['expect'] === undefined ? '2xx' : String(check['expect']);
    if (!/^[1-5](\d\d|xx)$/.test(expect))
      reader.problem([...path, i, 'expect'], `expect must be a status such as 200 or 2xx`);
    return { path: reader.required(check, 'path', [...path, i]), expect };
  });
}

function readEnvironment(
  reader: ConfigReader,
  name: string,
  raw: unknown,
  appNames: readonly string[],
): EnvironmentConfig {
  const path = ['environments', name];
  const record = reader.mapping(raw, path, environmentKeys);
  const apps = reader.strings(record, 'apps', path) ?? appNames;
  for (const app of apps)
    if (!appNames.includes(app))
      reader.problem(
        [...path, 'apps'],
        `environment ${name} names app '${app}', which apps: does not define`,
      );
  const approvals = reader.mapping(
    record['approvals'],
    [...path, 'approvals'],
    ['required', 'approvers'],
  );
  const ephemeral =
    record['ephemeral'] === undefined
      ? undefined
      : reader.mapping(record['ephemeral'], [...path, 'ephemeral'], ['ttl']);
  const host = reader.string(record, 'host', path) ?? `${name}.localhost`;
  if (ephemeral && !host.includes('{number}'))
    reader.problem(
      [...path, 'host'],
      `an ephemeral environment's host needs {number} (e.g. pr-{number}.localhost)`,
    );
  return {
    name,
    host,
    apps,
    promotion: readPromotion(reader, record['promotion'], [...path, 'promotion']),
    approvals: {
      required:
        reader.integer(approvals, 'required', [...path, 'approvals'], { min: 0, max: 10 }) ?? 0,
      approvers: reader.strings(approvals, 'approvers', [...path, 'approvals']) ?? [],
    },
    strategy: readStrategy(reader, record['strategy'], [...path, 'strategy']),
    env: reader.env(record, 'env', path),
    ...(ephemeral
      ? {
          ephemeral: {
            ttlMs: reader.duration(ephemeral, 'ttl', [...path, 'ephemeral']) ?? 72 * 3_600_000,
          },
        }
      : {}),
  };
}

function readPromotion(reader: ConfigReader, raw: unknown, path: Path): Promotion {
  if (raw === undefined || raw === 'manual') return { on: 'manual' };
  const record = reader.mapping(raw, path, ['branch', 'tag']);
  const branches = reader.strings(record, 'branch', path);
  const tags = reader.strings(record, 'tag', path);
  if (branches && tags) reader.problem(path, 'promotion takes branch or tag, not both');
  if (branches) return { on: 'branch', branches };
  if (tags) return { on: 'tag', tags };
  return { on: 'manual' };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
