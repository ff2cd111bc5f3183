import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { GantryError } from '../errors/index.js';
import type { TaskDef, TaskGraph } from './model.js';
import { renderTemplate } from './template/evaluate.js';
import { renderExpression } from './template/expression.js';

const run = promisify(execFile);

export interface VarContext {
  readonly graph: TaskGraph;
  /** Variables given by the caller: `task: {task: x, vars: {...}}` or `gantry task x NAME=v`. */
  readonly callVars?: Readonly<Record<string, unknown>>;
  readonly cliArgs?: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly userWorkingDir: string;
  /** Memo of `sh:` results, shared by one invocation like go-task's dynamic-var cache. */
  readonly shCache: Map<string, Promise<string>>;
}

/**
 * Resolves the variables of a task with go-task's precedence, lowest first: environment,
 * global vars, include-site vars, the included Taskfile's vars, call vars, then the task's
 * own vars. Each value is templated with everything resolved before it, so later variables
 * can use earlier ones.
 */
export async function resolveVars(
  task: TaskDef,
  ctx: VarContext,
): Promise<Record<string, unknown>> {
  const rootDir = path.dirname(ctx.graph.rootFile);
  const data: Record<string, unknown> = {
    ...Object.fromEntries(Object.entries(ctx.env).filter(([, v]) => v !== undefined)),
    ROOT_DIR: rootDir,
    ROOT_TASKFILE: ctx.graph.rootFile,
    TASKFILE: path.resolve(task.file),
    TASKFILE_DIR: path.dirname(path.resolve(task.file)),
    TASK_DIR: task.dir,
    USER_WORKING_DIR: ctx.userWorkingDir,
    TASK: task.name,
    CLI_ARGS: (ctx.cliArgs ?? []).map(shellWord).join(' '),
    CLI_ARGS_LIST: [...(ctx.cliArgs ?? [])],
  };
  const layers = [
    ...task.varLayers,
    ctx.callVars ?? {},
    (task.spec['vars'] as Record<string, unknown> | undefined) ?? {},
  ];
  for (const layer of layers) {
    for (const [name, raw] of Object.entries(layer))
      data[name] = await resolveValue(name, raw, data, task, ctx);
  }
  return data;
}

async function resolveValue(
  name: string,
  raw: unknown,
  data: Record<string, unknown>,
  task: TaskDef,
  ctx: VarContext,
): Promise<unknown> {
  if (typeof raw === 'string') return renderTemplate(raw, data);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const spec = raw as Record<string, unknown>;
  if (typeof spec['sh'] === 'string') {
    const command = renderTemplate(spec['sh'], data);
    const key = `${task.dir}\0${command}`;
    let pending = ctx.shCache.get(key);
    if (!pending) {
      pending = shell(command, task.dir, data, name);
      ctx.shCache.set(key, pending);
    }
    return pending;
  }
  if (typeof spec['ref'] === 'string') return renderExpression(spec['ref'], data);
  if ('map' in spec) return spec['map'];
  if ('value' in spec)
    return typeof spec['value'] === 'string' ? renderTemplate(spec['value'], data) : spec['value'];
  return raw;
}

/** A dynamic variable: the command's standard output, trailing newline removed, run in the task's directory. */
async function shell(
  command: string,
  dir: string,
  data: Record<string, unknown>,
  name: string,
): Promise<string> {
  const env = Object.fromEntries(
    Object.entries(data).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  try {
    const { stdout } = await run('sh', ['-c', command], {
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

function shellWord(word: string): string {
  return /^[A-Za-z0-9_\-.,:/@%+=]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
