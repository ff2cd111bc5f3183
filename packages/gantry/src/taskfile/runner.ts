import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { LogChunk } from '../cache/artifact.js';
import { LocalCache } from '../cache/local-store.js';
import { cacheSalt } from '../cache/manifest.js';
import { GantryError } from '../errors/index.js';
import { runProcess } from '../executor/process.js';
import {
  environmentAltersBuiltins,
  plainBuiltin,
  type BuiltinOutcome,
} from '../executor/shell-builtin.js';
import { isRecord, list } from './data.js';
import { globSpecs, matchFiles, snapshotFiles, type GlobSpec } from './fingerprint.js';
import type { TaskDef, TaskGraph } from './model.js';
import { openCommandOutput, parseOutputStyle, type Emit, type OutputStyle } from './output.js';
import { TaskCache, parseMethod } from './task-cache.js';
import { renderTemplate } from './template/evaluate.js';
import { isTruthy } from './template/values.js';
import { deepRender, dynamicValue, resolveVarsNow } from './vars.js';

export interface TaskRunOptions {
  readonly graph: TaskGraph;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userWorkingDir: string;
  readonly cliArgs?: readonly string[];
  /** Run the tasks named on the command line even if up to date (not their deps). */
  readonly force?: boolean;
  /** Run every task even if up to date. */
  readonly forceAll?: boolean;
  readonly dry?: boolean;
  readonly silent?: boolean;
  readonly signal?: AbortSignal;
  /** `--output`: overrides the Taskfile's `output:`. */
  readonly output?: OutputStyle;
  /** Say why each task ran, was skipped or was restored (`--explain`). */
  readonly explain?: boolean;
  /** `--yes`: answer every `prompt:` with yes. */
  readonly yes?: boolean;
  /** Asks a `prompt:`; absent when there is no terminal to ask on. */
  readonly ask?: (question: string) => Promise<boolean>;
  /** Stop sibling deps at the first failure (as `failfast: true` on every task). */
  readonly failfast?: boolean;
  /** The task cache; by default the local one under `<root>/.gantry/cache`. */
  readonly cache?: TaskCache;
  /** The platform in Go's names, `linux/amd64`; part of cache keys. */
  readonly platform?: string;
  /** Record the sources of every task that runs, for `--watch`. */
  readonly watch?: boolean;
  /** Where task output and go-task's `task: [name] cmd` lines go. */
  readonly write: Emit;
  /** Delivers what `write` may still hold, before a command takes over the terminal. */
  readonly flush?: () => void;
}

type Spec = Record<string, unknown>;

/** How a task was reached: from the command line, or from a dep / `task:` call. */
interface Call {
  readonly indirect: boolean;
  readonly silent: boolean;
  /** Where this task's output goes (a caller recording its log, or the terminal). */
  readonly emit: Emit;
  /** Where Gantry's own lines go (`task: [name] cmd`): never into a cached log. */
  readonly echo: Emit;
}

/** Task definition keys that do not change what a task does or produces. */
const descriptiveKeys = new Set(['desc', 'summary', 'aliases', 'internal', 'prompt', 'watch']);

/** Logs larger than this are not cached (the outputs still are restored, the log is not). */
const maxLogBytes = 16 * 1024 * 1024;

/**
 * Runs tasks with go-task's semantics: `requires` and `if` first, `deps` in parallel, then
 * `preconditions` and the up-to-date check (`status`, `sources`/`method`), `prompt`, and
 * `cmds` in order (`task:` calls included), with `platforms`, `ignore_error`, `defer` (after
 * the task, also on failure, last first), `run: once | when_changed | always` and the
 * `output:` styles. On top, tasks with `sources:` + `generates:` are content-addressed: a hit
 * in the local or remote cache restores their outputs and replays their log instead of
 * running them.
 */
export class TaskRunner {
  private readonly ran = new Map<string, Promise<string>>();
  /** Aborted when a `failfast` dep fails: every running command of this runner is stopped. */
  private readonly failfast = new AbortController();
  private readonly signal: AbortSignal;
  private readonly shCache = new Map<string, Promise<string>>();
  private readonly cache: TaskCache;
  private readonly rootDir: string;
  private readonly style: OutputStyle;
  /** The OS environment as strings, once: every command's environment starts from it. */
  private readonly osEnv: Record<string, string>;
  /** The sources of every task this runner reached and their state then, for `--watch`. */
  readonly watched: Array<{
    readonly dir: string;
    readonly sources: readonly GlobSpec[];
    readonly snapshot: string;
  }> = [];

