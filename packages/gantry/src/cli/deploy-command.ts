import { parseArgs } from 'node:util';
import { parseDuration } from '../analysis/index.js';
import { GantryError } from '../errors/index.js';
import { finalDeploymentStatuses } from '../store/index.js';
import { requestDeployment, rollbackTarget } from '../deploy/requests.js';
import { resolveEnvironment, strategyNamed } from '../deploy/spec.js';
import { withUsageErrors } from './args.js';
import { promotedEnvironments } from './deploy-promotion.js';
import {
  currentUser,
  type DeployWorkspace,
  finalOutcome,
  followDeployment,
  openDeployWorkspace,
  resolveRelease,
  startAgent,
} from './deploy-support.js';

const deployHelp = `Usage: gantry deploy (--env ENV | --auto [--ref REF]) [--release REF] [--strategy S]
                     [--wait [--timeout 30m]] [--as NAME] [--trigger T] [--json] [-C DIR]

Deploys a release (a tag, branch or commit; default HEAD) to an environment of gantry.yml,
with the environment's strategy (or --strategy recreate|rolling|blueGreen|canary). The
deployment agent (proxy, release processes, controller) starts in the background if it is
not running. With --wait, follows the rollout and exits non-zero unless it succeeds (or is
still going after --timeout). --trigger records what asked for it (push, tag, pull_request;
default manual), for the delivery metrics.
Pull-request environments are pr-<number> (from the environment with ephemeral:).

--auto deploys to every environment whose promotion rule matches the ref (a branch such as
main, or a tag such as v1.2.0; default: the tag or branch of the release), as a push or a
tag would: \`promotion: { branch: main }\`, \`promotion: { tag: 'v*.*.*' }\`.`;

const rollbackHelp = `Usage: gantry rollback --env ENV [--to RELEASE] [--wait] [--as NAME] [-C DIR]

Goes back to the previous stable release of ENV (or RELEASE): a blue-green switch with no
analysis and no approval (the release was approved for ENV before). Within the strategy's
scale-down delay the old release still runs, so traffic switches at once.`;

const options = {
  help: { type: 'boolean', short: 'h' },
  timeout: { type: 'string' },
  env: { type: 'string', short: 'e' },
  wait: { type: 'boolean', short: 'w' },
  as: { type: 'string' },
  json: { type: 'boolean' },
  dir: { type: 'string', short: 'C' },
} as const;

export async function main(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      options: {
        ...options,
        release: { type: 'string', short: 'r' },
        strategy: { type: 'string' },
        auto: { type: 'boolean' },
        ref: { type: 'string' },
        trigger: { type: 'string' },
      },
    }),
  );
  if (values.help || (!values.env && !values.auto)) {
    process.stdout.write(`${deployHelp}\n`);
    return values.help ? 0 : 2;
  }
  const workspace = await openDeployWorkspace(values.dir);
  const { root, store, config } = workspace;
  try {
    if (values.auto) return await deployByPromotion(workspace, values);
    const environment = resolveEnvironment(config, values.env!);
    const strategy = values.strategy
      ? strategyNamed(values.strategy, environment.config.strategy)
      : undefined;
    const release = await resolveRelease(root, values.release);
    const agent = await startAgent(root);
    const deployment = await requestDeployment(store.deploy, config, {
      environment: environment.name,
      release,
      ...(strategy ? { strategy } : {}),
      requestedBy: currentUser(root, values.as),
      trigger: values.trigger ?? 'manual',
    });
    return await report(workspace, deployment.id, agent.port, environment.host, values);
  } finally {
    await store.close();
  }
}

/** `--auto`: one deployment per environment whose promotion rule matches the ref. */
async function deployByPromotion(
  workspace: DeployWorkspace,
  values: {
    release?: string | undefined;
    ref?: string | undefined;
    as?: string | undefined;
    wait?: boolean | undefined;
    json?: boolean | undefined;
    timeout?: string | undefined;
  },
): Promise<number> {
  const { root, store, config } = workspace;
  const release = await resolveRelease(root, values.release);
  const ref = values.ref ?? release.ref;
  const targets = promotedEnvironments(config, ref);
  if (targets.length === 0) {
    process.stdout.write(`no environment promotes ${ref}\n`);
    return 0;
  }
  const agent = await startAgent(root);
  const ids = [];
  for (const environment of targets)
    ids.push(
      (
        await requestDeployment(store.deploy, config, {
          environment: environment.name,
          release,
          requestedBy: currentUser(root, values.as),
          trigger: ref.startsWith('refs/tags/') ? 'tag' : 'push',
        })
      ).id,
    );
  let code = 0;
  for (const [i, id] of ids.entries())
    code = Math.max(code, await report(workspace, id, agent.port, targets[i]!.host, values));
  return code;
}

export async function rollback(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({ args: argv, strict: true, options: { ...options, to: { type: 'string' } } }),
  );
  if (values.help || !values.env) {
    process.stdout.write(`${rollbackHelp}\n`);
    return values.help ? 0 : 2;
  }
  const workspace = await openDeployWorkspace(values.dir);
  const { root, store, config } = workspace;
  try {
    const environment = resolveEnvironment(config, values.env);
    const release = await rollbackTarget(store.deploy, environment.name, values.to);
    const configured = environment.config.strategy;
    const agent = await startAgent(root);
    const deployment = await requestDeployment(store.deploy, config, {
      environment: environment.name,
      release,
      strategy: {
        type: 'blueGreen',
        autoPromotion: true,
        scaleDownDelayMs: 'scaleDownDelayMs' in configured ? configured.scaleDownDelayMs : 30_000,
      },
      requestedBy: currentUser(root, values.as),
      trigger: 'rollback',
      skipApprovals: true,
    });
    return await report(workspace, deployment.id, agent.port, environment.host, values);
  } finally {
    await store.close();
  }
}

async function report(
  { store }: DeployWorkspace,
  id: number,
  port: number,
  host: string,
  values: { wait?: boolean | undefined; json?: boolean | undefined; timeout?: string | undefined },
): Promise<number> {
  const out = process.stdout;
  const deployment = (await store.deploy.deployment(id))!;
  if (!values.json)
    out.write(
      `deployment ${id}: ${deployment.release} -> ${deployment.environment} (${(deployment.strategy as { type: string }).type}), ${deployment.status}\n  serves at http://${host}:${port}/\n`,
    );
  if (deployment.status === 'pending-approval' && !values.json)
    out.write(`  ${deployment.message}\n`);
  if (!values.wait) {
    if (values.json) out.write(`${JSON.stringify(deployment, null, 2)}\n`);
    return 0;
  }
  const timeoutMs = values.timeout === undefined ? Infinity : parseDuration(values.timeout);
  const final = await followDeployment(store, id, values.json ? process.stderr : out, timeoutMs);
  if (!finalDeploymentStatuses.includes(final.status))
    throw new GantryError(
      'GANTRY_DEPLOY_FAILED',
      `deployment ${id} is still ${final.status} after ${values.timeout}: ${final.message ?? ''}`,
      {
        hint: `it goes on in the agent; gantry env status ${final.environment} follows it, gantry abort ${id} stops it`,
      },
    );
  if (values.json) out.write(`${JSON.stringify(final, null, 2)}\n`);
  return finalOutcome(final, values.json ? process.stderr : out);
}
