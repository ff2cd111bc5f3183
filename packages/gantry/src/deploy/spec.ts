import { GantryError } from '../errors/index.js';
import type { AppConfig, Approvals, DeployConfig, EnvironmentConfig, Strategy } from './model.js';

/**
 * What one deployment runs, frozen when it is requested: a later edit of gantry.yml changes
 * the next deployment, never a rollout in flight (Argo keeps the pod template in the
 * ReplicaSet for the same reason). Stored with the deployment; the agent needs nothing else.
 */
export interface DeploymentSpec {
  readonly environment: string;
  /** The environment's host; the first app answers there, every app at `<app>.<host>`. */
  readonly host: string;
  readonly apps: readonly AppConfig[];
  /** The environment's values for every instance (DATABASE_URL, ...). */
  readonly env: Readonly<Record<string, string>>;
  readonly strategy: Strategy;
  readonly approvals: Approvals;
}

/** An environment by name: a declared one, or `pr-<n>` made from an ephemeral template. */
export interface ResolvedEnvironment {
  readonly name: string;
  readonly config: EnvironmentConfig;
  readonly host: string;
  readonly kind: 'static' | 'ephemeral';
  readonly prNumber: number | null;
}

export function resolveEnvironment(config: DeployConfig, name: string): ResolvedEnvironment {
  const declared = config.environments[name];
  if (declared && !declared.ephemeral)
    return { name, config: declared, host: declared.host, kind: 'static', prNumber: null };
  const pr = /^pr-(\d+)$/.exec(name);
  const template = Object.values(config.environments).find((e) => e.ephemeral);
  if (pr && template)
    return {
      name,
      config: template,
      host: template.host.replaceAll('{number}', pr[1]!),
      kind: 'ephemeral',
      prNumber: Number(pr[1]),
    };
  const names = Object.values(config.environments)
    .filter((e) => !e.ephemeral)
    .map((e) => e.name);
  throw new GantryError(
    'GANTRY_DEPLOY_UNKNOWN_ENVIRONMENT',
    `there is no environment '${name}' in gantry.yml`,
    {
      hint: `declared: ${names.join(', ') || 'none'}${template ? `; pull requests deploy to pr-<number> (from '${template.name}')` : ''}`,
    },
  );
}

export function deploymentSpec(
  config: DeployConfig,
  environment: ResolvedEnvironment,
  strategy?: Strategy,
): DeploymentSpec {
  return {
    environment: environment.name,
    host: environment.host,
    apps: environment.config.apps.map((name) => config.apps[name]!),
    env: environment.config.env,
    strategy: strategy ?? environment.config.strategy,
    approvals: environment.config.approvals,
  };
}

/** The hosts an app answers on: `<app>.<host>`, and the host itself for the first app. */
export function appHosts(spec: DeploymentSpec, app: string): string[] {
  const own = `${app}.${spec.host}`;
  return spec.apps[0]?.name === app ? [spec.host, own] : [own];
}

/** A strategy by name for `gantry deploy --strategy`: the environment's own, or a plain one. */
export function strategyNamed(name: string, configured: Strategy): Strategy {
  if (name === configured.type) return configured;
  switch (name) {
    case 'recreate':
      return { type: 'recreate' };
    case 'rolling':
      return { type: 'rolling', maxSurge: 1 };
    case 'blueGreen':
      return { type: 'blueGreen', autoPromotion: true, scaleDownDelayMs: 30_000 };
    case 'canary':
      return {
        type: 'canary',
        steps: [{ setWeight: 10 }, { pause: { durationMs: 30_000 } }, { setWeight: 50 }],
        scaleDownDelayMs: 30_000,
      };
    default:
      throw new GantryError(
        'GANTRY_USAGE',
        `--strategy must be recreate, rolling, blueGreen or canary, not '${name}'`,
      );
  }
}

/**
 * The environment of a release's processes and hooks: the agent's base, the app's values,
 * then the environment's (the more specific wins, as a job's `env` over a workflow's), then
 * what Gantry says about the release.
 */
export function instanceEnv(
  base: Readonly<Record<string, string>>,
  spec: Pick<DeploymentSpec, 'environment' | 'env' | 'apps'>,
  app: string,
  release: { readonly name: string; readonly sha: string },
): Record<string, string> {
  const config = spec.apps.find((a) => a.name === app);
  return {
    ...base,
    ...(config?.env ?? {}),
    ...spec.env,
    GANTRY_ENVIRONMENT: spec.environment,
    GANTRY_RELEASE: release.name,
    GANTRY_SHA: release.sha,
  };
}
