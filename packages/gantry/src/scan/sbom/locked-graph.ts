import { GantryError } from '../../errors/index.js';
import { type Component, type DependencyScope, type Ecosystem, purlOf } from './component.js';

/** An edge from one locked package to another, by id within the lockfile. */
export interface LockedEdge {
  readonly id: string;
  /** Optional for its parent (`optionalDependencies`, yarn `dependenciesMeta`, Poetry `optional`). */
  readonly optional?: boolean;
}

/** One package entry of a lockfile, before it becomes a component. */
export interface LockedPackage {
  /** Unique within the lockfile: a node_modules path, a pnpm key, a yarn descriptor, ... */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** When the entry itself says how it is needed (npm `dev`, Poetry `groups`, Pipfile sections). */
  readonly scope?: DependencyScope;
  /** pnpm's per-entry `optional: true`: optional even when reached from a required root. */
  readonly optional?: boolean;
  readonly dependsOn?: readonly LockedEdge[];
  /** The file that names it, when not the lockfile itself (a requirements `-r` include). */
  readonly file?: string;
}

/** Direct dependencies of the project (every workspace of it), by how they are declared. */
export interface LockedRoots {
  readonly required: readonly LockedEdge[];
  readonly optional: readonly LockedEdge[];
  readonly dev: readonly LockedEdge[];
}

/** Roots to fill in, one list per kind. */
export function emptyRoots(): {
  required: LockedEdge[];
  optional: LockedEdge[];
  dev: LockedEdge[];
} {
  return { required: [], optional: [], dev: [] };
}

/** What a lockfile reader returns: its packages and, when recorded, the dependency graph. */
export interface LockedGraph {
  readonly ecosystem: Ecosystem;
  readonly packages: readonly LockedPackage[];
  /** Whether the lockfile records dependencies between packages at all. */
  readonly hasGraph: boolean;
  /** Scopes of packages without their own come from what these reach. */
  readonly roots?: LockedRoots;
}

/** Where a reader is and how it reports skipped entries. */
export interface LockfileContext {
  /** The lockfile relative to the scanned root, `/` separators: used in messages. */
  readonly file: string;
  /** Absolute path of the lockfile. */
  readonly path: string;
  /** `file` names an included file (requirements `-r`) when it is not the lockfile itself. */
  warn(message: string, line?: number, file?: string): void;
}

/** GANTRY_LOCKFILE_INVALID naming the file and the line or entry. */
export function invalidLockfile(
  file: string,
  detail: string,
  options: { line?: number; cause?: unknown } = {},
): GantryError {
  const where = options.line === undefined ? file : `${file}:${options.line}`;
  return new GantryError('GANTRY_LOCKFILE_INVALID', `${where}: ${detail}`, {
    cause: options.cause,
    location: { file, ...(options.line === undefined ? {} : { line: options.line }) },
    hint: 'regenerate the lockfile with its package manager, or fix the line named above',
  });
}

/** The 1-based line of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i += 1) if (text.charCodeAt(i) === 10) line += 1;
  return line;
}

/** Parses JSON, turning a syntax error into GANTRY_LOCKFILE_INVALID at its line. */
export function parseJsonLockfile(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message)?.[1];
    const line = position === undefined ? undefined : lineAt(text, Number(position));
    throw invalidLockfile(file, `not valid JSON: ${message}`, {
      cause: error,
      ...(line === undefined ? {} : { line }),
    });
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Ids reached from `start` along edges (optional edges only when `followOptional`). */
function reach(
  start: readonly LockedEdge[],
  edges: ReadonlyMap<string, readonly LockedEdge[]>,
  followOptional: boolean,
): Set<string> {
  const seen = new Set<string>();
  const queue = start.filter((e) => followOptional || !e.optional).map((e) => e.id);
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of edges.get(id) ?? [])
      if (followOptional || !edge.optional) queue.push(edge.id);
  }
  return seen;
}

/** Scopes by reachability: required beats optional beats dev; unreached stays unknown. */
function scopesFromRoots(graph: LockedGraph): Map<string, DependencyScope> {
  const scopes = new Map<string, DependencyScope>();
  const roots = graph.roots;
  if (!roots) return scopes;
  const edges = new Map(graph.packages.map((p) => [p.id, p.dependsOn ?? []]));
  const required = reach(roots.required, edges, false);
  const optional = reach([...roots.required, ...roots.optional], edges, true);
  const dev = reach(roots.dev, edges, true);
  for (const p of graph.packages) {
    const scope = required.has(p.id)
      ? 'required'
      : optional.has(p.id)
        ? 'optional'
        : dev.has(p.id)
          ? 'dev'
          : undefined;
    if (scope) scopes.set(p.id, scope === 'required' && p.optional ? 'optional' : scope);
  }
  return scopes;
}

/** The components of one lockfile: purls made, edges turned into purls, scopes settled. */
export function componentsOf(graph: LockedGraph, file: string): Component[] {
  const purls = new Map(
    graph.packages.map((p) => [p.id, purlOf(graph.ecosystem, p.name, p.version)]),
  );
  const scopes = scopesFromRoots(graph);
  return graph.packages.map((p) => {
    const scope = p.scope ?? scopes.get(p.id);
    const purl = purls.get(p.id) ?? '';
    const dependsOn = (p.dependsOn ?? []).flatMap((edge) => {
      const target = purls.get(edge.id);
      return target === undefined || target === purl ? [] : [target];
    });
    return {
      name: p.name,
      version: p.version,
      ecosystem: graph.ecosystem,
      purl,
      file: p.file ?? file,
      ...(scope === undefined ? {} : { scope }),
      ...(graph.hasGraph ? { dependsOn: [...new Set(dependsOn)] } : {}),
    };
  });
}
