import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadTaskGraph, resolveTaskfile } from '../taskfile/load.js';
import { TaskRunner } from '../taskfile/runner.js';
import { GantryError } from '../errors/index.js';
import { withUsageErrors } from './args.js';

const help = `Usage: gantry task [TASK...] [VAR=value...] [-- CLI_ARGS]

Runs tasks from a Taskfile (v3) with go-task's semantics: includes, vars, deps in parallel,
cmds in order, status, preconditions, defer, run once.

Options:
  -l, --list        list tasks with a description
  -a, --list-all    list all tasks
  -n, --dry         print the commands, run nothing
  -f, --force       run even if the task is up to date
  -s, --silent      do not print the commands
  -d, --dir DIR     directory of the Taskfile (default: the current one)
  -t, --taskfile F  the Taskfile to use`;

export async function main(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash === -1 ? argv : argv.slice(0, dash);
  const cliArgs = dash === -1 ? [] : argv.slice(dash + 1);
  const { values, positionals } = withUsageErrors(() =>
    parseArgs({
      args: own,
      strict: true,
      allowPositionals: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        list: { type: 'boolean', short: 'l' },
        'list-all': { type: 'boolean', short: 'a' },
        dry: { type: 'boolean', short: 'n' },
        force: { type: 'boolean', short: 'f' },
        silent: { type: 'boolean', short: 's' },
        dir: { type: 'string', short: 'd' },
        taskfile: { type: 'string', short: 't' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const start = path.resolve(values.taskfile ?? values.dir ?? process.cwd());
  if (!resolveTaskfile(start)) {
    throw new GantryError('GANTRY_WORKFLOW_NOT_FOUND', `no Taskfile found in ${start}`, {
      hint: 'create Taskfile.yml (version: "3"), or pass --dir / --taskfile',
    });
  }
  const graph = loadTaskGraph(start);
  if (values.list || values['list-all']) {
    const tasks = [...graph.tasks.values()]
      .filter((t) => !t.internal && (values['list-all'] || t.spec['desc']))
      .sort((a, b) => a.name.localeCompare(b.name));
    const width = Math.max(0, ...tasks.map((t) => t.name.length));
    process.stdout.write('task: Available tasks for this project:\n');
    for (const t of tasks)
      process.stdout.write(`* ${t.name.padEnd(width)}  ${String(t.spec['desc'] ?? '')}\n`);
    return 0;
  }
  const names = positionals.filter((p) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(p));
  const callVars = Object.fromEntries(
    positionals
      .filter((p) => !names.includes(p))
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const runner = new TaskRunner({
      graph,
      env: process.env,
      userWorkingDir: process.cwd(),
      cliArgs,
      force: values.force ?? false,
      dry: values.dry ?? false,
      silent: values.silent ?? false,
      signal: controller.signal,
      write: (text, stream) => (stream === 'stdout' ? process.stdout : process.stderr).write(text),
    });
    for (const name of names.length > 0 ? names : ['default']) await runner.run(name, callVars);
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
