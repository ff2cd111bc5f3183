import { execFile } from 'node:child_process';
import { userInfo } from 'node:os';
import path from 'node:path';
import { GantryError } from '../errors/index.js';

/**
 * The few read-only git queries Gantry needs to describe an event. git runs through execFile
 * (no shell), with prompts disabled, and every failure carries git's own stderr.
 */

export const ZERO_SHA = '0000000000000000000000000000000000000000';

/** Runs git in the repository and returns its stdout; a failure is GANTRY_GIT_FAILED with git's stderr. */
export function git(repoRoot: string, args: string[], hint?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: repoRoot,
        maxBuffer: 256 * 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' },
      },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const detail = String(stderr).trim() || error.message;
        reject(
          new GantryError('GANTRY_GIT_FAILED', `git ${args.join(' ')} failed: ${detail}`, {
            cause: error,
            ...(hint ? { hint } : {}),
          }),
        );
      },
    );
  });
}

/** Like git(), but a failure (a ref that does not exist, a missing config key) is undefined. */
export async function tryGit(repoRoot: string, args: string[]): Promise<string | undefined> {
  try {
    return (await git(repoRoot, args)).trim();
  } catch {
    return undefined;
  }
}

/** The commit a revision points at (tags are peeled), or undefined when it does not exist. */
export function commitOf(repoRoot: string, rev: string): Promise<string | undefined> {
  return tryGit(repoRoot, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
}

/** The checked-out branch name, or undefined when HEAD is detached. */
export function currentBranch(repoRoot: string): Promise<string | undefined> {
  return tryGit(repoRoot, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
}

/** Whether a full ref such as refs/heads/main exists. */
export async function refExists(repoRoot: string, ref: string): Promise<boolean> {
  return (await tryGit(repoRoot, ['show-ref', '--verify', '--quiet', ref])) !== undefined;
}

/**
 * The default branch: what origin/HEAD points at when the clone recorded it, else `main`, else
 * `master` (GitHub's default for new repositories is main; older ones use master).
 */
export async function defaultBranch(repoRoot: string): Promise<string | undefined> {
  // One process answers all candidates (start-up time matters): each line is a ref and,
  // for origin/HEAD, the ref it points at.
  const out = await tryGit(repoRoot, [
    'for-each-ref',
    '--format=%(refname) %(symref)',
    'refs/remotes/origin/HEAD',
    'refs/heads/main',
    'refs/heads/master',
    'refs/remotes/origin/main',
    'refs/remotes/origin/master',
  ]);
  const refs = new Map(
    (out ?? '')
      .split('\n')
      .filter(Boolean)
      .map((line): [string, string] => {
        const [ref = '', target = ''] = line.split(' ');
        return [ref, target];
      }),
  );
  const originHead = refs.get('refs/remotes/origin/HEAD');
  if (originHead?.startsWith('refs/remotes/origin/'))
    return originHead.slice('refs/remotes/origin/'.length);
  for (const name of ['main', 'master']) {
    if (refs.has(`refs/heads/${name}`) || refs.has(`refs/remotes/origin/${name}`)) return name;
  }
  return undefined;
}

/**
 * `owner/name` from the origin remote when it is a hosted URL (https://host/owner/name.git,
 * ssh://git@host/owner/name, git@host:owner/name.git), else `local/<directory name>`.
 */
export async function repositorySlug(repoRoot: string): Promise<string> {
  const url = (await identity(repoRoot)).get('remote.origin.url') ?? '';
  const repoPath = /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]+\/|[^@/\s]+@[^:/\s]+:)(.+?)(?:\.git)?\/?$/i.exec(
    url,
  )?.[1];
  const parts = repoPath?.split('/').filter(Boolean) ?? [];
  const [owner, name] = parts.slice(-2);
  if (parts.length >= 2 && owner && name) return `${owner}/${name}`;
  return `local/${path.basename(path.resolve(repoRoot))}`;
}

/** The actor: git's user.name, else the login name. */
export async function actorName(repoRoot: string): Promise<string> {
  const name = (await identity(repoRoot)).get('user.name');
  if (name) return name;
  return process.env['USER'] ?? process.env['USERNAME'] ?? safeUserName() ?? 'gantry';
}

function safeUserName(): string | undefined {
  try {
    return userInfo().username;
  } catch {
    return undefined;
  }
}

const identities = new Map<string, Promise<Map<string, string>>>();

/** `remote.origin.url` and `user.name` from one `git config` process, shared by their readers. */
function identity(repoRoot: string): Promise<Map<string, string>> {
  let pending = identities.get(repoRoot);
  if (!pending) {
    pending = tryGit(repoRoot, [
      'config',
      '-z',
      '--get-regexp',
      '^(remote\\.origin\\.url|user\\.name)$',
    ]).then(
      (out) =>
        new Map(
          (out ?? '')
            .split('\0')
            .filter(Boolean)
            .map((entry) => {
              const newline = entry.indexOf('\n');
              return [entry.slice(0, newline), entry.slice(newline + 1)] as [string, string];
            }),
        ),
    );
    identities.set(repoRoot, pending);
    // Only concurrent readers share it; the config may change before the next event.
    void pending.finally(() => identities.delete(repoRoot));
  }
  return pending;
}