  constructor(private readonly options: TaskRunOptions) {
    this.rootDir = path.dirname(options.graph.rootFile);
    this.osEnv = stringEnv(options.env);
    this.signal = options.signal
      ? AbortSignal.any([options.signal, this.failfast.signal])
      : this.failfast.signal;
    // Every running command listens to this signal; parallel deps can be hundreds.
    setMaxListeners(0, this.signal);
    this.cache =
      options.cache ??
      new TaskCache({
        local: new LocalCache(path.join(this.rootDir, '.gantry', 'cache')),
        rootDir: this.rootDir,
        mask: (text) => text,
        warn: (message) => options.write(`${message}\n`, 'stderr'),
      });
    this.style =
      options.output ?? parseOutputStyle(options.graph.settings['output'], 'Taskfile output');
  }

  /** Runs a task (and its deps); resolves to its cache identity, which dependents hash. */
  async run(
    name: string,
    callVars: Readonly<Record<string, unknown>> = {},
    call: Call = {
      indirect: false,
      silent: false,
      emit: this.options.write,
      echo: this.options.write,
    },
  ): Promise<string> {
    const task = this.find(name, !call.indirect);
    const resolving = this.resolve(task, callVars, name);
    const vars = resolving instanceof Promise ? await resolving : resolving;
    const mode = String(task.spec['run'] ?? this.options.graph.settings['run'] ?? 'always');
    const key =
      mode === 'once'
        ? task.name
        : mode === 'when_changed'
          ? `${task.name}\0${JSON.stringify(callVars)}`
          : undefined;
    if (key === undefined) return this.execute(task, vars, call);
    let pending = this.ran.get(key);
    if (!pending) {
      pending = this.execute(task, vars, call);
      this.ran.set(key, pending);
    } else if (this.options.explain) {
      this.explain(call, task.name, [`skipped: it has run: ${mode} and already ran`]);
    }
    return pending;
  }

