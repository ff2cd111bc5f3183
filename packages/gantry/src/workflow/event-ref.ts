import { GantryError } from '../errors/index.js';
import type { EventContext } from './event-types.js';
import { commitOf, currentBranch, refExists, ZERO_SHA } from './git.js';

/** The ref an event runs for: its full name, short name, kind and commit. */
export type EventTarget = Pick<EventContext, 'ref' | 'refName' | 'refType' | 'sha'>;

/** Resolves `--ref` (a branch, a tag or a full ref) or the checked-out branch to a full ref and its commit. */
export async function resolveRef(repoRoot: string, ref: string | undefined): Promise<EventTarget> {
  if (ref === undefined) {
    const branch = await currentBranch(repoRoot);
    const sha = await commitOf(repoRoot, 'HEAD');
    if (!branch || !sha) {
      throw new GantryError(
        'GANTRY_GIT_FAILED',
        'HEAD is detached, so there is no branch to run the event for',
        {
          hint: 'Pass --ref <branch or tag>.',
        },
      );
    }
    return { ref: `refs/heads/${branch}`, refName: branch, refType: 'branch', sha };
  }
  const candidates = ref.startsWith('refs/')
    ? [ref]
    : [`refs/heads/${ref}`, `refs/tags/${ref}`, `refs/remotes/origin/${ref}`];
  for (const full of candidates) {
    if (!(await refExists(repoRoot, full))) continue;
    const sha = await commitOf(repoRoot, full);
    if (!sha) continue;
    if (full.startsWith('refs/tags/'))
      return { ref: full, refName: full.slice('refs/tags/'.length), refType: 'tag', sha };
    const name = full.replace(/^refs\/(heads|remotes\/origin)\//, '');
    return {
      ref: full.startsWith('refs/remotes/') ? `refs/heads/${name}` : full,
      refName: name,
      refType: 'branch',
      sha,
    };
  }
  throw new GantryError('GANTRY_GIT_FAILED', `No branch or tag named '${ref}'`, {
    hint: 'Pass --ref with an existing branch, tag or full ref (git show-ref lists them).',
  });
}

/** A `--before` value as a full commit id; 40 zeros stay zeros (a newly created ref). */
export async function verifyBefore(repoRoot: string, before: string): Promise<string> {
  if (/^0{40}$/.test(before)) return ZERO_SHA;
  const sha = await commitOf(repoRoot, before);
  if (!sha) throw new GantryError('GANTRY_GIT_FAILED', `--before '${before}' is not a commit`);
  return sha;
}
