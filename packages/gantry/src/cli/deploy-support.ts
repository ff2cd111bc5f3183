import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { ensureAgent } from '../deploy/agent-control.js';
import { readDeployConfig } from '../deploy/config.js';
import type { DeployConfig } from '../deploy/model.js';
import { GantryError } from '../errors/index.js';
import {
  finalDeploymentStatuses,
  openStore,
  type DeploymentRecord,
  type Store,
} from '../store/index.js';
import { color } from './color.js';
import { loadProjectConfig } from './project-config.js';
import { commitOf, refExists, tryGit } from '../workflow/git.js';
import { repositoryRoot } from './repo.js';

export interface DeployWorkspace {
  readonly root: string;
  readonly store: Store;
  readonly config: DeployConfig;
}

/** gantry.yml's deployment sections (all problems at once); none declared without the file. */
export function loadDeployConfig(root: string): DeployConfig {
  const project = loadProjectConfig(root);
  return readDeployConfig(project?.data ?? {}, project?.file ?? 'gantry.yml', (p) =>
    project?.locate(p),
  );
}

/** The repository, its store, and its deployment configuration. */
export async function openDeployWorkspace(dir: string | undefined): Promise<DeployWorkspace> {
  const root = await repositoryRoot(dir ?? process.cwd());
  const config = loadDeployConfig(root);
  const store = await openStore(path.join(root, '.gantry'));
  return { root, store, config };
}

/** The CLI's own entry, which the agent is started from. */
export function cliPath(): string {
  return process.argv[1] ?? fileURLToPath(import.meta.url);
}

export function startAgent(root: string) {
  return ensureAgent(root, cliPath());
}

/** Who acts: `--as`, else git's user.name, else the login name. */
export function currentUser(root: string, as: string | undefined): string {
  if (as) return as;
  const git = spawnSync('git', ['-C', root, 'config', 'user.name'], { encoding: 'utf8' });
  const name = git.status === 0 ? git.stdout.trim() : '';
  return name || process.env['USER'] || 'unknown';
}

/**
 * A release from a git ref: a tag names itself (`v1.4.0`); any other ref or sha is named by
 * its commit's first 12 hex digits, so the same commit is always the same release.
 */
export async function resolveRelease(
  root: string,
  ref = 'HEAD',
): Promise<{ name: string; sha: string; ref: string }> {
  const sha = await commitOf(root, ref);
  if (!sha)
    throw new GantryError('GANTRY_GIT_FAILED', `'${ref}' is not a commit in this repository`, {
      hint: 'pass a tag, a branch or a sha with --release',
    });
  if (await refExists(root, `refs/tags/${ref}`)) return { name: ref, sha, ref: `refs/tags/${ref}` };
  if (ref === 'HEAD') {
    const exact = await tryGit(root, ['describe', '--tags', '--exact-match', sha]);
    if (exact) return { name: exact, sha, ref: `refs/tags/${exact}` };
  }
  const symbolic = await tryGit(root, ['rev-parse', '--symbolic-full-name', ref]);
  return { name: sha.slice(0, 12), sha, ref: symbolic || sha };
}

const finalMarks: Record<string, string> = {
  succeeded: '✓',
  failed: '✗',
  aborted: '✗',
  rejected: '✗',
  superseded: '○',
};

/** One line per event of a deployment, as they come, until it is final; returns it. */
export async function followDeployment(
  store: Store,
  id: number,
  out: NodeJS.WritableStream,
  timeoutMs = Infinity,
): Promise<DeploymentRecord> {
  const c = color(out);
  let seen = 0;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await store.deploy.events(id);
    for (const event of events.slice(seen)) {
      const at = new Date(event.at).toISOString().slice(11, 19);
      out.write(`  ${c.gray(at)} ${c.bold(event.reason)} ${event.message}\n`);
    }
    seen = events.length;
    const deployment = (await store.deploy.deployment(id))!;
    if (finalDeploymentStatuses.includes(deployment.status)) return deployment;
    if (Date.now() > deadline) return deployment;
    await delay(200);
  }
}

/** Exit status of a followed deployment: 0 when it succeeded, else GANTRY_DEPLOY_FAILED. */
export function finalOutcome(deployment: DeploymentRecord, out: NodeJS.WritableStream): number {
  const mark = finalMarks[deployment.status] ?? '…';
  out.write(
    `${mark} deployment ${deployment.id} ${deployment.status}: ${deployment.message ?? ''}\n`,
  );
  if (deployment.status === 'succeeded') return 0;
  if (!finalDeploymentStatuses.includes(deployment.status)) return 0;
  throw new GantryError(
    'GANTRY_DEPLOY_FAILED',
    `deployment ${deployment.id} of ${deployment.release} to ${deployment.environment} ${deployment.status}: ${deployment.message ?? ''}`,
    { hint: `gantry env status ${deployment.environment} shows its events` },
  );
}