  /**
   * go-task's `--summary` of one task: its summary (or desc), the environment its commands
   * get from the Taskfile (templated; dotenv values the OS already sets are left out), its
   * dependencies and commands.
   */
  async summary(name: string): Promise<string> {
    const task = this.find(name, true);
    const vars = await this.resolve(task, {});
    const dir = render(task.dir, vars);
    const text = String(task.spec['summary'] ?? task.spec['desc'] ?? '').replace(/\n+$/, '');
    const label =
      task.spec['label'] === undefined ? task.name : render(String(task.spec['label']), vars);
    let out = `task: ${label}\n\n`;
    out += text === '' ? '(task does not have description or summary)\n' : `${text}\n`;
    const env = await this.declaredEnv(task, vars, dir);
    if (Object.keys(env).length > 0)
      out += `\nenv:\n${Object.entries(env)
        .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`)
        .join('')}`;
    const deps = list(task.spec['deps']).map((d) => (isRecord(d) ? String(d['task']) : String(d)));
    if (deps.length > 0) out += `\ndependencies:\n${deps.map((d) => ` - ${d}\n`).join('')}`;
    const cmds = list(task.spec['cmds']).map((c) => {
      if (!isRecord(c)) return String(c);
      return 'task' in c ? `Task: ${String(c['task'])}` : String(c['cmd'] ?? c['defer'] ?? '');
    });
    if (cmds.length > 0) out += `\ncommands:\n${cmds.map((c) => ` - ${c}\n`).join('')}`;
    return out;
  }

  /** Waits for remote uploads and trims the local cache; call once after the last task. */
  async finish(): Promise<void> {
    await this.cache.flush();
  }

  private resolve(
    task: TaskDef,
    callVars: Readonly<Record<string, unknown>>,
    alias?: string,
  ): Record<string, unknown> | Promise<Record<string, unknown>> {
    return resolveVarsNow(task, {
      graph: this.options.graph,
      callVars,
      ...(alias === undefined ? {} : { alias }),
      cliFlags: {
        force: this.options.force === true || this.options.forceAll === true,
        silent: this.options.silent === true,
        assumeYes: this.options.yes === true,
      },
      env: this.osEnv,
      userWorkingDir: this.options.userWorkingDir,
      shCache: this.shCache,
      ...(this.options.cliArgs ? { cliArgs: this.options.cliArgs } : {}),
    });
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

  private async execute(task: TaskDef, vars: Record<string, unknown>, call: Call): Promise<string> {
    const spec = task.spec;
    const settings = this.options.graph.settings;
    if (!platformMatches(spec['platforms'])) {
      this.explain(call, task.name, ['skipped: not for this platform']);
      return '';
    }
    checkRequires(task, vars);
    const label = spec['label'] === undefined ? task.name : render(String(spec['label']), vars);
    const dir = render(task.dir, vars);
    const declaring = this.declaredEnv(task, vars, dir);
    const declared = declaring instanceof Promise ? await declaring : declaring;
    // go-task's default precedence: the OS environment wins over the Taskfile (go-task#436).
    const env = Object.assign({}, declared, this.osEnv);
    if (spec['if'] !== undefined && !(await this.condition(spec['if'], vars, dir, env))) {
      this.explain(call, label, [`skipped: its if condition is not met`]);
      return '';
    }
    const depIds = list(spec['deps']).length > 0 ? await this.runDeps(task, vars) : {};
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true });

    const definition = this.definition(spec, vars);
    const fp = this.cache.fingerprint({
      task: task.name,
      dir,
      method: parseMethod(spec['method'] ?? settings['method'], task.name),
      sources: globSpecs(list(spec['sources']), (s) => render(s, vars)),
      generates: globSpecs(list(spec['generates']), (s) => render(s, vars)),
      definition,
      env: Object.fromEntries(Object.keys(declared).map((name) => [name, env[name] ?? ''])),
      deps: depIds,
      platform: this.options.platform ?? goPlatform(),
      salt: cacheSalt,
      hasStatus: list(spec['status']).length > 0,
    });
    if (this.options.watch && fp.sources.length > 0)
      this.watched.push({ dir, sources: fp.sources, snapshot: snapshotFiles(dir, fp.sources) });
    const identity = this.cache.identity(fp, definition);
    if (fp.key) vars['CHECKSUM'] = fp.key;
    const silent =
      call.silent ||
      isTruthy(spec['silent']) ||
      isTruthy(settings['silent']) ||
      this.options.silent === true;

    const skipChecks = this.options.forceAll || (!call.indirect && this.options.force);
    if (skipChecks) {
      this.explain(call, label, ['runs: --force skips the up-to-date check and the cache']);
    } else {
      if (list(spec['preconditions']).length > 0)
        await this.checkPreconditions(task, vars, dir, env);
      const status =
        list(spec['status']).length > 0
          ? await this.statusUpToDate(spec, vars, dir, env)
          : undefined;
      const verdict = this.cache.check(fp, this.options.dry ?? false);
      const sourcesSet = fp.sources.length > 0;
      const upToDate =
        status !== undefined && sourcesSet
          ? status.upToDate && verdict.upToDate
          : status !== undefined
            ? status.upToDate
            : sourcesSet && verdict.upToDate;
      if (upToDate) {
        if (!silent) {
          const name = this.style.name === 'prefixed' ? prefixOf(task, vars) : label;
          call.echo(`task: Task "${name}" is up to date\n`, 'stderr');
        }
        this.explain(call, label, [
          'skipped: up to date',
          ...(status?.reasons ?? []),
          ...(sourcesSet ? verdict.reasons : []),
        ]);
        return identity;
      }
      const hit = this.options.dry ? undefined : await this.cache.restore(fp);
      if (hit) {
        if (!silent)
          call.echo(
            `task: Task "${label}" restored from the ${hit.from} cache (${fp.key?.slice(0, 12)})\n`,
            'stderr',
          );
        for (const [stream, text] of hit.log) call.emit(text, stream === 'o' ? 'stdout' : 'stderr');
        this.explain(call, label, [`restored from the ${hit.from} cache`, ...verdict.reasons]);
        return identity;
      }
      this.explain(call, label, [
        this.cache.cacheable(fp)
          ? 'runs: not up to date and not in the cache'
          : 'runs: not up to date',
        ...(status && !status.upToDate ? status.reasons : []),
        ...verdict.reasons,
      ]);
    }

    await this.prompt(task, vars);
    const started = performance.now();
    const log = this.cache.cacheable(fp) && !this.options.dry ? new LogRecorder() : undefined;
    const emit: Emit = log ? log.tee(call.emit) : call.emit;
    try {
      await this.runCommands(task, vars, dir, env, { ...call, emit }, silent, label);
    } catch (error) {
      if (!this.options.dry) this.cache.forget(fp);
      throw error;
    }
    if (!this.options.dry)
      this.cache.save(fp, log?.chunks(), Math.round(performance.now() - started));
    return identity;
  }

  /** `deps:` in parallel; all are waited for, unless `failfast` stops the rest at once. */
  private async runDeps(
    task: TaskDef,
    vars: Record<string, unknown>,
  ): Promise<Record<string, string>> {
    const deps = list(task.spec['deps']);
    if (deps.length === 0) return {};
    const failfast = this.options.failfast === true || isTruthy(task.spec['failfast']);
    const results = await Promise.allSettled(
      deps.map(async (dep) => {
        const { name, vars: depVars, silent } = this.callTarget(dep, vars);
        try {
          const id = await this.run(name, depVars, {
            indirect: true,
            silent,
            emit: this.options.write,
            echo: this.options.write,
          });
          return [name, id] as const;
        } catch (error) {
          // failfast: stop what still runs (kill sequence) instead of waiting for it.
          if (failfast) this.failfast.abort();
          throw error;
        }
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return Object.fromEntries(
      results.map((r) => (r as PromiseFulfilledResult<readonly [string, string]>).value),
    );
  }

  private async runCommands(
    task: TaskDef,
    vars: Record<string, unknown>,
    dir: string,
    env: Record<string, string>,
    call: Call,
    silent: boolean,
    label: string,
  ): Promise<void> {
    const spec = task.spec;
    const deferred: Array<() => Promise<void>> = [];
    let failure: unknown;
    try {
      for (const cmd of list(spec['cmds'])) {
        const c: Spec = typeof cmd === 'string' ? { cmd } : (cmd as Spec);
        if (!platformMatches(c['platforms'])) continue;
        if ('defer' in c) {
          const d = c['defer'];
          // go-task gives deferred commands the failed command's exit code as EXIT_CODE.
          deferred.push(() => {
            const code = failure instanceof CommandFailed ? String(failure.exitCode) : '';
            const scoped = Object.assign({}, vars, { EXIT_CODE: code });
            return typeof d === 'string'
              ? this.command(task, d, c, scoped, dir, env, call, silent, label)
              : this.callTask(d, scoped, call);
          });
          continue;
        }
        for (const itemVars of loopItems(c['for'], vars, task, dir)) {
          const scoped = Object.assign({}, vars, itemVars);
          if (c['if'] !== undefined && !(await this.condition(c['if'], scoped, dir, env))) continue;
          if ('task' in c)
            await this.callTask(
              { task: c['task'], vars: c['vars'], silent: c['silent'] },
              scoped,
              call,
            );
          else
            await this.command(
              task,
              String(c['cmd'] ?? ''),
              c,
              scoped,
              dir,
              env,
              call,
              silent,
              label,
            );
        }
      }
    } catch (error) {
      failure = error;
    }
    for (const run of deferred.reverse()) await run().catch((e: unknown) => (failure ??= e));
    if (failure) throw failure;
  }

  private callTarget(
    dep: unknown,
    vars: Record<string, unknown>,
  ): { name: string; vars: Spec; silent: boolean } {
    const spec: Spec = typeof dep === 'string' ? { task: dep } : (dep as Spec);
    return {
      name: render(String(spec['task']), vars),
      vars: templated((spec['vars'] as Spec | undefined) ?? {}, vars),
      silent: isTruthy(spec['silent']),
    };
  }

  /** A `task:` command: runs in the caller's output, so a cached caller records it too. */
  private async callTask(
    target: unknown,
    vars: Record<string, unknown>,
    call: Call,
  ): Promise<void> {
    const { name, vars: callVars, silent } = this.callTarget(target, vars);
    await this.run(name, callVars, {
      indirect: true,
      silent: silent || call.silent,
      emit: call.emit,
      echo: call.echo,
    });
  }

  private async command(
    task: TaskDef,
    raw: string,
    cmd: Spec,
    vars: Record<string, unknown>,
    dir: string,
    env: Record<string, string>,
    call: Call,
    taskSilent: boolean,
    label: string,
  ): Promise<void> {
    const line = render(raw, vars);
    const silent = taskSilent || isTruthy(cmd['silent']);
    if (!silent) call.echo(`task: [${label}] ${line}\n`, 'stderr');
    if (this.options.dry) return;
    const interactive = isTruthy(task.spec['interactive']);
    const out = openCommandOutput(
      interactive ? { name: 'interleaved' } : this.style,
      call.emit,
      prefixOf(task, vars),
      (template) => render(template, vars),
    );
    const timeout = cmd['timeout'] ?? task.spec['timeout'];
    const options = shellOptions(task, cmd, this.options.graph.settings);
    const builtin = interactive ? undefined : this.builtin(line, options, dir, env);
    if (builtin !== undefined) {
      if (builtin.stdout !== '') out.write(builtin.stdout, 'stdout');
      out.close(builtin.exitCode !== 0);
      this.checkExit(task, cmd, builtin.exitCode, line);
      return;
    }
    if (interactive) this.options.flush?.();
    const result = await runProcess({
      command: 'bash',
      args: ['-c', shellPrelude(options) + line],
      cwd: dir,
      env,
      interactive,
      ...(timeout === undefined ? {} : { timeoutMs: parseDuration(String(timeout), task.name) }),
      signal: this.signal,
      onOutput: (chunk, stream) => out.write(chunk.toString(), stream),
    });
    if (result.failedToStart)
      throw new GantryError('GANTRY_EXEC_SPAWN_FAILED', result.failedToStart);
    const code = result.exitCode ?? 1;
    out.close(code !== 0);
    if (result.timedOut)
      throw new GantryError(
        'GANTRY_EXEC_TIMEOUT',
        `task "${task.name}": command timed out after ${String(timeout)}: ${line}`,
      );
    this.checkExit(task, cmd, code, line);
  }

  private checkExit(task: TaskDef, cmd: Spec, code: number, line: string): void {
    if (code !== 0 && !isTruthy(cmd['ignore_error']) && !isTruthy(task.spec['ignore_error']))
      throw new CommandFailed(task.name, code, line);
  }

  /**
   * A command bash would run as a plain builtin (`:`, `echo "Building"`) is computed without a
   * process, as go-task's embedded shell does; only when nothing could make bash disagree.
   */
  private builtin(
    line: string,
    options: ShellOptions,
    dir: string,
    env: Record<string, string>,
  ): BuiltinOutcome | undefined {
    if (options.shopt.length > 0 || !options.set.every((o) => plainSet.has(o))) return undefined;
    if (this.signal.aborted || environmentAltersBuiltins(env)) return undefined;
    const outcome = plainBuiltin(line);
    // bash would fail to start in a directory that does not exist.
    return outcome !== undefined && existsSync(dir) ? outcome : undefined;
  }

  private async checkPreconditions(
    task: TaskDef,
    vars: Record<string, unknown>,
    dir: string,
    env: Record<string, string>,
  ): Promise<void> {
    for (const pre of list(task.spec['preconditions'])) {
      const check = typeof pre === 'string' ? pre : String((pre as Spec)['sh']);
      if ((await this.quiet(render(check, vars), dir, env)) !== 0) {
        const msg =
          isRecord(pre) && pre['msg'] ? render(String(pre['msg']), vars) : `"${check}" failed`;
        throw new GantryError(
          'GANTRY_TASK_FAILED',
          `task "${task.name}": precondition not met: ${msg}`,
        );
      }
    }
  }

  /** `status:` commands: up to date when all exit 0. Undefined when the task has none. */
  private async statusUpToDate(
    spec: Spec,
    vars: Record<string, unknown>,
    dir: string,
    env: Record<string, string>,
  ): Promise<{ upToDate: boolean; reasons: string[] } | undefined> {
    const checks = list(spec['status']);
    if (checks.length === 0) return undefined;
    for (const check of checks) {
      const line = render(String(check), vars);
      const code = await this.quiet(line, dir, env);
      if (code !== 0)
        return { upToDate: false, reasons: [`status check \`${line}\` exited with ${code}`] };
    }
    return { upToDate: true, reasons: ['every status check passed'] };
  }

  /** A task or command `if:`: a shell condition (templates render to `true`/`false`). */
  private async condition(
    raw: unknown,
    vars: Record<string, unknown>,
    dir: string,
    env: Record<string, string>,
  ): Promise<boolean> {
    return (await this.quiet(render(String(raw), vars), dir, env)) === 0;
  }

  private async prompt(task: TaskDef, vars: Record<string, unknown>): Promise<void> {
    if (this.options.dry) return;
    for (const raw of list(task.spec['prompt'])) {
      const question = render(String(raw), vars);
      if (question === '') continue;
      if (this.options.yes) {
        this.options.write(`${question} [assuming yes]\n`, 'stdout');
        continue;
      }
      if (!this.options.ask)
        throw new GantryError(
          'GANTRY_TASK_FAILED',
          `task "${task.name}" was cancelled: it has a prompt ("${question}") and there is no terminal to answer it`,
          { hint: 'pass --yes (-y) to answer yes to every prompt' },
        );
      if (!(await this.options.ask(question)))
        throw new GantryError(
          'GANTRY_TASK_FAILED',
          `task "${task.name}" was cancelled at its prompt`,
        );
    }
  }

  /**
   * What a Taskfile declares for a task's environment, in go-task's order, lowest first: the
   * Taskfiles' `env:`, the root `dotenv:` files (names not set yet, nor by the OS), the
   * task's `dotenv:` files, the task's `env:`. Among dotenv files the first to set a name wins.
   */
  /** A promise only when a task-level `env:` entry has a `sh:` to run. */
  private declaredEnv(
    task: TaskDef,
    vars: Record<string, unknown>,
    dir: string,
  ): Record<string, string> | Promise<Record<string, string>> {
    const os = this.osEnv;
    // Taskfile-level `env:` is resolved with the variables (a `sh:` entry ran there already).
    const global = Object.assign({}, ...task.envLayers) as Spec;
    for (const [name, value] of Object.entries(global))
      if (isRecord(value) && typeof value['sh'] === 'string') global[name] = vars[name];
    const env = stringEnv(templated(global, vars));
    const rootDotenv = readDotenv(list(this.options.graph.settings['dotenv']), this.rootDir, vars);
    for (const [name, value] of Object.entries(rootDotenv))
      if (!(name in env) && os[name] === undefined) env[name] = value;
    for (const [name, value] of Object.entries(readDotenv(list(task.spec['dotenv']), dir, vars)))
      if (os[name] === undefined) env[name] = value;
    // A task's own `sh:` entries run in its directory.
    const own = { ...((task.spec['env'] as Spec | undefined) ?? {}) };
    const dynamic = Object.entries(own).filter(
      ([, value]) => isRecord(value) && typeof value['sh'] === 'string',
    );
    if (dynamic.length === 0) return Object.assign(env, stringEnv(templated(own, vars)));
    return (async () => {
      for (const [name, value] of dynamic)
        own[name] = await dynamicValue(name, String((value as Spec)['sh']), vars, dir, {
          env: this.osEnv,
          shCache: this.shCache,
        });
      return Object.assign(env, stringEnv(templated(own, vars)));
    })();
  }

  /** The templated definition that goes into the cache key. */
  private definition(spec: Spec, vars: Record<string, unknown>): unknown {
    const relevant = Object.fromEntries(
      Object.entries(spec).filter(([key]) => !descriptiveKeys.has(key)),
    );
    return deepRender(
      {
        ...relevant,
        settings: {
          set: this.options.graph.settings['set'],
          shopt: this.options.graph.settings['shopt'],
          output: this.style,
        },
      },
      vars,
      renderOrKeep,
    );
  }

  private async quiet(script: string, cwd: string, env: Record<string, string>): Promise<number> {
    const result = await runProcess({
      command: 'bash',
      args: ['-c', script],
      cwd,
      env,
      signal: this.signal,
    });
    if (result.failedToStart)
      throw new GantryError('GANTRY_EXEC_SPAWN_FAILED', result.failedToStart);
    return result.exitCode ?? 1;
  }

  private explain(call: Call, label: string, reasons: readonly string[]): void {
    if (!this.options.explain || reasons.length === 0) return;
    const [first, ...rest] = reasons;
    call.echo(
      `task: explain "${label}": ${first}\n${rest.map((r) => `task:   ${r}\n`).join('')}`,
      'stderr',
    );
  }
}

