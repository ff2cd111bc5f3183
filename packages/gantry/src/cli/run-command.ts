import { promises as fs } from 'node:fs';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { GantryError } from '../errors/index.js';
import { collectSecrets } from '../secrets/sources.js';
import type { RunListener } from '../runner/events.js';
import { printPlan } from './plan.js';
import { keyValues, withUsageErrors } from './args.js';
import { printError } from './print-error.js';
import { plainReporter } from './reporters/plain.js';
import { ttyReporter } from './reporters/tty.js';
import { repositoryRoot } from './repo.js';
import { printSummary } from './summary.js';

const help = `Usage: gantry run [options]

Runs the repository's .github/workflows/*.yml on this host for one event, with GitHub's semantics.

Event:
  -e, --event NAME        push (default), pull_request, workflow_dispatch, schedule
      --ref REF           branch or tag (push; default: current branch)
      --before SHA        push: the previous head (default: HEAD~1)
      --base REF          pull_request: base branch (default: the default branch)
      --pr N              pull_request number (implies --event pull_request)
      --action TYPE       pull_request activity type (default: opened)
      --input k=v         workflow_dispatch input (repeatable)
Selection:
  -W, --workflow FILE     run only this workflow file (repeatable)
  -j, --job ID            run only this job and the jobs it needs (repeatable)
Values:
  -s, --secret NAME[=V]   a secret; without =V it is read from the environment (repeatable)
      --secrets-file F    secrets in dotenv format
      --var k=v           a configuration variable, the vars context (repeatable)
Execution:
  -p, --parallel N        jobs running at once (default: number of cores)
      --clean             run on a pristine checkout of HEAD (default: the working tree)
      --plan              show what would run, run nothing
      --json FILE|-       write the run report as JSON (- for stdout)
  -C, --dir DIR           repository directory (default: the current one)

Exit code: 0 success, 1 a job failed, 2 usage or configuration error.`;

export async function main(argv: string[]): Promise<number> {
  const { values } = withUsageErrors(() =>
    parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        event: { type: 'string', short: 'e' },
        ref: { type: 'string' },
        before: { type: 'string' },
        base: { type: 'string' },
        pr: { type: 'string' },
        action: { type: 'string' },
        input: { type: 'string', multiple: true },
        workflow: { type: 'string', short: 'W', multiple: true },
        job: { type: 'string', short: 'j', multiple: true },
        secret: { type: 'string', short: 's', multiple: true },
        'secrets-file': { type: 'string' },
        var: { type: 'string', multiple: true },
        parallel: { type: 'string', short: 'p' },
        clean: { type: 'boolean' },
        plan: { type: 'boolean' },
        json: { type: 'string' },
        dir: { type: 'string', short: 'C' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const pr = values.pr === undefined ? undefined : Number(values.pr);
  if (pr !== undefined && (!Number.isInteger(pr) || pr <= 0))
    throw new GantryError('GANTRY_USAGE', `--pr expects a positive number, got '${values.pr}'`);
  const parallel =
    values.parallel === undefined ? os.availableParallelism() : Number(values.parallel);
  if (!Number.isInteger(parallel) || parallel < 1)
    throw new GantryError(
      'GANTRY_USAGE',
      `--parallel expects a positive number, got '${values.parallel}'`,
    );
  const eventName = values.event ?? (pr !== undefined ? 'pull_request' : 'push');
  const repoRoot = await repositoryRoot(values.dir ?? process.cwd());
  const event = {
    eventName,
    ...(values.ref ? { ref: values.ref } : {}),
    ...(values.before ? { before: values.before } : {}),
    ...(values.base ? { base: values.base } : {}),
    ...(pr !== undefined ? { pr } : {}),
    ...(values.action ? { action: values.action } : {}),
  };
  const inputs = keyValues(values.input, '--input');
  const common = {
    repoRoot,
    event,
    inputs,
    ...(values.workflow ? { workflowFiles: values.workflow } : {}),
    ...(values.job ? { jobs: values.job } : {}),
  };
  if (values.plan) {
    const { planRun } = await import('../runner/plan.js');
    const plan = await planRun(common);
    if (values.json) await writeJson(values.json, plan);
    if (values.json !== '-') printPlan(plan, process.stdout);
    return 0;
  }
  const secrets = await collectSecrets({
    args: values.secret ?? [],
    ...(values['secrets-file'] ? { file: values['secrets-file'] } : {}),
    env: process.env,
  });
  const human = values.json === '-' ? process.stderr : process.stdout;
  const tty =
    (human as NodeJS.WriteStream).isTTY && !process.env['CI']
      ? ttyReporter(human as NodeJS.WriteStream)
      : undefined;
  const listener: RunListener =
    tty?.listener ?? plainReporter(human, process.env['GITHUB_ACTIONS'] === 'true');
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    human.write(
      `\nReceived ${signal}: cancelling (steps get SIGINT, then SIGTERM, then SIGKILL). Press Ctrl-C again to quit at once.\n`,
    );
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = Date.now();
  const { runWorkflows } = await import('../runner/run.js');
  try {
    const report = await runWorkflows({
      ...common,
      secrets,
      vars: keyValues(values.var, '--var'),
      parallel,
      clean: values.clean ?? false,
      ...(process.env['GANTRY_ACTIONS_PATH']
        ? { actionsPath: process.env['GANTRY_ACTIONS_PATH'] }
        : {}),
      signal: controller.signal,
      listener,
      argv,
    });
    tty?.stop();
    if (values.json) await writeJson(values.json, report);
    printSummary(report, human, Date.now() - started, true);
    return report.status === 'success' ? 0 : 1;
  } catch (error) {
    tty?.stop();
    return printError(error);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function writeJson(target: string, value: unknown): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  if (target === '-') process.stdout.write(text);
  else await fs.writeFile(target, text);
}
