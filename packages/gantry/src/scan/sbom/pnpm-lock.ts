import {
  emptyRoots,
  invalidLockfile,
  isRecord,
  type LockedEdge,
  type LockedGraph,
  type LockedPackage,
  type LockfileContext,
} from './locked-graph.js';
import { parseYamlLockfile } from './yaml-lockfile.js';

/** How a lockfile generation writes package keys and references to them. */
interface KeyStyle {
  /** The key a dependency `name: ref` points at (besides `ref` itself, used by aliases). */
  keyOf(name: string, ref: string): string;
  /** `name@version` of a key without its peer suffix, or undefined when it is no registry key. */
  split(key: string): { name: string; version: string } | undefined;
}

const atStyle = (prefix: string): KeyStyle => ({
  keyOf: (name, ref) => `${prefix}${name}@${ref}`,
  split(key) {
    if (!key.startsWith(prefix)) return undefined;
    const bare = key.slice(prefix.length).replace(/\(.*$/, '');
    // Names hold no `@` past a scope's; versions of git and tarball keys are URLs that may.
    const at = bare.indexOf('@', 1);
    return at > 0 ? { name: bare.slice(0, at), version: bare.slice(at + 1) } : undefined;
  },
});

/** Lockfile 5.x: `/name/1.2.3_peer@1.0.0`, `/@scope/name/1.2.3`. */
const slashStyle: KeyStyle = {
  keyOf: (name, ref) => `/${name}/${ref}`,
  split(key) {
    if (!key.startsWith('/')) return undefined;
    const slash = key.lastIndexOf('/');
    if (slash <= 0) return undefined;
    return { name: key.slice(1, slash), version: key.slice(slash + 1).replace(/_.*$/, '') };
  },
};

type DepKind = 'required' | 'optional' | 'dev';
const depFields: readonly [string, DepKind][] = [
  ['dependencies', 'required'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
];

/**
 * pnpm-lock.yaml, lockfile 5.x (pnpm 6–7), 6.x (pnpm 8) and 9.x (pnpm 9–10). Every peer
 * variant of a package is its own entry; scopes follow from what each importer (the project
 * and its workspaces) declares, plus pnpm's own `optional` flag.
 */
export function readPnpmLock(text: string, ctx: LockfileContext): LockedGraph {
  const lock = parseYamlLockfile(text, ctx.file);
  if (!isRecord(lock)) throw invalidLockfile(ctx.file, 'not a pnpm lockfile');
  const major = Number.parseFloat(String(lock['lockfileVersion']));
  if (!Number.isFinite(major) || major < 5 || major >= 10)
    throw invalidLockfile(
      ctx.file,
      `lockfileVersion ${JSON.stringify(lock['lockfileVersion'])} is not supported (5.x, 6.x, 9.x are)`,
    );
  const style = major < 6 ? slashStyle : major < 9 ? atStyle('/') : atStyle('');
  // Since 9.0 the dependency graph lives in `snapshots`; `packages` keeps metadata only.
  const nodes = major >= 9 ? lock['snapshots'] : lock['packages'];
  const metadata = isRecord(lock['packages']) ? lock['packages'] : {};
  if (nodes !== undefined && !isRecord(nodes))
    throw invalidLockfile(ctx.file, `'${major >= 9 ? 'snapshots' : 'packages'}' is not a map`);
  const entries = nodes ?? {};

  const edgeTo = (name: string, ref: unknown): string | undefined => {
    if (typeof ref !== 'string') return undefined;
    if (ref.startsWith('link:')) return undefined; // a workspace package: first-party
    const direct = style.keyOf(name, ref);
    return direct in entries ? direct : ref in entries ? ref : undefined;
  };
  const edgesOf = (deps: unknown, optional: boolean, useVersionField: boolean): LockedEdge[] =>
    isRecord(deps)
      ? Object.entries(deps).flatMap(([name, value]) => {
          const ref = useVersionField && isRecord(value) ? value['version'] : value;
          const id = edgeTo(name, ref);
          return id === undefined ? [] : [{ id, ...(optional ? { optional: true } : {}) }];
        })
      : [];

  const packages: LockedPackage[] = [];
  for (const [key, raw] of Object.entries(entries)) {
    const entry = raw ?? {};
    if (!isRecord(entry)) throw invalidLockfile(ctx.file, `entry '${key}' is not a map`);
    const meta = major >= 9 ? metadata[key.replace(/\(.*$/, '')] : entry;
    const locked = nameAndVersion(key, isRecord(meta) ? meta : {}, style);
    if (locked === 'local') continue;
    if (locked === undefined)
      throw invalidLockfile(ctx.file, `entry '${key}' has no name and version`);
    packages.push({
      id: key,
      ...locked,
      ...(entry['optional'] === true ? { optional: true } : {}),
      dependsOn: [
        ...edgesOf(entry['dependencies'], false, false),
        ...edgesOf(entry['optionalDependencies'], true, false),
      ],
    });
  }

  // The project and its workspaces; before 9.0 a single project keeps them at the top level.
  const importers = isRecord(lock['importers']) ? Object.values(lock['importers']) : [lock];
  const roots = emptyRoots();
  for (const importer of importers) {
    if (!isRecord(importer)) continue;
    for (const [field, kind] of depFields)
      roots[kind].push(...edgesOf(importer[field], false, major >= 6));
  }
  return { ecosystem: 'npm', packages, hasGraph: true, roots };
}

/** Registry keys carry name and version; tarball and git entries name them in fields. */
function nameAndVersion(
  key: string,
  meta: Record<string, unknown>,
  style: KeyStyle,
): { name: string; version: string } | 'local' | undefined {
  const fromKey = style.split(key);
  if (fromKey && /^(file|link|workspace):/.test(fromKey.version)) return 'local';
  if (typeof meta['version'] === 'string') {
    const name = typeof meta['name'] === 'string' ? meta['name'] : fromKey?.name;
    if (name) return { name, version: meta['version'] };
  }
  if (isRecord(meta['resolution']) && meta['resolution']['directory'] !== undefined) return 'local';
  return fromKey && /^\d/.test(fromKey.version) ? fromKey : undefined;
}