/** A command exited non-zero: the task fails, and its deferred commands see the code. */
class CommandFailed extends GantryError {
  constructor(
    task: string,
    readonly exitCode: number,
    line: string,
  ) {
    super(
      'GANTRY_TASK_FAILED',
      `task "${task}" failed: command exited with code ${exitCode}: ${line}`,
    );
  }
}

/** Collects a task's output (merging adjacent chunks) while passing it on. */
class LogRecorder {
  private readonly log: Array<['o' | 'e', string]> = [];
  private bytes = 0;

  tee(next: Emit): Emit {
    return (text, stream) => {
      this.bytes += text.length;
      if (this.bytes <= maxLogBytes) {
        const tag = stream === 'stdout' ? 'o' : 'e';
        const last = this.log.at(-1);
        if (last && last[0] === tag) last[1] += text;
        else this.log.push([tag, text]);
      }
      next(text, stream);
    };
  }

  chunks(): readonly LogChunk[] | undefined {
    return this.bytes <= maxLogBytes ? this.log : undefined;
  }
}

function render(text: string, vars: Record<string, unknown>): string {
  return renderTemplate(text, vars);
}

/** For the cache key only: a string that cannot be rendered yet is kept as written. */
function renderOrKeep(text: string, vars: Record<string, unknown>): string {
  try {
    return render(text, vars);
  } catch {
    return text;
  }
}

