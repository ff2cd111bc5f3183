import { normalizePypiName } from './component.js';
import {
  emptyRoots,
  isRecord,
  type LockedEdge,
  type LockedGraph,
  type LockedPackage,
  type LockfileContext,
} from './locked-graph.js';
import { idsByName, packageTables, parseTomlLockfile, versionOf } from './toml-lockfile.js';

/**
 * uv.lock: the project and its workspace members (`virtual` and `editable` sources) are the
 * roots: their `dependencies`, `optional-dependencies` (extras) and `dev-dependencies`
 * (dependency groups) give the scopes of everything they reach.
 */
export function readUvLock(text: string, ctx: LockfileContext): LockedGraph {
  const tables = packageTables(parseTomlLockfile(text, ctx.file), ctx.file);
  const isProject = (entry: Record<string, unknown>) => {
    const source = entry['source'];
    return isRecord(source) && ('virtual' in source || 'editable' in source);
  };
  const isLocal = (entry: Record<string, unknown>) => {
    const source = entry['source'];
    return isRecord(source) && ('directory' in source || 'path' in source);
  };
  const locked = tables.filter((e) => !isProject(e) && !isLocal(e));
  const packages: LockedPackage[] = locked.map((entry) => ({
    id: `${normalizePypiName(entry['name'] as string)}@${versionOf(entry, ctx.file)}`,
    name: entry['name'] as string,
    version: versionOf(entry, ctx.file),
  }));
  const byName = idsByName(packages);
  // A dependency names a version only when several are locked (one per marker set).
  const edges = (list: unknown): LockedEdge[] =>
    Array.isArray(list)
      ? list.flatMap((dep: unknown) => {
          if (!isRecord(dep) || typeof dep['name'] !== 'string') return [];
          const name = normalizePypiName(dep['name']);
          const ids = byName.get(name) ?? [];
          const version = dep['version'];
          const chosen =
            typeof version === 'string' ? ids.filter((id) => id === `${name}@${version}`) : ids;
          return chosen.map((id) => ({ id }));
        })
      : [];
  const grouped = (table: unknown): LockedEdge[] =>
    isRecord(table) ? Object.values(table).flatMap((list) => edges(list)) : [];
  const roots = emptyRoots();
  for (const entry of tables.filter(isProject)) {
    roots.required.push(...edges(entry['dependencies']));
    roots.optional.push(...grouped(entry['optional-dependencies']));
    roots.dev.push(...grouped(entry['dev-dependencies']));
  }
  return {
    ecosystem: 'PyPI',
    hasGraph: true,
    roots,
    packages: packages.map((p, i) => {
      const entry = locked[i] ?? {};
      // Extras of a dependency are locked only when something asks for them.
      return {
        ...p,
        dependsOn: [...edges(entry['dependencies']), ...grouped(entry['optional-dependencies'])],
      };
    }),
  };
}
