import { mkdirSync } from 'node:fs';
import { GantryError } from '../errors/index.js';
import { list } from './data.js';
import { runProcess } from '../executor/process.js';
import type { TaskDef, TaskGraph } from './model.js';
import { renderTemplate } from './template/evaluate.js';
import { isTruthy } from './template/values.js';
import { resolveVars } from './vars.js';

export interface TaskRunOptions {
  readonly graph: TaskGraph;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userWorkingDir: string;
  readonly cliArgs?: readonly string[];
  readonly force?: boolean;
  readonly dry?: boolean;
  readonly silent?: boolean;
  readonly signal?: AbortSignal;
  /** Where task output and go-task's `task: [name] cmd` lines go. */
  readonly write: (text: string, stream: 'stdout' | 'stderr') => void;
}

type Spec = Record<string, unknown>;

/**
 * Runs tasks with go-task's semantics: `deps` in parallel, then `cmds` in order (`task:` calls
 * included), `preconditions` and `requires` first, `status` to skip up-to-date tasks,
 * `platforms`, `ignore_error`, `defer` (after the task, also on failure, last first),
 * and `run: once | when_changed | always`.
 */
export class TaskRunner {
  private readonly ran = new Map<string, Promise<void>>();
  private readonly shCache = new Map<string, Promise<string>>();

  constructor(private readonly options: TaskRunOptions) {}

  async run(
    name: string,
    callVars: Readonly<Record<string, unknown>> = {},
    fromCli = true,
  ): Promise<void> {
    const task = this.find(name, fromCli);
    const vars = await resolveVars(task, {
      graph: this.options.graph,
      callVars,
      env: this.options.env,
      userWorkingDir: this.options.userWorkingDir,
      shCache: this.shCache,
      ...(this.options.cliArgs ? { cliArgs: this.options.cliArgs } : {}),
    });
    const mode = String(task.spec['run'] ?? this.options.graph.settings['run'] ?? 'always');
    const key =
      mode === 'once'
        ? task.name
        : mode === 'when_changed'
          ? `${task.name}\0${JSON.stringify(callVars)}`
          : undefined;
    if (key === undefined) return this.execute(task, vars);
    let pending = this.ran.get(key);
    if (!pending) {
      pending = this.execute(task, vars);
      this.ran.set(key, pending);
    }
    return pending;
  }

  private find(name: string, fromCli: boolean): TaskDef {
    const graph = this.options.graph;
    const task = graph.tasks.get(name) ?? graph.tasks.get(graph.aliases.get(name) ?? '');
    if (!task || (fromCli && task.internal)) {
      const known = [...graph.tasks.values()]
        .filter((t) => !t.internal)
        .map((t) => t.name)
        .sort();
      throw new GantryError('GANTRY_USAGE', `task "${name}" does not exist`, {
        hint: `tasks: ${known.join(', ') || '(none)'}`,
      });
    }
    return task;
  }

  private async execute(task: TaskDef, vars: Record<string, unknown>): Promise<void> {
    const spec = task.spec;
    if (!platformMatches(spec['platforms'])) return;
    for (const required of list((spec['requires'] as Spec | undefined)?.['vars'])) {
      const name = typeof required === 'string' ? required : String((required as Spec)['name']);
      if (vars[name] === undefined)
        throw new GantryError(
          'GANTRY_USAGE',
          `task "${task.name}" is missing required variable ${name}`,
        );
    }
    await Promise.all(list(spec['deps']).map((dep) => this.call(dep, vars)));
    const dir = renderTemplate(task.dir, vars);
    mkdirSync(dir, { recursive: true });
    // go-task's default precedence: the OS environment beats a Taskfile's `env:` (go-task#436).
    const env = {
      ...stringEnv(
        templated(Object.assign({}, ...task.envLayers, spec['env'] ?? {}) as Spec, vars),
      ),
      ...stringEnv(this.options.env),
    };
    for (const pre of list(spec['preconditions'])) {
      const check = typeof pre === 'string' ? pre : String((pre as Spec)['sh']);
      if ((await this.shell(renderTemplate(check, vars), dir, env, true)) !== 0) {
        const msg =
          typeof pre === 'object' && pre !== null && (pre as Spec)['msg']
            ? renderTemplate(String((pre as Spec)['msg']), vars)
            : `"${check}" failed`;
        throw new GantryError(
          'GANTRY_CONFIG_INVALID',
          `task "${task.name}": precondition not met: ${msg}`,
        );
      }
    }
    const status = list(spec['status']);
    if (!this.options.force && status.length > 0) {
      let upToDate = true;
      for (const check of status)
        if ((await this.shell(renderTemplate(String(check), vars), dir, env, true)) !== 0)
          upToDate = false;
      if (upToDate) {
        this.log(`task: Task "${task.name}" is up to date\n`);
        return;
      }
    }
    const deferred: Array<() => Promise<void>> = [];
    let failure: unknown;
    try {
      for (const cmd of list(spec['cmds'])) {
        const c: Spec = typeof cmd === 'string' ? { cmd } : (cmd as Spec);
        if (!platformMatches(c['platforms'])) continue;
        if ('defer' in c) {
          const d = c['defer'];
          deferred.push(() =>
            typeof d === 'string' ? this.command(task, d, c, vars, dir, env) : this.call(d, vars),
          );
          continue;
        }
        for (const itemVars of loopItems(c['for'], vars, task.name)) {
          const scoped = { ...vars, ...itemVars };
          if ('task' in c) await this.call({ task: c['task'], vars: c['vars'] }, scoped);
          else await this.command(task, String(c['cmd'] ?? ''), c, scoped, dir, env);
        }
      }
    } catch (error) {
      failure = error;
    }
    for (const run of deferred.reverse()) await run().catch((e: unknown) => (failure ??= e));
    if (failure) throw failure;
  }

