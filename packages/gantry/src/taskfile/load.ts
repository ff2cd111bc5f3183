import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, type Problem } from '../errors/index.js';
import { asRecord, isRecord, list, shDir } from './data.js';
import { commandKeys, includeKeys, rootKeys, taskKeys } from './keys.js';
import type { TaskDef, TaskGraph } from './model.js';
import { renderTemplate } from './template/evaluate.js';
import type { ParseCache } from './parse-cache.js';
import type { YamlSource } from './yaml-source.js';

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

type Vars = Record<string, unknown>;

/** A task while Taskfiles are merged into their includers, as go-task's `Tasks.Merge` does. */
interface Entry {
  name: string;
  file: string;
  line: number;
  spec: Record<string, unknown>;
  aliases: string[];
  /** `dir:` so far: absolute once a map-form include gave it a base, else relative to the root. */
  dir: string;
  internal: boolean;
  /** Include-site `vars:`, the innermost include's first, outer ones overriding. */
  includeVars: Vars;
  /** The includer's merged vars when the task was last merged through a map-form include. */
  includedFileVars: Vars;
}

/** One Taskfile with everything it includes merged in. */
interface Merged {
  vars: Vars;
  env: Vars;
  tasks: Map<string, Entry>;
  output?: unknown;
}

/**
 * Loads a Taskfile and everything it includes into one graph of namespaced tasks, reporting
 * every problem of every file at once (unknown keys, bad includes, cycles, name clashes).
 *
 * Includes are merged the way go-task merges them (taskfile/ast: Taskfile.Merge, Tasks.Merge),
 * innermost first: an included Taskfile's `vars:` and `env:` are merged into its includer's
 * (so they reach every task, the root's too), task names, aliases and the tasks that `deps:`
 * and `task:` commands name get the namespace (a leading `:` names a task one level up), and
 * a map-form include gives its tasks a directory (its `dir:`, else the including Taskfile's).
 *
 * Each task's `varLayers` are, lowest first: the merged global vars (where `VAR=value` from
 * the command line goes too), the include-site vars, then the includer's merged vars as they
 * were when the task was merged in (go-task's IncludedTaskfileVars, which is why a global
 * var beats an include-site var of the same name); `envLayers` is the merged `env:`.
 */
export async function loadTaskGraph(
  start: string,
  options: { parseCache?: ParseCache } = {},
): Promise<TaskGraph> {
  // The YAML parser (the largest module `gantry task` would load) is loaded only when a
  // Taskfile is not in the parse cache, or when a problem must be located in one.
  if (options.parseCache) {
    try {
      return loadWith(start, options.parseCache, undefined);
    } catch (error) {
      if (error !== needsParser) throw error;
    }
  }
  const { YamlSource } = await import('./yaml-source.js');
  return loadWith(start, options.parseCache, YamlSource);
}

type YamlSourceClass = typeof YamlSource;

/** Thrown (and caught above) when the parser is needed but not loaded yet. */
const needsParser = Symbol('needs the YAML parser');

/** The same, synchronously, with the parser given (for callers that already loaded it). */
export function loadTaskGraphWith(
  start: string,
  Parser: YamlSourceClass,
  parseCache?: ParseCache,
): TaskGraph {
  return loadWith(start, parseCache, Parser);
}

