import { readdirSync } from 'node:fs';
import path from 'node:path';
import {
  emptyRoots,
  invalidLockfile,
  isRecord,
  type LockedEdge,
  type LockedGraph,
  type LockedPackage,
  type LockfileContext,
} from './locked-graph.js';
import { type DeclaredDependencies, readPackageJson } from './package-json.js';
import { parseYarnV1, type YarnBlock, type YarnValue } from './yarn-v1-syntax.js';
import { parseYamlLockfile } from './yaml-lockfile.js';

/** `name@range` → [name, range]; the name may be scoped (`@s/n@^1`). */
function splitDescriptor(descriptor: string): [string, string] {
  const at = descriptor.indexOf('@', 1);
  return at < 0 ? [descriptor, ''] : [descriptor.slice(0, at), descriptor.slice(at + 1)];
}

/** Protocols of the project's own folders: not third-party components. */
const localProtocol = /^(workspace|link|portal|file):/;

/**
 * yarn.lock of yarn 1 (its own syntax) and of yarn 2+ ("berry", YAML with `__metadata`).
 * Entries are keyed by the descriptors that resolved to them; dependencies point back at
 * descriptors. Neither records dev dependencies, so scopes come from the package.json files.
 */
export function readYarnLock(text: string, ctx: LockfileContext): LockedGraph {
  return /^__metadata:/m.test(text) ? readBerry(text, ctx) : readV1(text, ctx);
}

function readV1(text: string, ctx: LockfileContext): LockedGraph {
  const root = parseYarnV1(text, ctx.file);
  const idOf = new Map<YarnBlock, string>();
  const byDescriptor = new Map<string, string>();
  for (const [descriptor, block] of root.values) {
    if (typeof block === 'string' || typeof block === 'boolean')
      throw invalidLockfile(ctx.file, `'${descriptor}' is not an entry`);
    if (!idOf.has(block)) idOf.set(block, descriptor);
    byDescriptor.set(descriptor, idOf.get(block) as string);
  }
  const edges = (deps: YarnValue | undefined, optional: boolean): LockedEdge[] =>
    typeof deps === 'object'
      ? [...deps.values].flatMap(([name, range]) => {
          const id = byDescriptor.get(`${name}@${String(range)}`);
          return id === undefined ? [] : [{ id, ...(optional ? { optional: true } : {}) }];
        })
      : [];
  const packages: LockedPackage[] = [];
  for (const [block, id] of idOf) {
    const [declared, range] = splitDescriptor(id);
    if (localProtocol.test(range)) continue;
    // An alias `alias@npm:real@^1` installs `real`.
    const name = range.startsWith('npm:') ? splitDescriptor(range.slice(4))[0] : declared;
    const version = block.values.get('version');
    if (typeof version !== 'string' || version === '')
      throw invalidLockfile(ctx.file, `entry '${id}' has no version`, { line: block.line });
    packages.push({
      id,
      name,
      version,
      dependsOn: [
        ...edges(block.values.get('dependencies'), false),
        ...edges(block.values.get('optionalDependencies'), true),
      ],
    });
  }
  const dir = path.dirname(ctx.path);
  const manifests = withWorkspaces(dir, readPackageJson(dir));
  if (manifests.length === 0) return { ecosystem: 'npm', packages, hasGraph: true };
  const roots = emptyRoots();
  for (const manifest of manifests)
    for (const kind of ['required', 'optional', 'dev'] as const)
      for (const [name, range] of Object.entries(manifest[kind])) {
        const id = byDescriptor.get(`${name}@${range}`);
        if (id !== undefined) roots[kind].push({ id });
      }
  return { ecosystem: 'npm', packages, hasGraph: true, roots };
}

/** The root manifest and those of its yarn 1 workspaces (`dir/*` patterns and plain folders). */
function withWorkspaces(
  dir: string,
  root: DeclaredDependencies | undefined,
): DeclaredDependencies[] {
  if (!root) return [];
  const found = [root];
  for (const pattern of root.workspaces) {
    const folders = pattern.endsWith('/*')
      ? subfolders(path.join(dir, pattern.slice(0, -2)))
      : [path.join(dir, pattern)];
    for (const folder of folders) {
      const manifest = readPackageJson(folder);
      if (manifest) found.push(manifest);
    }
  }
  return found;
}

function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => path.join(dir, e.name));
  } catch {
    return [];
  }
}

function readBerry(text: string, ctx: LockfileContext): LockedGraph {
  const lock = parseYamlLockfile(text, ctx.file);
  if (!isRecord(lock)) throw invalidLockfile(ctx.file, 'not a yarn lockfile');
  const byDescriptor = new Map<string, string>();
  for (const key of Object.keys(lock)) {
    if (key === '__metadata') continue;
    for (const descriptor of key.split(/,\s*/)) byDescriptor.set(descriptor, key);
  }
  /** Dependencies by their declared name (an alias keeps its own name). */
  const edgesOf = (entry: Record<string, unknown>): [string, LockedEdge][] => {
    const deps = isRecord(entry['dependencies']) ? entry['dependencies'] : {};
    const meta = isRecord(entry['dependenciesMeta']) ? entry['dependenciesMeta'] : {};
    return Object.entries(deps).flatMap(([name, range]) => {
      const id = byDescriptor.get(`${name}@${String(range)}`);
      const flags = meta[name];
      const optional = isRecord(flags) && flags['optional'] === true;
      return id === undefined ? [] : [[name, { id, ...(optional ? { optional: true } : {}) }]];
    });
  };
  const packages: LockedPackage[] = [];
  const roots = emptyRoots();
  let haveManifest = false;
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata') continue;
    if (!isRecord(entry)) throw invalidLockfile(ctx.file, `entry '${key}' is not a map`);
    const resolution = entry['resolution'];
    if (typeof resolution !== 'string')
      throw invalidLockfile(ctx.file, `entry '${key}' has no resolution`);
    const [name, reference] = splitDescriptor(resolution);
    if (reference.startsWith('workspace:')) {
      // A workspace: its package.json says which of its dependencies are dev or optional.
      const manifest = readPackageJson(path.join(path.dirname(ctx.path), reference.slice(10)));
      if (manifest) haveManifest = true;
      for (const [depName, edge] of edgesOf(entry)) {
        const kind = !manifest
          ? undefined
          : depName in manifest.dev && !(depName in manifest.required)
            ? 'dev'
            : depName in manifest.optional || edge.optional
              ? 'optional'
              : 'required';
        if (kind) roots[kind].push({ id: edge.id });
      }
      continue;
    }
    if (localProtocol.test(reference)) continue;
    const version = entry['version'];
    if (typeof version !== 'string' || version === '')
      throw invalidLockfile(ctx.file, `entry '${key}' has no version`);
    packages.push({ id: key, name, version, dependsOn: edgesOf(entry).map(([, edge]) => edge) });
  }
  return { ecosystem: 'npm', packages, hasGraph: true, ...(haveManifest ? { roots } : {}) };
}
