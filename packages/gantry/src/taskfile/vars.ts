import path from 'node:path';
import { GantryError } from '../errors/index.js';
import { isRecord, shDir } from './data.js';
import type { TaskDef, TaskGraph } from './model.js';
import { renderTemplate } from './template/evaluate.js';
import { renderExpression } from './template/expression.js';
import { shellQuote } from './template/functions.js';

export interface VarContext {
  readonly graph: TaskGraph;
  /** Variables given by the caller: `task: {task: x, vars: {...}}`. */
  readonly callVars?: Readonly<Record<string, unknown>>;
  readonly cliArgs?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userWorkingDir: string;
  /** The name the task was called by (an alias, or its name): `{{.ALIAS}}`. */
  readonly alias?: string;
  /** Command-line flags, as `{{.CLI_FORCE}}`, `{{.CLI_SILENT}}`, ... (false when absent). */
  readonly cliFlags?: Readonly<
    Partial<Record<'force' | 'silent' | 'verbose' | 'offline' | 'assumeYes', boolean>>
  >;
  /** Memo of `sh:` results, shared by one invocation like go-task's dynamic-var cache. */
  readonly shCache: Map<string, Promise<string>>;
}

/**
 * Resolves the variables of a task as go-task's compiler does (getVariables), lowest first:
 * the OS environment, the special variables, the Taskfiles' merged `env:`, the merged global
 * `vars:` (with `VAR=value` from the command line), the include-site vars, the includer's
 * merged vars again, the call's vars, then the task's own vars (see `loadTaskGraph` for the
 * layers). Each value is templated with everything resolved before it, so later variables
 * can use earlier ones. `sh:` runs in the root directory (or its include's), except for the
 * task's own vars, which run in the task's directory.
 */
export async function resolveVars(
  task: TaskDef,
  ctx: VarContext,
): Promise<Record<string, unknown>> {
  return resolveVarsNow(task, ctx);
}

/**
 * The same, without a promise when no `sh:` variable has to run: a task with only static
 * variables is resolved in the same turn (hundreds of tasks then do not all wait at once).
 */
export function resolveVarsNow(
  task: TaskDef,
  ctx: VarContext,
): Record<string, unknown> | Promise<Record<string, unknown>> {
  const rootDir = path.dirname(ctx.graph.rootFile);
  const cliArgs = ctx.cliArgs ?? [];
  // Object.assign, not `{...env, KEY: ...}`: a spread followed by new keys rebuilds the object
  // key by key in V8 (~30 µs per task with a typical environment, 10x the assign).
  const data: Record<string, unknown> = Object.assign({}, definedEnv(ctx.env), {
    ROOT_TASKFILE: ctx.graph.rootFile,
    ROOT_DIR: rootDir,
    USER_WORKING_DIR: ctx.userWorkingDir,
    PATH_LIST_SEPARATOR: path.delimiter,
    FILE_PATH_SEPARATOR: path.sep,
    TASK: task.name,
    TASK_DIR: task.dir,
    TASKFILE: path.resolve(task.file),
    TASKFILE_DIR: path.dirname(path.resolve(task.file)),
    ALIAS: ctx.alias ?? task.name,
    CLI_ARGS: cliArgs.map(shellQuote).join(' '),
    CLI_ARGS_LIST: [...cliArgs],
    CLI_FORCE: ctx.cliFlags?.force ?? false,
    CLI_SILENT: ctx.cliFlags?.silent ?? false,
    CLI_VERBOSE: ctx.cliFlags?.verbose ?? false,
    CLI_OFFLINE: ctx.cliFlags?.offline ?? false,
    CLI_ASSUME_YES: ctx.cliFlags?.assumeYes ?? false,
  });
  const layers: Array<[Readonly<Record<string, unknown>>, 'root' | 'task']> = [
    ...[...task.envLayers, ...task.varLayers, ctx.callVars ?? {}].map(
      (layer) => [layer, 'root'] as [typeof layer, 'root'],
    ),
    [(task.spec['vars'] as Record<string, unknown> | undefined) ?? {}, 'task'],
  ];
  const entries = layers.flatMap(([layer, where]) =>
    Object.entries(layer).map(([name, raw]) => [name, raw, where] as const),
  );
  const from = (start: number): Record<string, unknown> | Promise<Record<string, unknown>> => {
    for (let i = start; i < entries.length; i++) {
      const [name, raw, where] = entries[i] as (typeof entries)[number];
      const dir =
        where === 'task' ? path.resolve(rootDir, renderTemplate(task.dir, data)) : rootDir;
      const value = resolveValue(name, raw, data, dir, ctx);
      if (value instanceof Promise)
        return value.then((resolved) => {
          data[name] = resolved;
          return from(i + 1);
        });
      data[name] = value;
    }
    return data;
  };
  return from(0);
}