function loadWith(
  start: string,
  parseCache: ParseCache | undefined,
  Parser: YamlSourceClass | undefined,
): TaskGraph {
  // process.env is read through the OS on every access: copy it once, not once per file.
  const osEnv = { ...process.env };
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
  let settings: Record<string, unknown> = {};

  const load = (file: string, chain: string[]): Merged | undefined => {
    const text = readFileSync(file, 'utf8');
    const parsed = parse(path.relative(process.cwd(), file) || file, text, parseCache, Parser);
    if (Array.isArray(parsed)) {
      problems.push(...parsed);
      return undefined;
    }
    const { source, root } = parsed;
    if (!isRecord(root)) {
      problems.push({
        file: source.file,
        message: 'a Taskfile must be a mapping with `version` and `tasks`',
      });
      return undefined;
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
    if (chain.length === 1)
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
    else if (root['dotenv'] !== undefined)
      problems.push(
        source.problem(
          ['dotenv'],
          "included Taskfiles can't have dotenv declarations; move the dotenv declaration to the main Taskfile",
        ),
      );
    const fileDir = path.dirname(file);
    const merged: Merged = {
      vars: { ...asRecord(root['vars']) },
      env: { ...asRecord(root['env']) },
      tasks: new Map(),
      ...(root['output'] === undefined ? {} : { output: root['output'] }),
    };

    for (const [name, raw] of Object.entries(asRecord(root['tasks']))) {
      const spec = normaliseTask(raw);
      if (isRecord(raw)) checkTask(source, name, spec, problems);
      if (chain.length > 1 && root['silent'] === true && spec['silent'] === undefined)
        spec['silent'] = true;
      merged.tasks.set(name, {
        name,
        file: source.file,
        line: parsed.taskLine(name),
        spec,
        aliases: list(spec['aliases']).map(String),
        dir: typeof spec['dir'] === 'string' ? spec['dir'] : '',
        internal: spec['internal'] === true,
        includeVars: {},
        includedFileVars: {},
      });
    }

    // Include paths may use the OS environment and this Taskfile's static vars.
    const pathData = Object.assign(
      {},
      osEnv,
      Object.fromEntries(
        Object.entries(merged.vars).filter(([, v]) => typeof v !== 'object' || v === null),
      ),
    );
    for (const [ns, value] of Object.entries(asRecord(root['includes']))) {
      const advanced = typeof value !== 'string';
      const include = advanced ? asRecord(value) : { taskfile: value };
      if (advanced) {
        for (const key of Object.keys(include))
          if (!includeKeys.has(key))
            problems.push(
              source.problem(['includes', ns, key], `unknown key '${key}' in include '${ns}'`),
            );
      }
      const target = renderTemplate(String(include['taskfile'] ?? ''), pathData);
      const resolved = resolveTaskfile(path.resolve(fileDir, target));
      if (!resolved) {
        if (include['optional'] !== true)
          problems.push(
            source.problem(['includes', ns], `include '${ns}': no Taskfile at ${target}`),
          );
        continue;
      }
      if (chain.includes(resolved)) {
        problems.push(
          source.problem(
            ['includes', ns],
            `include cycle detected between ${path.relative(process.cwd(), file)} and ${path.relative(process.cwd(), resolved)}`,
          ),
        );
        continue;
      }
      const child = load(resolved, [...chain, resolved]);
      if (!child) continue;
      const dir = path.resolve(fileDir, renderTemplate(String(include['dir'] ?? ''), pathData));
      mergeInclude(merged, child, {
        namespace: ns,
        advanced,
        dir,
        flatten: include['flatten'] === true,
        internal: include['internal'] === true,
        aliases: list(include['aliases']).map(String),
        excludes: list(include['excludes']).map(String),
        vars: asRecord(include['vars']),
        report: (message) => problems.push(source.problem(['includes', ns], message)),
      });
    }
    return merged;
  };

  const merged = load(rootFile, [rootFile]);
  if (problems.length > 0 || !merged) throw new ConfigError(problems);
  if (merged.output !== undefined) settings = { ...settings, output: merged.output };

  const rootDir = path.dirname(rootFile);
  const tasks = new Map<string, TaskDef>();
  const aliases = new Map<string, string>();
  for (const entry of merged.tasks.values()) {
    tasks.set(entry.name, {
      name: entry.name,
      file: entry.file,
      line: entry.line,
      dir: path.resolve(rootDir, entry.dir),
      varLayers: [merged.vars, entry.includeVars, entry.includedFileVars],
      envLayers: [merged.env],
      spec: entry.spec,
      internal: entry.internal,
      aliases: entry.aliases,
    });
  }
  for (const entry of merged.tasks.values())
    for (const alias of entry.aliases)
      if (!tasks.has(alias) && !aliases.has(alias)) aliases.set(alias, entry.name);
  return { rootFile, tasks, aliases, settings };
}

interface IncludeSpec {
  namespace: string;
  /** The map form (`{taskfile, dir, ...}`), which gives tasks a dir and include vars. */
  advanced: boolean;
  /** Absolute: the include's `dir:`, else the including Taskfile's directory. */
  dir: string;
  flatten: boolean;
  internal: boolean;
  aliases: string[];
  excludes: string[];
  vars: Vars;
  report: (message: string) => void;
}

/** go-task's Taskfile.Merge + Tasks.Merge: merges an included Taskfile into its includer. */
function mergeInclude(parent: Merged, child: Merged, include: IncludeSpec): void {
  if (child.output !== undefined) parent.output = child.output;
  // A map-form include runs the included Taskfile's `sh:` vars in its directory.
  const tag = (vars: Vars): Vars =>
    include.advanced
      ? Object.fromEntries(
          Object.entries(vars).map(([k, v]) => [
            k,
            isRecord(v) && typeof v['sh'] === 'string' ? { ...v, [shDir]: include.dir } : v,
          ]),
        )
      : vars;
  Object.assign(parent.vars, tag(child.vars));
  Object.assign(parent.env, tag(child.env));
  const ns = include.namespace;
  for (const [name, original] of child.tasks) {
    if (excluded(name, include.excludes)) continue;
    const entry: Entry = {
      ...original,
      spec: original.spec,
      internal: original.internal || include.internal,
      includeVars: { ...original.includeVars },
    };
    if (!include.flatten) {
      entry.spec = withNamespace(original.spec, ns);
      entry.aliases = [
        ...original.aliases.map((a) => namespaced(a, ns)),
        ...include.aliases.flatMap((nsAlias) => [
          namespaced(original.name, nsAlias),
          ...original.aliases.map((a) => namespaced(a, nsAlias)),
        ]),
      ];
      entry.name = namespaced(name, ns);
    }
    if (include.advanced) {
      entry.dir = path.resolve(include.dir, original.dir);
      Object.assign(entry.includeVars, include.vars);
      entry.includedFileVars = { ...parent.vars };
    }
    if (parent.tasks.has(entry.name)) {
      include.report(`task '${entry.name}' included by '${ns}' is already defined`);
      continue;
    }
    parent.tasks.set(entry.name, entry);
  }
  // `task ns` runs the included Taskfile's default task.
  if (child.tasks.has('default') && !parent.tasks.has(ns) && !include.flatten) {
    const fallback = parent.tasks.get(`${ns}:default`);
    if (fallback) fallback.aliases = [...fallback.aliases, ns, ...include.aliases];
  }
}

/** go-task's taskNameWithNamespace: a leading `:` escapes one level of namespace. */
function namespaced(name: string, ns: string): string {
  return name.startsWith(':') ? name.slice(1) : `${ns}:${name}`;
}

function excluded(name: string, excludes: readonly string[]): boolean {
  return excludes.some((exclude) =>
    exclude.endsWith(':*')
      ? exclude !== ':*' && name.startsWith(exclude.slice(0, -1))
      : name === exclude,
  );
}

/** The tasks a task's `deps:` and `task:` commands (and deferred calls) name, namespaced. */
function withNamespace(spec: Record<string, unknown>, ns: string): Record<string, unknown> {
  const call = (value: unknown): unknown =>
    typeof value === 'string'
      ? namespaced(value, ns)
      : isRecord(value) && typeof value['task'] === 'string' && value['task'] !== ''
        ? { ...value, task: namespaced(value['task'], ns) }
        : value;
  const out = { ...spec };
  if (spec['deps'] !== undefined) out['deps'] = list(spec['deps']).map(call);
  if (spec['cmds'] !== undefined)
    out['cmds'] = list(spec['cmds']).map((cmd) => {
      if (!isRecord(cmd)) return cmd;
      if (typeof cmd['task'] === 'string' && cmd['task'] !== '')
        return { ...cmd, task: namespaced(cmd['task'], ns) };
      if (isRecord(cmd['defer'])) return { ...cmd, defer: call(cmd['defer']) };
      return cmd;
    });
  return out;
}

/** `task: echo hi`, `task: [a, b]` and `cmd: x` are short for `cmds:`. */
function normaliseTask(raw: unknown): Record<string, unknown> {
  if (typeof raw === 'string') return { cmds: [raw] };
  if (Array.isArray(raw)) return { cmds: raw };
  const spec = { ...asRecord(raw) };
  if (spec['cmd'] !== undefined && spec['cmds'] === undefined) {
    spec['cmds'] = [spec['cmd']];
    delete spec['cmd'];
  }
  return spec;
}

function checkTask(
  source: Locator,
  name: string,
  spec: Record<string, unknown>,
  problems: Problem[],
): void {
  for (const key of Object.keys(spec))
    if (!taskKeys.has(key))
      problems.push(source.problem(['tasks', name, key], `unknown key '${key}' in task '${name}'`));
  if (spec['cmd'] !== undefined)
    problems.push(source.problem(['tasks', name, 'cmd'], `task '${name}' has both cmd and cmds`));
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

type Locator = Pick<YamlSource, 'file' | 'problem'>;

/** A Taskfile as data, with its source parsed only when a problem has to be located. */
interface Parsed {
  readonly root: unknown;
  readonly source: Locator;
  taskLine(name: string): number;
}

function parse(
  file: string,
  text: string,
  cache: ParseCache | undefined,
  Parser: YamlSourceClass | undefined,
): Parsed | Problem[] {
  let source: YamlSource | undefined;
  const located = (): YamlSource => {
    if (!Parser) throw needsParser;
    return (source ??= new Parser(file, text));
  };
  const key = cache?.key(text);
  const hit = key === undefined ? undefined : cache?.get(key);
  if (hit) {
    return {
      root: hit.root,
      source: { file, problem: (at, message) => located().problem(at, message) },
      taskLine: (name) => hit.taskLines[name] ?? located().problem(['tasks', name], '').line ?? 0,
    };
  }
  const fresh = located();
  const syntax = fresh.syntaxProblems();
  if (syntax.length > 0) return syntax;
  const root = fresh.document.toJS() as unknown;
  const taskLine = (name: string) => fresh.problem(['tasks', name], '').line ?? 0;
  if (key !== undefined && isRecord(root)) {
    const names = Object.keys(asRecord(root['tasks']));
    cache?.set(key, { root, taskLines: Object.fromEntries(names.map((n) => [n, taskLine(n)])) });
  }
  return { root, source: fresh, taskLine };
}

function pick(record: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in record).map((k) => [k, record[k]]));
}
