import { PackageURL } from 'packageurl-js';

export type Ecosystem = 'npm' | 'PyPI';

/** How a component is needed: `dev` only for development, `optional` may be left out. */
export type DependencyScope = 'required' | 'optional' | 'dev';

/** One locked package: what an SBOM lists and what a vulnerability scan matches. */
export interface Component {
  /** As the ecosystem writes it: npm `@scope/pkg`; PyPI as written in the lockfile. */
  readonly name: string;
  /** The exact locked version. */
  readonly version: string;
  readonly ecosystem: Ecosystem;
  /** `pkg:npm/%40scope/pkg@1.2.3`, `pkg:pypi/<PEP 503 name>@1.0`. */
  readonly purl: string;
  /** The lockfile it came from, relative to the scanned root, with `/` separators. */
  readonly file: string;
  /** Left out when the lockfile does not say. */
  readonly scope?: DependencyScope;
  /** Purls of the components it depends on, when the lockfile records the graph. */
  readonly dependsOn?: readonly string[];
}

/** A package line or entry that was not listed, and why (an unpinned requirement, a git URL). */
export interface LockfileWarning {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** PEP 503: lower case, every run of `-`, `_` and `.` becomes one `-`. */
export function normalizePypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * The package URL of a locked package. packageurl-js applies the type rules (npm names lower
 * case, `@` of a scope percent-encoded); PyPI names are PEP 503 normalised first, which
 * also folds `.` (the purl pypi rule alone only folds `_`).
 */
export function purlOf(ecosystem: Ecosystem, name: string, version: string): string {
  if (ecosystem === 'PyPI')
    return new PackageURL('pypi', undefined, normalizePypiName(name), version).toString();
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const namespace = slash > 0 ? name.slice(0, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  return new PackageURL('npm', namespace, bare, version).toString();
}

// When one package is found twice (nested copies, several lockfiles), the more needed scope
// wins; an unknown scope counts as possibly required.
const scopeRank = { dev: 0, optional: 1, unknown: 2, required: 3 } as const;

function strongerScope(
  a: DependencyScope | undefined,
  b: DependencyScope | undefined,
): DependencyScope | undefined {
  return scopeRank[a ?? 'unknown'] >= scopeRank[b ?? 'unknown'] ? a : b;
}

/** One component per purl (first file wins, scopes and edges merged), sorted by purl. */
export function mergeComponents(found: Iterable<Component>): Component[] {
  const byPurl = new Map<string, Component>();
  for (const next of found) {
    const seen = byPurl.get(next.purl);
    if (!seen) {
      byPurl.set(next.purl, next);
      continue;
    }
    const edges = [...new Set([...(seen.dependsOn ?? []), ...(next.dependsOn ?? [])])];
    const scope = strongerScope(seen.scope, next.scope);
    const { scope: _s, dependsOn: _d, ...rest } = seen;
    byPurl.set(next.purl, {
      ...rest,
      ...(scope === undefined ? {} : { scope }),
      ...(seen.dependsOn || next.dependsOn ? { dependsOn: edges } : {}),
    });
  }
  return [...byPurl.values()]
    .map((c) => (c.dependsOn ? { ...c, dependsOn: [...c.dependsOn].sort(compareText) } : c))
    .sort((a, b) => compareText(a.purl, b.purl));
}

/** Code-unit order, the same on every machine and locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
