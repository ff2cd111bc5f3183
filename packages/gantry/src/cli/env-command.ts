import { parseArgs } from 'node:util';
import { readAgentInfo } from '../deploy/agent.js';
import { GantryError } from '../errors/index.js';
import type { Store } from '../store/index.js';
import { withUsageErrors } from './args.js';
import { color } from './color.js';
import { openDeployWorkspace, startAgent } from './deploy-support.js';

const help = `Usage: gantry env <ls | status ENV | destroy ENV | gc> [--json] [-C DIR]

  ls           Environments with their stable release, host and any rollout in progress
  status ENV   One environment: its rollout (step, weight, events, measurements), history
  destroy ENV  Stops an environment's releases and removes its route (pull-request ones)
  gc           Destroys pull-request environments past their ttl`;

const releasesHelp = `Usage: gantry releases --env ENV [--json] [-C DIR]

The releases an environment ran, newest first, with who deployed them and the outcome.`;

const options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  env: { type: 'string', short: 'e' },
  dir: { type: 'string', short: 'C' },
} as const;

const when = (at: number | null) =>
  at === null ? '-' : new Date(at).toISOString().replace('T', ' ').slice(0, 19);

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({ args: argv, strict: true, allowPositionals: true, options }),
  );
  const [sub, name] = positionals;
  if (values.help || !sub) {
    process.stdout.write(`${help}\n`);
    return values.help ? 0 : 2;
  }
  const { root, store } = await openDeployWorkspace(values.dir);
  const out = process.stdout;
  try {
    switch (sub) {
      case 'ls':
        return await list(store, root, values.json === true, out);
      case 'status':
        return await status(store, root, required(name, sub), values.json === true, out);
      case 'destroy': {
        const env = await store.deploy.environment(required(name, sub));
        if (!env || env.status === 'destroyed')
          throw new GantryError(
            'GANTRY_DEPLOY_UNKNOWN_ENVIRONMENT',
            `there is no active environment '${name}'`,
          );
        for (const d of await store.deploy.activeDeployments())
          if (d.environment === env.name)
            await store.deploy.updateDeployment(d.id, { command: 'abort' });
        await store.deploy.destroyEnvironment(env.name);
        if (readAgentInfo(root)) await startAgent(root);
        out.write(`environment ${env.name} destroyed; the agent stops its releases\n`);
        return 0;
      }
      case 'gc': {
        const now = Date.now();
        const expired = (await store.deploy.environments()).filter(
          (e) => e.kind === 'ephemeral' && e.expiresAt !== null && e.expiresAt < now,
        );
        for (const env of expired) await store.deploy.destroyEnvironment(env.name);
        out.write(
          expired.length === 0
            ? 'no expired environments\n'
            : `destroyed ${expired.map((e) => e.name).join(', ')}\n`,
        );
        return 0;
      }
      default:
        throw new GantryError('GANTRY_USAGE', `unknown env command '${sub}'`, {
          hint: 'see gantry env --help',
        });
    }
  } finally {
    await store.close();
  }
}

function required(name: string | undefined, sub: string): string {
  if (!name) throw new GantryError('GANTRY_USAGE', `gantry env ${sub} needs an environment name`);
  return name;
}

async function list(store: Store, root: string, json: boolean, out: NodeJS.WritableStream) {
  const envs = await store.deploy.environments();
  const active = await store.deploy.activeDeployments();
  const agent = readAgentInfo(root);
  if (json) {
    out.write(`${JSON.stringify({ agent: agent ?? null, environments: envs, active }, null, 2)}\n`);
    return 0;
  }
  const c = color(out);
  out.write(
    agent
      ? c.gray(`agent ${agent.pid}, proxy on port ${agent.port}\n`)
      : c.gray('agent not running\n'),
  );
  if (envs.length === 0) out.write('No environments yet. Deploy with `gantry deploy --env ENV`.\n');
  for (const env of envs) {
    const rollout = active.filter((d) => d.environment === env.name).at(-1);
    const expires = env.expiresAt ? c.gray(` expires ${when(env.expiresAt)}`) : '';
    out.write(
      `${c.bold(env.name.padEnd(14))} ${(env.stableRelease ?? '-').padEnd(14)} http://${env.host}${agent ? `:${agent.port}` : ''}/${expires}\n`,
    );
    if (rollout)
      out.write(
        `  deployment ${rollout.id}: ${rollout.release} ${rollout.status}, ${rollout.weight}%${rollout.message ? ` — ${rollout.message}` : ''}\n`,
      );
  }
  return 0;
}

