import { parseArgs } from 'node:util';
import { agentDir } from '../deploy/agent.js';
import { releaseAppDir } from '../deploy/release-workspace.js';
import { instanceEnv, type DeploymentSpec } from '../deploy/spec.js';
import { GantryError } from '../errors/index.js';
import { runProcess } from '../executor/process.js';
import { withUsageErrors } from './args.js';
import { currentUser, openDeployWorkspace } from './deploy-support.js';

const help = `Usage: gantry migrate contract --env ENV [--app APP] [--as NAME] [-C DIR]

Runs the contract step of zero-downtime migrations (expand -> migrate -> contract) for the
stable release of ENV: each app's migrations.contract command, in that release's files,
with the environment's values. Pending contracts of the app are then recorded as applied.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        env: { type: 'string', short: 'e' },
        app: { type: 'string' },
        as: { type: 'string' },
        dir: { type: 'string', short: 'C' },
      },
    }),
  );
  if (values.help || positionals[0] !== 'contract' || !values.env) {
    process.stdout.write(`${help}\n`);
    return values.help ? 0 : 2;
  }
  const { root, store } = await openDeployWorkspace(values.dir);
  try {
    const env = await store.deploy.environment(values.env);
    const pending = await store.deploy.contracts(values.env);
    const stable = env?.stableRelease;
    const made = (await store.deploy.deployments({ environment: values.env, limit: 200 })).find(
      (d) => d.release === stable && d.status === 'succeeded',
    );
    if (!stable || !made)
      throw new GantryError('GANTRY_DEPLOY_INVALID_STATE', `${values.env} has no stable release`);
    const spec = made.spec as DeploymentSpec;
    const apps = spec.apps.filter(
      (a) => a.migrations?.contract && (!values.app || a.name === values.app),
    );
    if (values.app && apps.length === 0)
      throw new GantryError(
        'GANTRY_USAGE',
        `app ${values.app} has no contract migration in ${values.env}`,
      );
    const user = currentUser(root, values.as);
    for (const app of apps) {
      const count = pending.filter((c) => c.app === app.name).length;
      process.stdout.write(
        `${app.name}@${stable}: ${app.migrations!.contract} (${count} pending)\n`,
      );
      const result = await runProcess({
        command: 'bash',
        args: ['-c', app.migrations!.contract!],
        cwd: releaseAppDir(agentDir(root), app, stable),
        env: instanceEnv(process.env as Record<string, string>, spec, app.name, {
          name: stable,
          sha: (await store.deploy.release(stable))?.sha ?? '',
        }),
        onOutput: (chunk) => process.stdout.write(chunk),
      });
      if (result.exitCode !== 0)
        throw new GantryError(
          'GANTRY_DEPLOY_FAILED',
          `the contract migration of ${app.name} exited with ${result.exitCode ?? result.signal}; it stays pending`,
        );
      await store.deploy.applyContracts(values.env, app.name, user);
    }
    return 0;
  } finally {
    await store.close();
  }
}
