import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Problem } from '../errors/index.js';
import { asRecord, isRecord, list } from './data.js';
import { commandKeys, includeKeys, rootKeys, taskKeys } from './keys.js';
import type { TaskDef, TaskGraph } from './model.js';
import { renderTemplate } from './template/evaluate.js';
import { YamlSource } from './yaml-source.js';

const taskfileNames = [
  'Taskfile.yml',
  'taskfile.yml',
  'Taskfile.yaml',
  'taskfile.yaml',
  'Taskfile.dist.yml',
  'taskfile.dist.yml',
  'Taskfile.dist.yaml',
  'taskfile.dist.yaml',
];

interface Scope {
  prefix: string;
  dir: string;
  internal: boolean;
  flatten: boolean;
  varLayers: Array<Record<string, unknown>>;
  envLayers: Array<Record<string, unknown>>;
  chain: string[];
  excludes: Set<string>;
  namespaceAliases: string[];
}

/**
 * Loads a Taskfile and everything it includes into one graph of namespaced tasks, reporting
 * every problem of every file at once (unknown keys, bad includes, cycles, name clashes).
 */
export function loadTaskGraph(start: string): TaskGraph {
  const rootFile = resolveTaskfile(start);
  const problems: Problem[] = [];
  if (!rootFile) {
    throw new ConfigError([
      {
        file: start,
        message: `no Taskfile found (looked for ${taskfileNames.slice(0, 4).join(', ')})`,
      },
    ]);
  }
  const tasks = new Map<string, TaskDef>();
  const aliases = new Map<string, string>();
  let settings: Record<string, unknown> = {};
  const visit = (file: string, scope: Scope): void => {
    const source = new YamlSource(
      path.relative(process.cwd(), file) || file,
      readFileSync(file, 'utf8'),
    );
    const syntax = source.syntaxProblems();
    if (syntax.length > 0) {
      problems.push(...syntax);
      return;
    }
    const root = source.document.toJS() as unknown;
    if (!isRecord(root)) {
      problems.push({
        file: source.file,
        message: 'a Taskfile must be a mapping with `version` and `tasks`',
      });
      return;
    }
    for (const key of Object.keys(root))
      if (!rootKeys.has(key))
        problems.push(source.problem([key], `unknown key '${key}' in Taskfile`));
    const version = String(root['version'] ?? '');
    if (!/^3(\.|$)/.test(version))
      problems.push(
        source.problem(
          ['version'],
          `version must be '3' (Taskfile v3), got '${version || 'nothing'}'`,
        ),
      );
    if (scope.chain.length === 1)
      settings = pick(root, [
        'output',
        'method',
        'run',
        'silent',
        'set',
        'shopt',
        'interval',
        'dotenv',
      ]);
    const fileDir = path.dirname(file);
    const local: Scope = {
      ...scope,
      varLayers: [...scope.varLayers, asRecord(root['vars'])],
      envLayers: [...scope.envLayers, asRecord(root['env'])],
    };
    for (const [ns, value] of Object.entries(asRecord(root['includes']))) {
      const include = typeof value === 'string' ? { taskfile: value } : asRecord(value);
      if (typeof value !== 'string') {
        for (const key of Object.keys(include))
          if (!includeKeys.has(key))
            problems.push(
              source.problem(['includes', ns, key], `unknown key '${key}' in include '${ns}'`),
            );
      }
      const target = renderTemplate(String(include['taskfile'] ?? ''), {});
      const resolved = resolveTaskfile(path.resolve(fileDir, target));
      if (!resolved) {
        if (include['optional'] !== true)
          problems.push(
            source.problem(['includes', ns], `include '${ns}': no Taskfile at ${target}`),
          );
        continue;
      }
      if (local.chain.includes(resolved)) {
        problems.push(
          source.problem(
            ['includes', ns],
            `include cycle detected between ${path.relative(process.cwd(), file)} and ${path.relative(process.cwd(), resolved)}`,
          ),
        );
        continue;
      }
      const flatten = include['flatten'] === true;
      visit(resolved, {
        prefix: flatten ? local.prefix : `${local.prefix}${ns}:`,
        dir:
          include['dir'] === undefined ? local.dir : path.resolve(fileDir, String(include['dir'])),
        internal: local.internal || include['internal'] === true,
        flatten,
        varLayers: [...local.varLayers, asRecord(include['vars'])],
        envLayers: local.envLayers,
        chain: [...local.chain, resolved],
        excludes: new Set(list(include['excludes']).map(String)),
        namespaceAliases: list(include['aliases']).map((a) => `${local.prefix}${String(a)}:`),
      });
    }
    for (const [name, raw] of Object.entries(asRecord(root['tasks']))) {
      if (scope.excludes.has(name)) continue;
      const spec = normaliseTask(raw);
      if (isRecord(raw)) checkTask(source, name, spec, problems);
      const full = `${local.prefix}${name}`;
      if (tasks.has(full)) {
        problems.push(
          source.problem(
            ['tasks', name],
            `task '${full}' is defined twice (also in ${tasks.get(full)?.file})`,
          ),
        );
        continue;
      }
      const line = source.problem(['tasks', name], '').line ?? 0;
      const taskAliases = list(spec['aliases']).map((a) => `${local.prefix}${String(a)}`);
      tasks.set(full, {
        name: full,
        file: source.file,
        line,
        dir: spec['dir'] === undefined ? local.dir : path.resolve(local.dir, String(spec['dir'])),
        varLayers: local.varLayers,
        envLayers: local.envLayers,
        spec,
        internal: local.internal || spec['internal'] === true,
        aliases: taskAliases,
      });
      for (const alias of [...taskAliases, ...scope.namespaceAliases.map((p) => `${p}${name}`)])
        aliases.set(alias, full);
    }
  };
  visit(rootFile, {
    prefix: '',
    dir: path.dirname(rootFile),
    internal: false,
    flatten: false,
    varLayers: [],
    envLayers: [],
    chain: [rootFile],
    excludes: new Set(),
    namespaceAliases: [],
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return { rootFile, tasks, aliases, settings };
}

/** `task: echo hi` and `task: [a, b]` are short for `cmds:`. */
function normaliseTask(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') return { cmds: [raw] };
  if (Array.isArray(raw)) return { cmds: raw };
  return asRecord(raw);
}

function checkTask(
  source: YamlSource,
  name: string,
  spec: Record<string, unknown>,
  problems: Problem[],
): void {
  for (const key of Object.keys(spec))
    if (!taskKeys.has(key))
      problems.push(source.problem(['tasks', name, key], `unknown key '${key}' in task '${name}'`));
  for (const [index, cmd] of list(spec['cmds']).entries()) {
    if (!isRecord(cmd)) continue;
    for (const key of Object.keys(cmd))
      if (!commandKeys.has(key))
        problems.push(
          source.problem(
            ['tasks', name, 'cmds', index, key],
            `unknown key '${key}' in a command of task '${name}'`,
          ),
        );
  }
}

/** A file, or a directory holding one of the Taskfile names go-task looks for. */
export function resolveTaskfile(candidate: string): string | undefined {
  if (!existsSync(candidate)) return undefined;
  if (statSync(candidate).isFile()) return path.resolve(candidate);
  for (const name of taskfileNames) {
    const file = path.join(candidate, name);
    if (existsSync(file)) return path.resolve(file);
  }
  return undefined;
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]]));
}
