import type { DependencyScope } from './component.js';
import {
  invalidLockfile,
  isRecord,
  type LockedEdge,
  type LockedGraph,
  type LockedPackage,
  type LockfileContext,
  parseJsonLockfile,
} from './locked-graph.js';

/**
 * package-lock.json and npm-shrinkwrap.json. Versions 2 and 3 list every installed folder in
 * `packages`, keyed by its node_modules path; version 1 nests `dependencies` the way the
 * folders nest. Dependencies resolve like Node's require: the closest node_modules up the path.
 */
export function readNpmLock(text: string, ctx: LockfileContext): LockedGraph {
  const lock = parseJsonLockfile(text, ctx.file);
  if (!isRecord(lock)) throw invalidLockfile(ctx.file, 'not a package-lock object');
  const version = lock['lockfileVersion'] ?? 1;
  if (version !== 1 && version !== 2 && version !== 3)
    throw invalidLockfile(ctx.file, `lockfileVersion ${JSON.stringify(version)} is not supported`);
  const packages =
    version === 1 ? fromV1(lock['dependencies'], ctx) : fromPackages(lock['packages'], ctx);
  return { ecosystem: 'npm', packages, hasGraph: true };
}

function scopeOf(entry: Record<string, unknown>): DependencyScope {
  if (entry['dev'] === true) return 'dev';
  // devOptional: on a dev path and an optional one, so an install without dev still has it.
  if (entry['optional'] === true || entry['devOptional'] === true) return 'optional';
  return 'required';
}

/** `node_modules/a/node_modules/@s/b` → `@s/b`. */
function nameFromPath(key: string): string {
  const at = key.lastIndexOf('node_modules/');
  return key.slice(at + 'node_modules/'.length);
}

/** The folder whose node_modules holds `key`: `node_modules/a/node_modules/b` → `node_modules/a`. */
function parentFolder(key: string): string {
  const at = key.lastIndexOf('/node_modules/');
  return at < 0 ? '' : key.slice(0, at);
}

function fromPackages(packages: unknown, ctx: LockfileContext): LockedPackage[] {
  if (!isRecord(packages))
    throw invalidLockfile(ctx.file, "'packages' is missing or not an object");
  const resolve = (from: string, name: string): string | undefined => {
    for (let folder: string | undefined = from; folder !== undefined;) {
      const key = folder === '' ? `node_modules/${name}` : `${folder}/node_modules/${name}`;
      if (key in packages) return key;
      folder = folder === '' ? undefined : parentFolder(folder);
    }
    return undefined;
  };
  const out: LockedPackage[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) throw invalidLockfile(ctx.file, `entry '${key}' is not an object`);
    // The project itself ('') and workspace folders are first-party; links point at them.
    if (!key.startsWith('node_modules/') && !key.includes('/node_modules/')) continue;
    if (entry['link'] === true) continue;
    const version = entry['version'];
    if (typeof version !== 'string' || version === '')
      throw invalidLockfile(ctx.file, `entry '${key}' has no version`);
    const name = typeof entry['name'] === 'string' ? entry['name'] : nameFromPath(key);
    const edges: LockedEdge[] = [];
    const peerMeta = isRecord(entry['peerDependenciesMeta']) ? entry['peerDependenciesMeta'] : {};
    const groups = [
      ['dependencies', false],
      ['optionalDependencies', true],
      ['peerDependencies', false],
    ] as const;
    for (const [field, optional] of groups) {
      const deps = entry[field];
      if (!isRecord(deps)) continue;
      for (const dep of Object.keys(deps)) {
        const id = resolve(key, dep);
        if (id === undefined) continue; // an optional or peer dependency not installed
        const peerOptional = isRecord(peerMeta[dep]) && peerMeta[dep]['optional'] === true;
        edges.push({ id, ...(optional || peerOptional ? { optional: true } : {}) });
      }
    }
    out.push({ id: key, name, version, scope: scopeOf(entry), dependsOn: edges });
  }
  return out;
}

/** Version 1: nested `dependencies`, `requires` resolved through the enclosing folders. */
function fromV1(dependencies: unknown, ctx: LockfileContext): LockedPackage[] {
  if (dependencies === undefined) return [];
  const out: LockedPackage[] = [];
  // Each level: dependency name → id, innermost first when resolving.
  const walk = (deps: unknown, prefix: string, chain: Map<string, string>[]) => {
    if (!isRecord(deps))
      throw invalidLockfile(ctx.file, `'dependencies' of '${prefix}' is not an object`);
    const level = new Map<string, string>();
    for (const key of Object.keys(deps)) level.set(key, `${prefix}node_modules/${key}`);
    const scopes = [level, ...chain];
    for (const [key, entry] of Object.entries(deps)) {
      const id = `${prefix}node_modules/${key}`;
      if (!isRecord(entry)) throw invalidLockfile(ctx.file, `entry '${id}' is not an object`);
      if (entry['dependencies'] !== undefined) walk(entry['dependencies'], `${id}/`, scopes);
      const locked = v1Version(key, entry['version']);
      if (locked === 'local') continue;
      if (locked === undefined) {
        if (typeof entry['version'] !== 'string')
          throw invalidLockfile(ctx.file, `entry '${id}' has no version`);
        ctx.warn(`${id}: ${entry['version']} is not a registry version; not listed`);
        continue;
      }
      const inner = isRecord(entry['dependencies'])
        ? new Map(Object.keys(entry['dependencies']).map((k) => [k, `${id}/node_modules/${k}`]))
        : new Map<string, string>();
      const requires = isRecord(entry['requires']) ? Object.keys(entry['requires']) : [];
      const edges = requires.flatMap((dep) => {
        const target = [inner, ...scopes].find((s) => s.has(dep))?.get(dep);
        return target === undefined ? [] : [{ id: target }];
      });
      out.push({ id, ...locked, scope: scopeOf(entry), dependsOn: edges });
    }
  };
  walk(dependencies, '', []);
  return out;
}

/** A v1 `version`: semver, `npm:real@1.2.3` for an alias, `file:` (local), or a URL. */
function v1Version(
  key: string,
  version: unknown,
): { name: string; version: string } | 'local' | undefined {
  if (typeof version !== 'string') return undefined;
  if (version.startsWith('file:')) return 'local';
  if (version.startsWith('npm:')) {
    const spec = version.slice(4);
    const at = spec.lastIndexOf('@');
    return at > 0 ? { name: spec.slice(0, at), version: spec.slice(at + 1) } : undefined;
  }
  return /^\d/.test(version) ? { name: key, version } : undefined;
}
