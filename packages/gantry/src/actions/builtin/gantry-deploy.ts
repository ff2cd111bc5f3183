import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GantryError } from '../../errors/index.js';
import { getInput, getRequiredInput } from '../support/inputs.js';
import type { ActionContext, BuiltinAction } from '../types.js';

/**
 * The Gantry CLI the workflow runs in: the step hands the deployment to it, so a workflow
 * deploys exactly as `gantry deploy` does (same agent, same store, same messages).
 */
function cliArgs(ctx: ActionContext, args: readonly string[]): string[] {
  const cli = ctx.env['GANTRY_CLI'] || process.argv[1];
  if (!cli)
    throw new GantryError('GANTRY_INTERNAL', 'cannot find the Gantry CLI to hand the step to');
  return [cli, ...args, '--dir', ctx.repositoryRoot];
}

interface PullRequestEvent {
  readonly number?: number;
  readonly action?: string;
}

function pullRequestEvent(ctx: ActionContext): PullRequestEvent | undefined {
  const name = ctx.env['GITHUB_EVENT_NAME'];
  if (name !== 'pull_request' && name !== 'pull_request_target') return undefined;
  try {
    return JSON.parse(readFileSync(ctx.env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) as PullRequestEvent;
  } catch {
    return undefined;
  }
}

/** The release a step deploys: `release:`, else the tag being built, else the commit. */
function releaseOf(ctx: ActionContext): string {
  const given = getInput(ctx, 'release');
  if (given) return given;
  const ref = ctx.github.ref;
  return ref.startsWith('refs/tags/') ? ref.slice('refs/tags/'.length) : ctx.github.sha;
}

/** What asked for the deployment, as the delivery metrics count it. */
function triggerOf(ctx: ActionContext, pr: PullRequestEvent | undefined): string {
  if (pr) return 'pull_request';
  if (ctx.github.ref.startsWith('refs/tags/')) return 'tag';
  return ctx.env['GITHUB_EVENT_NAME'] === 'push' ? 'push' : 'manual';
}

async function check(ctx: ActionContext, what: string, args: readonly string[]): Promise<void> {
  const result = await ctx.exec(process.execPath, cliArgs(ctx, args));
  if (result.exitCode !== 0)
    throw new GantryError(
      'GANTRY_DEPLOY_FAILED',
      `${what} failed (exit ${result.exitCode ?? result.signal})`,
      {
        hint: 'the lines above say why; gantry env status shows the events',
      },
    );
}

/**
 * `uses: gantry/deploy@v1`: deploys the workflow's commit (or tag) to an environment and,
 * by default, waits for the rollout's outcome. Without `environment:` it deploys to every
 * environment whose `promotion:` rule matches the workflow's ref (main -> dev, a tag ->
 * production). In a pull_request workflow,
 * `environment: pr-${{ github.event.number }}` gets the pull request its own environment;
 * on the `closed` activity the same step destroys it.
 */
export const gantryDeploy: BuiltinAction = {
  name: 'gantry/deploy',
  defaults: { wait: 'true' },
  async run(ctx) {
    const environment = getInput(ctx, 'environment');
    const pr = pullRequestEvent(ctx);
    if (pr?.action === 'closed' && /^pr-\d+$/.test(environment)) {
      ctx.log(`pull request closed: destroying ${environment}`);
      await check(ctx, `destroying ${environment}`, ['env', 'destroy', environment]);
      ctx.setOutput('status', 'destroyed');
      return;
    }
    const args = [
      'deploy',
      ...(environment ? ['--env', environment] : ['--auto', '--ref', ctx.github.ref]),
      '--release',
      releaseOf(ctx),
      '--as',
      ctx.env['GITHUB_ACTOR'] || 'gantry',
    ];
    const strategy = getInput(ctx, 'strategy');
    if (strategy) args.push('--strategy', strategy);
    if (environment) args.push('--trigger', triggerOf(ctx, pr));
    const timeout = getInput(ctx, 'timeout');
    if (timeout) args.push('--timeout', timeout);
    if (getInput(ctx, 'wait') !== 'false') args.push('--wait');
    await check(ctx, `deploying to ${environment || 'the environments it promotes to'}`, args);
    ctx.setOutput('environment', environment);
    ctx.setOutput('status', getInput(ctx, 'wait') === 'false' ? 'requested' : 'succeeded');
  },
};

/**
 * `uses: gantry/approve@v1`: approves (or with `decision: reject`, rejects) a deployment
 * waiting for approval — `deployment:` by number, or the one in progress in `environment:` —
 * as `user:` (default: the workflow's actor), e.g. after a job verified staging.
 */
export const gantryApprove: BuiltinAction = {
  name: 'gantry/approve',
  defaults: { decision: 'approve' },
  async run(ctx) {
    const decision = getInput(ctx, 'decision');
    if (decision !== 'approve' && decision !== 'reject')
      throw new GantryError(
        'GANTRY_INPUT_INVALID',
        `decision must be approve or reject, not '${decision}'`,
      );
    let deployment = getInput(ctx, 'deployment');
    if (!deployment) {
      const environment = getRequiredInput(ctx, 'environment');
      const status = await gantryJson(ctx, ['env', 'status', environment, '--json']);
      const pending = status.deployments.find((d) => d.status === 'pending-approval');
      if (!pending)
        throw new GantryError(
          'GANTRY_DEPLOY_INVALID_STATE',
          `no deployment of ${environment} waits for approval`,
        );
      deployment = String(pending.id);
    }
    const args = [
      decision,
      deployment,
      '--as',
      getInput(ctx, 'user') || ctx.env['GITHUB_ACTOR'] || 'gantry',
    ];
    const comment = getInput(ctx, 'comment');
    if (comment) args.push('--comment', comment);
    await check(ctx, `${decision} deployment ${deployment}`, args);
    ctx.setOutput('deployment', deployment);
  },
};

function gantryJson(
  ctx: ActionContext,
  args: readonly string[],
): Promise<{ deployments: { id: number; status: string }[] }> {
  const out = execFileSync(process.execPath, cliArgs(ctx, args), { encoding: 'utf8' });
  return Promise.resolve(JSON.parse(out) as { deployments: { id: number; status: string }[] });
}