function templated(map: Spec, vars: Record<string, unknown>): Spec {
  return Object.fromEntries(
    Object.entries(map).map(([k, v]) => [k, typeof v === 'string' ? render(v, vars) : v]),
  );
}

function stringEnv(map: Readonly<Record<string, unknown>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(map)
      .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
      .map(([k, v]) => [k, String(v)]),
  );
}

/** `dotenv:` files, templated and relative to `base`; a missing file is skipped (go-task). The first file to set a name wins. */
function readDotenv(
  files: readonly unknown[],
  base: string,
  vars: Record<string, unknown>,
): Record<string, string> {
  const values: Record<string, string> = {};
  for (const file of files) {
    const full = path.resolve(base, render(String(file), vars));
    if (!existsSync(full)) continue;
    for (const [name, value] of Object.entries(parseDotenv(readFileSync(full))))
      if (!(name in values)) values[name] = value;
  }
  return values;
}

function checkRequires(task: TaskDef, vars: Record<string, unknown>): void {
  for (const required of list((task.spec['requires'] as Spec | undefined)?.['vars'])) {
    const name = typeof required === 'string' ? required : String((required as Spec)['name']);
    if (vars[name] === undefined)
      throw new GantryError(
        'GANTRY_USAGE',
        `task "${task.name}" is missing required variable ${name}`,
      );
    const allowed = isRecord(required) ? list(required['enum']).map(String) : [];
    if (allowed.length > 0 && !allowed.includes(String(vars[name])))
      throw new GantryError(
        'GANTRY_USAGE',
        `task "${task.name}": variable ${name} is "${String(vars[name])}", which is not one of ${allowed.join(', ')}`,
      );
  }
}

