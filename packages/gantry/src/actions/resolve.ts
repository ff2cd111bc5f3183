import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';
import { findBuiltinAction } from './builtin/index.js';
import { findManifestFile, loadActionManifest, type ActionManifest } from './manifest.js';
import type { BuiltinAction } from './types.js';

/** Where a `uses:` reference leads: a native built-in, or an action.yml on disk. */
export type ResolvedAction =
  | { kind: 'builtin'; action: BuiltinAction }
  | { kind: 'local' | 'mirror'; dir: string; manifest: ActionManifest };

export interface ResolveOptions {
  /** The user's repository. */
  repositoryRoot: string;
  /** GITHUB_WORKSPACE: `./path` actions are looked up here, as on GitHub. */
  workspace: string;
  /** GANTRY_ACTIONS_PATH: a mirror of vendored actions laid out as `<owner>/<repo>/<ref>`. */
  actionsPath?: string;
}

/** The parts of an `owner/repo[/path]@ref` reference. */
export interface RemoteReference {
  owner: string;
  repo: string;
  subpath: string;
  ref: string;
}

/**
 * Resolves a step's `uses:`. Local actions come first, Docker actions are refused, and a
 * remote action is a built-in when Gantry implements it natively (whatever the ref), else it
 * must be vendored in the mirror: Gantry never downloads code on its own.
 */
export function resolveAction(uses: string, opts: ResolveOptions): ResolvedAction {
  const reference = uses.trim();
  if (reference.startsWith('./') || reference === '.') {
    const dir = path.resolve(opts.workspace, reference);
    if (!findManifestFile(dir) && existsSync(path.join(dir, 'Dockerfile')))
      throw dockerUnsupported(uses);
    if (!findManifestFile(dir)) {
      throw new GantryError(
        'GANTRY_ACTION_NOT_FOUND',
        `Can't find 'action.yml' or 'action.yaml' for local action '${uses}' under '${dir}'.`,
        {
          hint: 'Local actions are looked up in the workspace (the repository copy); check the path and that the action is committed or not ignored.',
        },
      );
    }
    return { kind: 'local', dir, manifest: loadActionManifest(dir) };
  }
  if (reference.startsWith('docker://')) throw dockerUnsupported(uses);

  const remote = parseRemoteReference(reference);
  const name = [remote.owner, remote.repo, remote.subpath].filter(Boolean).join('/').toLowerCase();
  const builtin = findBuiltinAction(name);
  if (builtin) return { kind: 'builtin', action: builtin };

  const dir = opts.actionsPath ? findInMirror(opts.actionsPath, remote) : undefined;
  if (dir) return { kind: 'mirror', dir, manifest: loadActionManifest(dir) };
  throw notFound(uses, remote, opts.actionsPath);
}

/** Splits `owner/repo[/path]@ref`; anything else is a workflow error. */
export function parseRemoteReference(uses: string): RemoteReference {
  const at = uses.lastIndexOf('@');
  const [owner = '', repo = '', ...rest] = (at < 0 ? uses : uses.slice(0, at)).split('/');
  const ref = at < 0 ? '' : uses.slice(at + 1);
  if (!owner || !repo || !ref) {
    throw new GantryError(
      'GANTRY_CONFIG_INVALID',
      `Expected format {org}/{repo}[/path]@ref. Actual '${uses}'.`,
      {
        hint: 'Reference a published action with a ref (`actions/checkout@v4`) or a local one with `./path/to/action`.',
      },
    );
  }
  return { owner, repo, subpath: rest.filter(Boolean).join('/'), ref };
}

/** `<mirror>/<owner>/<repo>/<ref>[/path]`; owner and repo are matched as written, then lower-case. */
function findInMirror(actionsPath: string, remote: RemoteReference): string | undefined {
  const spellings = new Set([
    `${remote.owner}/${remote.repo}`,
    `${remote.owner}/${remote.repo}`.toLowerCase(),
  ]);
  for (const spelling of spellings) {
    const dir = path.join(path.resolve(actionsPath), spelling, remote.ref, remote.subpath);
    if (isDirectory(dir) && findManifestFile(dir)) return dir;
  }
  return undefined;
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function notFound(
  uses: string,
  remote: RemoteReference,
  actionsPath: string | undefined,
): GantryError {
  const where = `"$GANTRY_ACTIONS_PATH/${remote.owner}/${remote.repo}/${remote.ref}"`;
  const url = `https://github.com/${remote.owner}/${remote.repo}.git`;
  // `git clone --branch` takes branches and tags only; a pinned commit needs a fetch by id.
  const vendor = /^[0-9a-f]{40}$/i.test(remote.ref)
    ? `git init ${where} && git -C ${where} fetch --depth 1 ${url} ${remote.ref} && git -C ${where} checkout FETCH_HEAD`
    : `git clone --depth 1 --branch ${remote.ref} ${url} ${where}`;
  const looked = actionsPath
    ? `It is not built into Gantry and not vendored in the actions mirror (looked in ${path.join(actionsPath, remote.owner, remote.repo, remote.ref, remote.subpath)}).`
    : 'It is not built into Gantry and GANTRY_ACTIONS_PATH (the actions mirror) is not set.';
  const setPath = actionsPath
    ? ''
    : 'export GANTRY_ACTIONS_PATH=~/.gantry-actions  # any directory\n';
  return new GantryError('GANTRY_ACTION_NOT_FOUND', `Action '${uses}' not found. ${looked}`, {
    hint: `Vendor it into the mirror:\n${setPath}${vendor}`,
  });
}

function dockerUnsupported(uses: string): GantryError {
  return new GantryError(
    'GANTRY_UNSUPPORTED',
    `'${uses}' is a Docker container action; it needs a container runtime, which Gantry does not use.`,
    {
      hint: 'Use a JavaScript or composite version of this action, or run the tool directly in a `run:` step.',
    },
  );
}
