import { type DependencyScope, normalizePypiName } from './component.js';
import {
  isRecord,
  type LockedEdge,
  type LockedGraph,
  type LockfileContext,
} from './locked-graph.js';
import { idsByName, packageTables, parseTomlLockfile, versionOf } from './toml-lockfile.js';

/**
 * poetry.lock: `groups` (Poetry 2) or `category` (before 1.5) say main or dev; `optional`
 * marks packages needed only by an extra. Lock format 2.0 of Poetry 1.5–1.8 records neither
 * group nor category, so their scope stays unknown. Path dependencies are the project's own.
 */
export function readPoetryLock(text: string, ctx: LockfileContext): LockedGraph {
  const tables = packageTables(parseTomlLockfile(text, ctx.file), ctx.file).filter((entry) => {
    const source = entry['source'];
    return !(isRecord(source) && source['type'] === 'directory');
  });
  const packages = tables.map((entry) => {
    const scope = poetryScope(entry);
    return {
      id: `${normalizePypiName(entry['name'] as string)}@${versionOf(entry, ctx.file)}`,
      name: entry['name'] as string,
      version: versionOf(entry, ctx.file),
      ...(scope ? { scope } : {}),
    };
  });
  const byName = idsByName(packages);
  // Dependencies name packages as their authors wrote them (`Flask`, `MarkupSafe`).
  const edges = (deps: unknown): LockedEdge[] =>
    isRecord(deps)
      ? Object.entries(deps).flatMap(([name, spec]) => {
          const optional = isRecord(spec) && spec['optional'] === true;
          return (byName.get(normalizePypiName(name)) ?? []).map((id) => ({
            id,
            ...(optional ? { optional: true } : {}),
          }));
        })
      : [];
  return {
    ecosystem: 'PyPI',
    hasGraph: true,
    packages: packages.map((p, i) => ({ ...p, dependsOn: edges(tables[i]?.['dependencies']) })),
  };
}

function poetryScope(entry: Record<string, unknown>): DependencyScope | undefined {
  const groups = entry['groups'];
  const category = entry['category'];
  const main = Array.isArray(groups) ? groups.includes('main') : category === 'main';
  if (!Array.isArray(groups) && category === undefined)
    return entry['optional'] === true ? 'optional' : undefined;
  if (!main) return 'dev';
  return entry['optional'] === true ? 'optional' : 'required';
}