/** go-task's `prefix:` (templated), defaulting to the task's name. */
function prefixOf(task: TaskDef, vars: Record<string, unknown>): string {
  return task.spec['prefix'] === undefined ? task.name : render(String(task.spec['prefix']), vars);
}

/** Node's platform and arch in Go's names (`linux/amd64`), as Taskfiles spell them. */
export function goPlatform(): string {
  return `${goOs()}/${goArch()}`;
}

function goOs(): string {
  return (
    ({ win32: 'windows', darwin: 'darwin', linux: 'linux' } as Record<string, string>)[
      process.platform
    ] ?? process.platform
  );
}

function goArch(): string {
  return (
    ({ x64: 'amd64', arm64: 'arm64', ia32: '386' } as Record<string, string>)[process.arch] ??
    process.arch
  );
}

/** `platforms: [linux, darwin/arm64]` with Go's names; a mismatch skips silently, as go-task does. */
function platformMatches(platforms: unknown): boolean {
  const wanted = list(platforms).map(String);
  if (wanted.length === 0) return true;
  const os = goOs();
  const arch = goArch();
  return wanted.some((p) => {
    const [o, a] = p.split('/');
    return (o === os || o === arch) && (a === undefined || a === arch);
  });
}

/** Go's duration syntax (`90s`, `1m30s`, `500ms`). */
function parseDuration(text: string, task: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = text.trim().replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n: string, unit: string) => {
    total += Number(n) * (units[unit] ?? 0);
    return '';
  });
  if (rest !== '' || total <= 0)
    throw new GantryError('GANTRY_CONFIG_INVALID', `task "${task}": invalid timeout "${text}"`, {
      hint: 'use a Go duration such as 30s, 5m or 1m30s',
    });
  return total;
}