const definedEnvs = new WeakMap<object, Record<string, string>>();

/**
 * The environment without unset names; computed once per environment object, not once per
 * task (the runner passes a snapshot; the live process.env is never memoised).
 */
function definedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  let defined = env === process.env ? undefined : definedEnvs.get(env);
  if (!defined) {
    defined = {};
    for (const [name, value] of Object.entries(env)) if (value !== undefined) defined[name] = value;
    if (env !== process.env) definedEnvs.set(env, defined);
  }
  return defined;
}

/** A variable's value; a promise only for `sh:`. */
function resolveValue(
  name: string,
  raw: unknown,
  data: Record<string, unknown>,
  dir: string,
  ctx: VarContext,
): unknown {
  if (!isRecord(raw)) return deepRender(raw, data);
  if (typeof raw['sh'] === 'string') {
    const tagged = (raw as Record<PropertyKey, unknown>)[shDir];
    return dynamicValue(name, raw['sh'], data, typeof tagged === 'string' ? tagged : dir, ctx);
  }
  if (typeof raw['ref'] === 'string') return renderExpression(raw['ref'], data);
  if ('map' in raw) return deepRender(raw['map'], data);
  if ('value' in raw) return deepRender(raw['value'], data);
  return deepRender(raw, data);
}

/**
 * The output of a `sh:` value (a dynamic variable, or an `env:` entry), templated with `data`
 * and run in `dir`; one run per command and directory for the whole invocation.
 */
export function dynamicValue(
  name: string,
  sh: string,
  data: Record<string, unknown>,
  dir: string,
  ctx: Pick<VarContext, 'env' | 'shCache'>,
): Promise<string> {
  const command = renderTemplate(sh, data);
  const key = `${dir}\0${command}`;
  let pending = ctx.shCache.get(key);
  if (!pending) {
    pending = shell(command, dir, shellEnv(data, ctx.env), name);
    ctx.shCache.set(key, pending);
  }
  return pending;
}

/** go-task templates every string inside a value, lists and maps included. */
export function deepRender(
  value: unknown,
  data: Record<string, unknown>,
  render: (text: string, data: Record<string, unknown>) => string = renderTemplate,
): unknown {
  if (typeof value === 'string') return render(value, data);
  if (Array.isArray(value)) return value.map((v) => deepRender(v, data, render));
  if (isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      const rendered = deepRender(value[key], data, render);
      // A YAML key named __proto__ is data, not the object's prototype.
      if (key === '__proto__')
        Object.defineProperty(out, key, {
          value: rendered,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[key] = rendered;
    }
    return out;
  }
  return value;
}

/**
 * The environment of an `sh:` variable (go-task's env.GetFromVars): the variables so far
 * that are strings, numbers or booleans, under the OS environment, which wins.
 */
function shellEnv(
  data: Record<string, unknown>,
  os: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(data))
    if (['string', 'number', 'boolean'].includes(typeof value)) env[name] = String(value);
  for (const [name, value] of Object.entries(os)) if (value !== undefined) env[name] = value;
  return env;
}

/** A dynamic variable: the command's standard output, one trailing newline removed. */
async function shell(
  command: string,
  dir: string,
  env: Record<string, string>,
  name: string,
): Promise<string> {
  try {
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    const { stdout } = await promisify(execFile)('bash', ['-c', `set -e\n${command}`], {
      cwd: dir,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout.replace(/\r?\n$/, '');
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `dynamic variable ${name} (sh: ${command}) failed${stderr ? `: ${stderr}` : ''}`,
      { cause: error },
    );
  }
}
