import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { LocalCache, defaultMaxBytes, parseSize } from '../cache/local-store.js';
import { RemoteCache, remoteCacheOptionsFromEnv } from '../cache/remote.js';
import { GantryError } from '../errors/index.js';
import { SecretMasker } from '../secrets/masker.js';
import { snapshotFiles } from '../taskfile/fingerprint.js';
import { loadTaskGraph, resolveTaskfile } from '../taskfile/load.js';
import { ParseCache } from '../taskfile/parse-cache.js';
import type { TaskGraph } from '../taskfile/model.js';
import { parseOutputStyle, type OutputStyle } from '../taskfile/output.js';
import { TaskRunner, type TaskRunOptions } from '../taskfile/runner.js';
import { TaskCache } from '../taskfile/task-cache.js';
import { withUsageErrors } from './args.js';
import { BatchedOutput } from './batched-output.js';

const help = `Usage: gantry task [TASK...] [VAR=value...] [-- CLI_ARGS]

Runs tasks from a Taskfile (v3) with go-task's semantics, plus a content-addressed cache:
a task with sources and generates is restored from the local (.gantry/cache) or remote
cache instead of running when nothing it depends on changed.

Options:
  -l, --list          list tasks with a description
  -a, --list-all      list all tasks
      --summary       show a task's summary, dependencies and commands
  -n, --dry           print the commands, run nothing
  -f, --force         run every task even if up to date or cached
  -p, --parallel      run the named tasks in parallel
  -F, --failfast      stop sibling deps when one fails
  -y, --yes           answer yes to every prompt
  -s, --silent        do not print the commands
  -o, --output STYLE  interleaved, group or prefixed
      --output-group-begin T, --output-group-end T, --output-group-error-only
      --explain       say why each task ran, was skipped or was restored
  -w, --watch         run again when a source changes
  -d, --dir DIR       directory of the Taskfile (default: the current one)
  -t, --taskfile F    the Taskfile to use

Environment: GANTRY_CACHE_DIR, GANTRY_CACHE_MAX_SIZE (default 2GiB), GANTRY_CACHE_URL,
GANTRY_CACHE_TOKEN, GANTRY_CACHE_TEAM (or TURBO_API, TURBO_TOKEN, TURBO_TEAM). See docs/cache.md.`;

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
        summary: { type: 'boolean' },
        dry: { type: 'boolean', short: 'n' },
        force: { type: 'boolean', short: 'f' },
        parallel: { type: 'boolean', short: 'p' },
        failfast: { type: 'boolean', short: 'F' },
        yes: { type: 'boolean', short: 'y' },
        silent: { type: 'boolean', short: 's' },
        output: { type: 'string', short: 'o' },
        'output-group-begin': { type: 'string' },
        'output-group-end': { type: 'string' },
        'output-group-error-only': { type: 'boolean' },
        explain: { type: 'boolean' },
        watch: { type: 'boolean', short: 'w' },
        dir: { type: 'string', short: 'd' },
        taskfile: { type: 'string', short: 't' },
      },
    }),
  );
  if (values.help) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  const start =
    values.taskfile !== undefined || values.dir !== undefined
      ? path.resolve(values.taskfile ?? values.dir ?? '.')
      : findUpwards(process.cwd());
  if (!resolveTaskfile(start)) {
    throw new GantryError('GANTRY_WORKFLOW_NOT_FOUND', `no Taskfile found in ${start}`, {
      hint: 'create Taskfile.yml (version: "3"), or pass --dir / --taskfile',
    });
  }
  const names = positionals.filter((p) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(p));
  const cliVars = Object.fromEntries(
    positionals
      .filter((p) => !names.includes(p))
      .map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
  const rootFile = resolveTaskfile(start) ?? start;
  const cacheDir = path.resolve(
    process.env['GANTRY_CACHE_DIR'] ?? path.join(path.dirname(rootFile), '.gantry', 'cache'),
  );
  const parseCache = new ParseCache(path.join(cacheDir, 'taskfiles.json'));
  const graph = withGlobalVars(await loadTaskGraph(start, { parseCache }), cliVars);
  parseCache.flush();
  const targets = names.length > 0 ? names : ['default'];
  if (values.list || values['list-all']) {
    printList(graph, values['list-all'] === true);
    return 0;
  }
  // Like go-task, a task that does not exist shows what does (on stdout) before the error.
  for (const name of targets) {
    const task = graph.tasks.get(graph.aliases.get(name) ?? name);
    if (task?.internal)
      throw new GantryError('GANTRY_USAGE', `task "${name}" is internal`, {
        hint: 'internal tasks can only be called by other tasks',
      });
    if (task === undefined) {
      printList(graph, false);
      throw new GantryError('GANTRY_USAGE', `task "${name}" does not exist`, {
        hint: 'gantry task --list-all shows every task',
      });
    }
  }

  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const rootDir = path.dirname(graph.rootFile);
  // Hundreds of `task: ...` lines in one loop turn go out as one write per stream change.
  const out = new BatchedOutput();
  const warn = (message: string) => out.write(`${message}\n`, 'stderr');
  const masker = loadMasker(process.env);
  const remoteOptions = remoteCacheOptionsFromEnv(process.env, warn);
  const cache = new TaskCache({
    local: new LocalCache(
      cacheDir,
      process.env['GANTRY_CACHE_MAX_SIZE']
        ? parseSize(process.env['GANTRY_CACHE_MAX_SIZE'])
        : defaultMaxBytes,
    ),
    ...(remoteOptions ? { remote: new RemoteCache(remoteOptions) } : {}),
    rootDir,
    mask: (text) => masker.mask(text),
    warn,
  });
  const output = outputStyle(values);
  // `watch: true` on a task named on the command line means --watch (go-task).
  const watching =
    values.watch === true ||
    targets.some(
      (name) => graph.tasks.get(graph.aliases.get(name) ?? name)?.spec['watch'] === true,
    );
  const options = (signal: AbortSignal): TaskRunOptions => ({
    graph,
    env: process.env,
    userWorkingDir: process.cwd(),
    cliArgs,
    // go-task's --force forces every task, deps and called ones too.
    forceAll: values.force === true,
    dry: values.dry ?? false,
    silent: values.silent ?? false,
    explain: values.explain ?? false,
    yes: values.yes ?? false,
    failfast: values.failfast ?? false,
    cache,
    signal,
    watch: watching,
    ...(output ? { output } : {}),
    ...(process.stdin.isTTY
      ? {
          ask: (question: string) => {
            out.flush();
            return ask(question);
          },
        }
      : {}),
    write: out.write,
    flush: out.flush,
  });
  const runAll = async (runner: TaskRunner): Promise<void> => {
    try {
      if (values.parallel) await Promise.all(targets.map((name) => runner.run(name)));
      else for (const name of targets) await runner.run(name);
    } finally {
      await runner.finish();
    }
  };
  try {
    if (values.summary) {
      const runner = new TaskRunner(options(controller.signal));
      const texts = [];
      for (const name of targets) texts.push(await runner.summary(name));
      process.stdout.write(texts.join('\n\n'));
      return 0;
    }
    if (!watching) {
      await runAll(new TaskRunner(options(controller.signal)));
      return 0;
    }
    await watch(
      graph,
      controller.signal,
      (signal) => new TaskRunner(options(signal)),
      runAll,
      (line) => out.write(line, 'stderr'),
    );
    return 0;
  } finally {
    out.flush();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * `VAR=value` on the command line is a global variable in go-task: it overrides the root
 * Taskfile's `vars:` and reaches every task (deps and calls too), below task-level vars.
 */
function withGlobalVars(graph: TaskGraph, vars: Record<string, string>): TaskGraph {
  if (Object.keys(vars).length === 0) return graph;
  const tasks = new Map(
    [...graph.tasks].map(([name, task]) => {
      const [root, ...rest] = task.varLayers;
      return [name, { ...task, varLayers: [{ ...root, ...vars }, ...rest] }] as const;
    }),
  );
  return { ...graph, tasks };
}

/** Without --dir/--taskfile, go-task looks in the current directory, then its parents. */
function findUpwards(cwd: string): string {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    if (resolveTaskfile(dir)) return dir;
    if (path.dirname(dir) === dir) return cwd;
  }
}

function outputStyle(values: {
  output?: string | undefined;
  'output-group-begin'?: string | undefined;
  'output-group-end'?: string | undefined;
  'output-group-error-only'?: boolean | undefined;
}): OutputStyle | undefined {
  if (values.output === undefined) return undefined;
  const style = parseOutputStyle(values.output, '--output');
  if (style.name !== 'group') return style;
  return {
    name: 'group',
    ...(values['output-group-begin'] === undefined ? {} : { begin: values['output-group-begin'] }),
    ...(values['output-group-end'] === undefined ? {} : { end: values['output-group-end'] }),
    ...(values['output-group-error-only'] ? { errorOnly: true } : {}),
  };
}

async function ask(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N]: `);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/**
 * Inside `gantry run`, the step's secrets are listed in the file GANTRY_MASK_FILE names, so
 * what `gantry task` writes to its cache is masked the same way as the job log.
 */
function loadMasker(env: NodeJS.ProcessEnv): SecretMasker {
  const masker = new SecretMasker();
  const file = env['GANTRY_MASK_FILE'];
  if (file && existsSync(file)) {
    for (const value of JSON.parse(readFileSync(file, 'utf8')) as unknown[])
      if (typeof value === 'string') masker.add(value);
  }
  return masker;
}

/**
 * `--watch`: runs the tasks, then polls the sources of every task that ran; on a change the
 * running tasks are stopped (the kill sequence, so servers shut down cleanly) and run again.
 */
async function watch(
  graph: TaskGraph,
  stop: AbortSignal,
  create: (signal: AbortSignal) => TaskRunner,
  runAll: (runner: TaskRunner) => Promise<void>,
  say: (line: string) => void,
): Promise<void> {
  const interval = parseInterval(graph.settings['interval']);
  while (!stop.aborted) {
    const cycle = new AbortController();
    const onStop = () => cycle.abort();
    stop.addEventListener('abort', onStop, { once: true });
    const runner = create(cycle.signal);
    const done = runAll(runner).then(
      () => {
        if (!cycle.signal.aborted) say('task: watching for changes (Ctrl-C to stop)\n');
      },
      (error: unknown) => {
        if (!cycle.signal.aborted)
          say(
            `task: ${error instanceof Error ? error.message : String(error)}; watching for changes\n`,
          );
      },
    );
    for (;;) {
      if (stop.aborted) break;
      await new Promise((resolve) => setTimeout(resolve, interval));
      if (runner.watched.some((w) => snapshotFiles(w.dir, w.sources) !== w.snapshot)) {
        say('task: a source changed, running again\n');
        break;
      }
    }
    cycle.abort();
    await done;
    stop.removeEventListener('abort', onStop);
  }
}

function parseInterval(raw: unknown): number {
  const match = /^(\d+)(ms|s)?$/.exec(String(raw ?? ''));
  if (!match) return 500;
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
}

/**
 * go-task's `--list` layout: root tasks first, then included ones, each alphabetically;
 * `* name:` cells aligned like Go's tabwriter (padding 6), aliases in a third column.
 */
function printList(graph: TaskGraph, all: boolean): void {
  const tasks = [...graph.tasks.values()]
    .filter((t) => !t.internal && (all || t.spec['desc']))
    .sort(
      (a, b) =>
        Number(a.name.includes(':')) - Number(b.name.includes(':')) || a.name.localeCompare(b.name),
    );
  if (tasks.length === 0) {
    process.stdout.write(
      'task: No tasks with description available. Try --list-all to list all tasks\n',
    );
    return;
  }
  const rows = tasks.map((t) => ({
    name: `* ${t.name}: `,
    desc: String(t.spec['desc'] ?? ''),
    aliases: t.aliases.map((a) => a.slice(a.lastIndexOf(':') + 1)),
  }));
  const width = Math.max(...rows.map((r) => r.name.length)) + 6;
  let out = 'task: Available tasks for this project:\n';
  rows.forEach((row, i) => {
    out += row.name.padEnd(width) + row.desc;
    if (row.aliases.length > 0) {
      // Like tabwriter, the alias column is aligned over the run of rows that have one.
      let first = i;
      while (first > 0 && (rows[first - 1]?.aliases.length ?? 0) > 0) first -= 1;
      let last = i;
      while ((rows[last + 1]?.aliases.length ?? 0) > 0) last += 1;
      const descWidth = Math.max(...rows.slice(first, last + 1).map((r) => r.desc.length)) + 6;
      out += `${' '.repeat(descWidth - row.desc.length)}(aliases: ${row.aliases.join(', ')})`;
    }
    out += '\n';
  });
  process.stdout.write(out);
}