/**
 * `for:` of a command: a list, `sources`/`generates` (the matched files), `{var, split, as}`
 * or `{matrix}`; each iteration gets `ITEM` (or the `as` name). No `for:` means one
 * iteration with no extra variables.
 */
function loopItems(
  spec: unknown,
  vars: Record<string, unknown>,
  task: TaskDef,
  dir: string,
): Array<Record<string, unknown>> {
  if (spec === undefined) return [{}];
  if (Array.isArray(spec)) return spec.map((item) => ({ ITEM: item }));
  if (spec === 'sources' || spec === 'generates') {
    const specs = globSpecs(list(task.spec[spec]), (s) => render(s, vars));
    return matchFiles(dir, specs).map((item) => ({ ITEM: item }));
  }
  if (isRecord(spec)) {
    const as = String(spec['as'] ?? 'ITEM');
    if (spec['var'] !== undefined) {
      const value = vars[String(spec['var'])];
      const items = Array.isArray(value)
        ? value
        : String(value ?? '')
            .split(spec['split'] === undefined ? /\s+/ : String(spec['split']))
            .filter((v) => v !== '');
      return items.map((item) => ({ [as]: item }));
    }
    if (spec['matrix'] !== undefined) {
      let rows: Array<Record<string, unknown>> = [{}];
      for (const [key, values] of Object.entries(spec['matrix'] as Spec)) {
        rows = rows.flatMap((row) => list(values).map((v) => ({ ...row, [key]: v })));
      }
      return rows.map((row) => ({ [as]: row }));
    }
  }
  throw new GantryError(
    'GANTRY_CONFIG_INVALID',
    `task "${task.name}": this form of \`for:\` (${JSON.stringify(spec)}) is not valid`,
    { hint: 'use a list, sources, generates, {var, split, as} or {matrix}' },
  );
}

/** `set:` options that cannot change what a plain builtin does (xtrace can; so can shopt). */
const plainSet = new Set(['e', 'u', 'errexit', 'nounset', 'pipefail']);

interface ShellOptions {
  readonly set: readonly string[];
  readonly shopt: readonly string[];
}

/** `set:` and `shopt:` of the Taskfile, task and command. */
function shellOptions(
  task: TaskDef,
  cmd: Spec,
  settings: Readonly<Record<string, unknown>>,
): ShellOptions {
  const set = [...list(settings['set']), ...list(task.spec['set']), ...list(cmd['set'])].map(
    String,
  );
  const shopt = [
    ...list(settings['shopt']),
    ...list(task.spec['shopt']),
    ...list(cmd['shopt']),
  ].map(String);
  return { set, shopt };
}

/**
 * The options as bash lines before the command. go-task takes both bash's letters (`e`, `u`,
 * `x`) and its long names (`errexit`, `pipefail`).
 */
function shellPrelude({ set, shopt }: ShellOptions): string {
  return (
    set.map((o) => (o.length === 1 ? `set -${o}\n` : `set -o ${o}\n`)).join('') +
    (shopt.length > 0 ? `shopt -s ${shopt.join(' ')}\n` : '')
  );
}