async function status(
  store: Store,
  root: string,
  name: string,
  json: boolean,
  out: NodeJS.WritableStream,
) {
  const env = await store.deploy.environment(name);
  if (!env)
    throw new GantryError(
      'GANTRY_DEPLOY_UNKNOWN_ENVIRONMENT',
      `there is no environment '${name}' yet`,
    );
  const deployments = await store.deploy.deployments({ environment: name, limit: 10 });
  const current = deployments[0];
  const events = current ? await store.deploy.events(current.id) : [];
  const measurements = current ? await store.deploy.measurements(current.id) : [];
  const contracts = await store.deploy.contracts(name);
  if (json) {
    out.write(
      `${JSON.stringify({ environment: env, deployments, events, measurements, pendingContracts: contracts }, null, 2)}\n`,
    );
    return 0;
  }
  const c = color(out);
  const agent = readAgentInfo(root);
  out.write(
    `${c.bold(env.name)} (${env.kind}${env.status === 'destroyed' ? ', destroyed' : ''}) http://${env.host}${agent ? `:${agent.port}` : ''}/\n`,
  );
  out.write(`stable release: ${env.stableRelease ?? 'none'}\n`);
  for (const contract of contracts)
    out.write(c.yellow(`pending contract migration: ${contract.app} from ${contract.release}\n`));
  if (current) {
    out.write(
      `\ndeployment ${current.id}: ${current.release} ${current.status}, step ${current.step}, ${current.weight}% of traffic${current.message ? `\n  ${current.message}` : ''}\n`,
    );
    for (const e of events)
      out.write(`  ${c.gray(when(e.at).slice(11))} ${c.bold(e.reason)} ${e.message}\n`);
    for (const m of measurements.slice(-10))
      out.write(
        c.gray(
          `  ${m.analysis}/${m.metric} ${m.phase} ${JSON.stringify(m.value)}${m.message ? ` ${m.message}` : ''}\n`,
        ),
      );
  }
  if (deployments.length > 1) {
    out.write('\nearlier:\n');
    for (const d of deployments.slice(1))
      out.write(
        `  ${d.id} ${d.release.padEnd(14)} ${d.status.padEnd(11)} ${when(d.createdAt)} by ${d.requestedBy}\n`,
      );
  }
  return 0;
}

export async function releases(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() => parseArgs({ args: argv, strict: true, options }));
  if (values.help || !values.env) {
    process.stdout.write(`${releasesHelp}\n`);
    return values.help ? 0 : 2;
  }
  const { store } = await openDeployWorkspace(values.dir);
  try {
    const deployments = await store.deploy.deployments({ environment: values.env, limit: 200 });
    const rows = [];
    for (const d of deployments) {
      const release = await store.deploy.release(d.release);
      const approvals = (await store.deploy.approvals(d.id)).filter(
        (a) => a.decision === 'approved',
      );
      rows.push({
        deployment: d.id,
        release: d.release,
        sha: release?.sha ?? null,
        status: d.status,
        strategy: (d.strategy as { type: string }).type,
        trigger: d.trigger,
        requestedBy: d.requestedBy,
        approvedBy: approvals.map((a) => a.user),
        createdAt: d.createdAt,
        finishedAt: d.finishedAt,
      });
    }
    if (values.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    else
      for (const r of rows)
        process.stdout.write(
          `${String(r.deployment).padStart(4)} ${r.release.padEnd(14)} ${(r.sha ?? '').slice(0, 12)} ${r.status.padEnd(11)} ${r.strategy.padEnd(9)} ${when(r.createdAt)} ${r.trigger} by ${r.requestedBy}${r.approvedBy.length ? `, approved by ${r.approvedBy.join(', ')}` : ''}\n`,
        );
    return 0;
  } finally {
    await store.close();
  }
}
