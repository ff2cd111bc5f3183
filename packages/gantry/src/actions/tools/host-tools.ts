import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { capture } from '../support/capture.js';

/** One installation of a tool found on this host. */
export interface ToolInstall {
  /** Normalised version, e.g. `20.11.1`. */
  version: string;
  /** The executable itself. */
  executable: string;
  /** Where it was found, for messages: `PATH`, `nvm`, `pyenv`, ... */
  source: string;
}

/** The directories of a PATH value, in order, without empties and duplicates. */
export function pathDirs(env: Readonly<Record<string, string>>): string[] {
  return [...new Set((env['PATH'] ?? '').split(path.delimiter).filter(Boolean))];
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    const stats = await fs.stat(file);
    if (!stats.isFile()) return false;
    await fs.access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Every executable called `name` in the PATH directories, in PATH order. */
export async function executablesOnPath(
  name: string,
  env: Readonly<Record<string, string>>,
): Promise<string[]> {
  const found: string[] = [];
  for (const dir of pathDirs(env)) {
    const file = path.join(dir, name);
    if (await isExecutable(file)) found.push(file);
  }
  return found;
}

/** The entries of a directory (empty when it does not exist), sorted. */
export async function listDir(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [] as string[])).sort();
}

/** Runs `<executable> <args>` and pulls the first version-looking token out of its output. */
export async function probeVersion(
  executable: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<string | undefined> {
  const result = await capture(executable, args, { env, timeoutMs: 20_000 });
  if (!result.ok) return undefined;
  const match = /(\d+\.\d+(?:\.\d+)?(?:[-.+]?[0-9A-Za-z.]+)?)/.exec(
    `${result.stdout}\n${result.stderr}`,
  );
  return match?.[1] ? normaliseVersion(match[1]) : undefined;
}

/** `v20.1.0` → `20.1.0`; `3.12` → `3.12.0`; Python's `3.13.0rc1` → `3.13.0-rc1`. Undefined if unreadable. */
export function normaliseVersion(text: string): string | undefined {
  const pep440 = text
    .trim()
    .replace(/^v/, '')
    .replace(/^(\d+\.\d+\.\d+)(a|b|rc)(\d*)$/, '$1-$2$3');
  return semver.valid(pep440) ?? semver.valid(semver.coerce(pep440)) ?? undefined;
}

/** Keeps the first install of each executable (an install reachable twice, e.g. via PATH and nvm). */
export async function uniqueInstalls<T extends ToolInstall>(installs: readonly T[]): Promise<T[]> {
  const seen = new Set<string>();
  const result: T[] = [];
  for (const install of installs) {
    const real = await fs.realpath(install.executable).catch(() => install.executable);
    if (seen.has(real)) continue;
    seen.add(real);
    result.push(install);
  }
  return result;
}

/** The highest install satisfying a semver range (prereleases only when the range names one). */
export function bestMatch<T extends ToolInstall>(
  installs: readonly T[],
  range: string,
): T | undefined {
  const versions = installs.map((i) => i.version);
  const best = semver.maxSatisfying(versions, range);
  return best === null ? undefined : installs.find((i) => i.version === best);
}

/** `20.11.1 (nvm), 18.19.0 (PATH)` — for "not found" messages. */
export function describeInstalls(installs: readonly ToolInstall[]): string {
  return installs.length === 0
    ? 'none'
    : installs.map((i) => `${i.version} (${i.source})`).join(', ');
}

/** `<toolCache>/<tool>/<version>/<arch>/bin/<exe>`, the layout of GitHub's hosted tool cache. */
export async function toolCacheInstalls(
  toolCache: string | undefined,
  tool: string,
  exe: string,
): Promise<ToolInstall[]> {
  if (!toolCache) return [];
  const installs: ToolInstall[] = [];
  const root = path.join(toolCache, tool);
  for (const entry of await listDir(root)) {
    const version = normaliseVersion(entry);
    if (!version) continue;
    for (const arch of await listDir(path.join(root, entry))) {
      const executable = path.join(root, entry, arch, 'bin', exe);
      if (await isExecutable(executable))
        installs.push({ version, executable, source: 'tool cache' });
    }
  }
  return installs;
}