  private async call(dep: unknown, vars: Record<string, unknown>): Promise<void> {
    const spec: Spec = typeof dep === 'string' ? { task: dep } : (dep as Spec);
    const name = renderTemplate(String(spec['task']), vars);
    await this.run(name, templated((spec['vars'] as Spec | undefined) ?? {}, vars), false);
  }

  private async command(
    task: TaskDef,
    raw: string,
    cmd: Spec,
    vars: Record<string, unknown>,
    dir: string,
    env: Record<string, string>,
  ): Promise<void> {
    const line = renderTemplate(raw, vars);
    const silent =
      this.options.silent ||
      isTruthy(cmd['silent']) ||
      isTruthy(task.spec['silent']) ||
      isTruthy(this.options.graph.settings['silent']);
    if (!silent || this.options.dry) this.log(`task: [${task.name}] ${line}\n`);
    if (this.options.dry) return;
    const code = await this.shell(
      shellOptions(task, cmd, this.options.graph.settings) + line,
      dir,
      env,
      false,
    );
    if (code !== 0 && !isTruthy(cmd['ignore_error']) && !isTruthy(task.spec['ignore_error'])) {
      throw new GantryError(
        'GANTRY_EXEC_SPAWN_FAILED',
        `task "${task.name}" failed: command exited with code ${code}: ${line}`,
      );
    }
  }

  private async shell(
    script: string,
    cwd: string,
    env: Record<string, string>,
    quiet: boolean,
  ): Promise<number> {
    const result = await runProcess({
      command: 'bash',
      args: ['-c', script],
      cwd,
      env,
      ...(this.options.signal ? { signal: this.options.signal } : {}),
      onOutput: (chunk, stream) => {
        if (!quiet) this.options.write(chunk.toString(), stream);
      },
    });
    if (result.failedToStart)
      throw new GantryError('GANTRY_EXEC_SPAWN_FAILED', result.failedToStart);
    return result.exitCode ?? 1;
  }

  private log(text: string): void {
    this.options.write(text, 'stderr');
  }
}

function templated(map: Spec, vars: Record<string, unknown>): Spec {
  return Object.fromEntries(
    Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? renderTemplate(v, vars) : v]),
  );
}

function stringEnv(map: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
      .map(([k, v]) => [k, String(v)]),
  );
}

/** `platforms: [linux, darwin/arm64]` with Go's names; a mismatch skips silently, as go-task does. */
function platformMatches(platforms: unknown): boolean {
  const wanted = list(platforms).map(String);
  if (wanted.length === 0) return true;
  const os =
    ({ win32: 'windows', darwin: 'darwin', linux: 'linux' } as Record<string, string>)[
      process.platform
    ] ?? process.platform;
  const arch =
    ({ x64: 'amd64', arm64: 'arm64' } as Record<string, string>)[process.arch] ?? process.arch;
  return wanted.some((p) => {
    const [o, a] = p.split('/');
    return (o === os || o === arch) && (a === undefined || a === arch);
  });
}

/**
 * `for:` of a command: a list, `{var, split, as}` or `{matrix}`; each iteration gets `ITEM`
 * (or the `as` name). No `for:` means one iteration with no extra variables.
 */
function loopItems(
  spec: unknown,
  vars: Record<string, unknown>,
  taskName: string,
): Array<Record<string, unknown>> {
  if (spec === undefined) return [{}];
  if (Array.isArray(spec)) return spec.map((item) => ({ ITEM: item }));
  if (typeof spec === 'object' && spec !== null) {
    const loop = spec as Spec;
    const as = String(loop['as'] ?? 'ITEM');
    if (loop['var'] !== undefined) {
      const value = vars[String(loop['var'])];
      const items = Array.isArray(value)
        ? value
        : String(value ?? '')
            .split(loop['split'] === undefined ? /\s+/ : String(loop['split']))
            .filter((v) => v !== '');
      return items.map((item) => ({ [as]: item }));
    }
    if (loop['matrix'] !== undefined) {
      let rows: Array<Record<string, unknown>> = [{}];
      for (const [key, values] of Object.entries(loop['matrix'] as Spec)) {
        rows = rows.flatMap((row) => list(values).map((v) => ({ ...row, [key]: v })));
      }
      return rows.map((row) => ({ [as]: row }));
    }
  }
  throw new GantryError(
    'GANTRY_UNSUPPORTED',
    `task "${taskName}": this form of \`for:\` (${JSON.stringify(spec)}) is not supported yet`,
    {
      hint: 'use a list, {var, split, as} or {matrix}; `for: sources` comes with sources support',
    },
  );
}

/** `set:` and `shopt:` of the Taskfile, task and command, as POSIX/bash option lines. */
function shellOptions(
  task: TaskDef,
  cmd: Spec,
  settings: Readonly<Record<string, unknown>>,
): string {
  const set = [...list(settings['set']), ...list(task.spec['set']), ...list(cmd['set'])].map(
    String,
  );
  const shopt = [
    ...list(settings['shopt']),
    ...list(task.spec['shopt']),
    ...list(cmd['shopt']),
  ].map(String);
  return (
    (set.length > 0 ? `set -o ${set.join(' -o ')}\n` : '') +
    (shopt.length > 0 ? `shopt -s ${shopt.join(' ')}\n` : '')
  );
}
