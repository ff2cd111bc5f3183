import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { GantryError } from '../../errors/index.js';
import { bestMatch, type ToolInstall } from './host-tools.js';

/** LTS code names (https://github.com/nodejs/Release#release-schedule). */
const ltsCodenames: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/**
 * Reads a node version file the way actions/setup-node does: package.json (`volta.node`,
 * `devEngines.runtime`, `engines.node`, `volta.extends`), an action.yml's `using: nodeNN`,
 * or the first version token of .nvmrc / .node-version / .tool-versions.
 */
export function readNodeVersionFile(file: string): string {
  if (!existsSync(file)) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `The specified node version file at: ${file} does not exist`,
    );
  }
  const contents = readFileSync(file, 'utf8');
  let manifest: unknown;
  try {
    manifest = JSON.parse(contents);
  } catch {
    manifest = undefined;
  }
  if (typeof manifest === 'object' && manifest !== null) {
    const m = manifest as {
      volta?: { node?: string; extends?: string };
      devEngines?: { runtime?: unknown };
      engines?: { node?: string };
    };
    if (m.volta?.node) return m.volta.node;
    const runtimes = [m.devEngines?.runtime].flat() as Array<
      { name?: string; version?: string } | undefined
    >;
    const runtime = runtimes.find((r) => r?.name?.toLowerCase() === 'node' && r.version);
    if (runtime?.version) return runtime.version;
    if (m.engines?.node) return m.engines.node;
    if (m.volta?.extends)
      return readNodeVersionFile(path.resolve(path.dirname(file), m.volta.extends));
    return '';
  }
  const actionYml = /^\s+using:\s*['"]?node(\d+)['"]?\s*(?:#.*)?$/m.exec(contents);
  if (actionYml?.[1]) return actionYml[1];
  return /^(?:node(?:js)?\s+)?v?([^\s]+)$/m.exec(contents)?.[1] ?? contents.trim();
}

/**
 * Picks the host install for a setup-node version spec: a semver range (`20`, `>=18.3`, `20.x`),
 * `latest`/`current`/`node`, or an LTS alias. Without network access the LTS lines are judged
 * from what is installed: `lts/*` is the newest even major here, `lts/-1` the one before it.
 */
export function pickNodeVersion(
  spec: string,
  installs: readonly ToolInstall[],
): ToolInstall | undefined {
  const wanted = spec.trim().toLowerCase();
  if (['latest', 'current', 'node'].includes(wanted)) return bestMatch(installs, '*');
  const lts = /^lts\/(.+)$/.exec(wanted)?.[1];
  if (lts !== undefined) {
    const major = ltsMajor(lts, installs);
    return major === undefined ? undefined : bestMatch(installs, `${major}`);
  }
  const range = semver.validRange(wanted.replace(/^v(?=\d)/, ''));
  return range ? bestMatch(installs, range) : undefined;
}

function ltsMajor(alias: string, installs: readonly ToolInstall[]): number | undefined {
  if (alias in ltsCodenames) return ltsCodenames[alias];
  const newest = Math.max(
    ...installs.map((i) => semver.major(i.version)).filter((m) => m % 2 === 0 && m >= 4),
  );
  if (!Number.isFinite(newest)) return undefined;
  if (alias === '*') return newest;
  const back = /^-(\d+)$/.exec(alias)?.[1];
  return back === undefined ? undefined : newest - 2 * Number(back);
}
