import { parseArgs } from 'node:util';
import {
  activeDeploymentOf,
  commandDeployment,
  decide,
  findDeployment,
} from '../deploy/requests.js';
import { GantryError } from '../errors/index.js';
import { withUsageErrors } from './args.js';
import { currentUser, openDeployWorkspace, startAgent } from './deploy-support.js';

const helps: Record<string, string> = {
  approve: `Usage: gantry approve DEPLOYMENT [--as NAME] [--comment TEXT] [-C DIR]

Approves a deployment waiting for approval (gantry env status lists them). Only the
environment's approvers count; without a list, anyone but the requester.`,
  reject: `Usage: gantry reject DEPLOYMENT [--as NAME] [--comment TEXT] [-C DIR]

Rejects a deployment waiting for approval; it ends rejected and never starts.`,
  promote: `Usage: gantry promote (DEPLOYMENT | --env ENV) [--full] [-C DIR]

Lets a paused rollout go on: past a pause without duration, a blue-green release waiting
for promotion, or an inconclusive analysis. --full skips every remaining step to 100 %.`,
  abort: `Usage: gantry abort (DEPLOYMENT | --env ENV) [-C DIR]

Aborts a rollout: traffic goes back to the stable release at once and the new release
stops. The deployment ends aborted.`,
};

const options = {
  help: { type: 'boolean', short: 'h' },
  as: { type: 'string' },
  comment: { type: 'string', short: 'm' },
  env: { type: 'string', short: 'e' },
  full: { type: 'boolean' },
  dir: { type: 'string', short: 'C' },
} as const;

/** `gantry approve|reject|promote|abort`: writes the user's decision for the agent. */
export function command(name: 'approve' | 'reject' | 'promote' | 'abort') {
  return async (argv: string[]): Promise<number> => {
    const { values, positionals } = withUsageErrors(() =>
      parseArgs({ args: argv, strict: true, allowPositionals: true, options }),
    );
    const usesEnv = name === 'promote' || name === 'abort';
    if (values.help || (positionals.length === 0 && !(usesEnv && values.env))) {
      process.stdout.write(`${helps[name]}\n`);
      return values.help ? 0 : 2;
    }
    const workspace = await openDeployWorkspace(values.dir);
    const { root, store } = workspace;
    try {
      const user = currentUser(root, values.as);
      const id = positionals[0] === undefined ? undefined : Number(positionals[0]);
      if (id !== undefined && !Number.isInteger(id))
        throw new GantryError('GANTRY_USAGE', `'${positionals[0]}' is not a deployment number`);
      let deployment =
        id !== undefined
          ? await findDeployment(store.deploy, id)
          : await activeDeploymentOf(store.deploy, values.env!);
      if (name === 'approve' || name === 'reject')
        deployment = await decide(
          store.deploy,
          deployment.id,
          user,
          name === 'approve' ? 'approved' : 'rejected',
          values.comment,
        );
      else
        deployment = await commandDeployment(
          store.deploy,
          deployment.id,
          name === 'abort' ? 'abort' : values.full ? 'promote-full' : 'promote',
          user,
        );
      // The agent carries the decision out; make sure one runs to see it.
      await startAgent(root);
      process.stdout.write(
        `deployment ${deployment.id} (${deployment.release} -> ${deployment.environment}): ${name === 'approve' ? 'approved' : name === 'reject' ? 'rejected' : `${name} requested`} by ${user}\n`,
      );
      return 0;
    } finally {
      await store.close();
    }
  };
}
