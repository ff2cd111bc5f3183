import { parseArgs } from 'node:util';
import { readAgentInfo, runAgent } from '../deploy/agent.js';
import { stopAgent } from '../deploy/agent-control.js';
import { GantryError } from '../errors/index.js';
import { withUsageErrors } from './args.js';
import { loadDeployConfig, startAgent } from './deploy-support.js';
import { repositoryRoot } from './repo.js';

const help = `Usage: gantry agent <start | stop | status | run> [-C DIR]

The deployment agent of a repository: Gantry's proxy (deploy.proxy.port in gantry.yml,
default 8080; metrics on deploy.proxy.metricsPort, default 9464), the release processes
and the controller. Deploy commands start it in the background when it is not running.

  start   Start it in the background (log: .gantry/deploy/agent.log)
  stop    Stop it; release processes stop gracefully, traffic ends
  status  Whether it runs, its pid and ports
  run     Run it in the foreground (what start runs)

A new agent resumes every rollout from its last checkpoint and restores each environment's
stable release.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        dir: { type: 'string', short: 'C' },
        json: { type: 'boolean' },
      },
    }),
  );
  const [sub] = positionals;
  if (values.help || !sub) {
    process.stdout.write(`${help}\n`);
    return values.help ? 0 : 2;
  }
  const root = await repositoryRoot(values.dir ?? process.cwd());
  const out = process.stdout;
  switch (sub) {
    case 'start': {
      const info = await startAgent(root);
      out.write(`agent ${info.pid}: proxy on 127.0.0.1:${info.port}\n`);
      return 0;
    }
    case 'stop':
      out.write((await stopAgent(root)) ? 'agent stopped\n' : 'no agent was running\n');
      return 0;
    case 'status': {
      const info = readAgentInfo(root);
      if (values.json) out.write(`${JSON.stringify(info ?? null)}\n`);
      else
        out.write(
          info
            ? `agent ${info.pid} running since ${new Date(info.startedAt).toISOString()}, proxy on 127.0.0.1:${info.port}, metrics on ${info.metricsPort ?? 'none'}\n`
            : 'agent not running\n',
        );
      return info ? 0 : 1;
    }
    case 'run': {
      const config = loadDeployConfig(root);
      await runAgent({
        root,
        port: config.proxy.port,
        metricsPort: config.proxy.metricsPort,
        log: (line) => process.stdout.write(`${new Date().toISOString()} ${line}\n`),
      });
      return 0;
    }
    default:
      throw new GantryError('GANTRY_USAGE', `unknown agent command '${sub}'`, {
        hint: 'see gantry agent --help',
      });
  }
}
