import { existsSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { cloneInto, git, resolveCommit } from '../support/git.js';
import { debug, getBooleanInput, getInput } from '../support/inputs.js';
import type { ActionContext, BuiltinAction } from '../types.js';

/** Inputs that only matter when fetching from GitHub; accepted so workflows run unchanged. */
const fetchInputs = [
  'token',
  'ssh-key',
  'ssh-known-hosts',
  'ssh-strict',
  'ssh-user',
  'persist-credentials',
  'fetch-depth',
  'fetch-tags',
  'filter',
  'sparse-checkout',
  'sparse-checkout-cone-mode',
  'show-progress',
  'lfs',
  'submodules',
  'set-safe-directory',
  'github-server-url',
  'reference',
];

/**
 * actions/checkout. Gantry has already filled the workspace with the repository, so a plain
 * checkout has nothing to do; `ref:` and `path:` are served from the local repository.
 */
export const checkout: BuiltinAction = {
  name: 'actions/checkout',
  defaults: { clean: 'true', 'fetch-depth': '1' },
  async run(ctx) {
    const repository = getInput(ctx, 'repository');
    if (repository && repository.toLowerCase() !== ctx.github.repository.toLowerCase()) {
      throw new GantryError(
        'GANTRY_UNSUPPORTED',
        `actions/checkout of another repository ('${repository}') needs GitHub; Gantry checks out only the repository it runs in.`,
        {
          hint: `Vendor it next to your workflow instead, e.g. \`git clone https://github.com/${repository}.git <dir>\` in a \`run:\` step, or use a local path.`,
        },
      );
    }
    for (const name of fetchInputs) {
      const value = getInput(ctx, name);
      if (value)
        debug(
          ctx,
          `checkout input '${name}: ${name === 'token' || name === 'ssh-key' ? '***' : value}' is ignored: nothing is fetched.`,
        );
    }
    const target = path.resolve(ctx.workspace, getInput(ctx, 'path') || '.');
    const relative = path.relative(ctx.workspace, target);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new GantryError(
        'GANTRY_CONFIG_INVALID',
        `Repository path '${target}' is not under '${ctx.workspace}'`,
      );
    }
    const ref = getInput(ctx, 'ref');
    if (relative === '' && !ref) {
      ctx.log(
        `The workspace already holds ${ctx.github.repository} at ${ctx.github.sha.slice(0, 12)} (Gantry copies the repository before the job); nothing to check out.`,
      );
      ctx.setOutput('ref', ctx.github.ref);
      ctx.setOutput('commit', ctx.github.sha);
      return;
    }
    const commit = ref ? await commitOf(ctx, ref) : ctx.github.sha;
    if (relative === '') await checkoutInPlace(ctx, commit);
    else
      await cloneInto(
        ctx.repositoryRoot,
        target,
        commit,
        ref ? 'commit' : 'working-tree',
        ctx.signal,
      );
    ctx.log(`Checked out ${ref || 'the working tree'} (${commit.slice(0, 12)}) into ${target}`);
    ctx.setOutput('ref', ref || ctx.github.ref);
    ctx.setOutput('commit', commit);
  },
};

async function commitOf(ctx: ActionContext, ref: string): Promise<string> {
  const commit = await resolveCommit(ctx.repositoryRoot, ref, ctx.signal);
  if (!commit) {
    throw new GantryError(
      'GANTRY_GIT_FAILED',
      `A branch or tag with the name '${ref}' could not be found in ${ctx.repositoryRoot}`,
      {
        hint: 'Gantry checks out refs from your local repository; fetch it first (`git fetch origin <ref>`).',
      },
    );
  }
  return commit;
}

/** Switches the workspace's own clone to the commit; `clean` also drops untracked files, like the real action. */
async function checkoutInPlace(ctx: ActionContext, commit: string): Promise<void> {
  if (path.resolve(ctx.workspace) === path.resolve(ctx.repositoryRoot)) {
    // Never move or clean the user's own checkout.
    throw new GantryError(
      'GANTRY_UNSUPPORTED',
      'actions/checkout with `ref:` would overwrite your working tree: the job runs in the repository itself.',
      {
        hint: 'Check the ref out into a subdirectory with `path:`.',
      },
    );
  }
  if (!existsSync(path.join(ctx.workspace, '.git'))) {
    await cloneInto(ctx.repositoryRoot, ctx.workspace, commit, 'commit', ctx.signal);
    return;
  }
  await git(ctx.workspace, ['checkout', '--quiet', '--force', '--detach', commit], ctx.signal);
  if (getBooleanInput(ctx, 'clean', true))
    await git(ctx.workspace, ['clean', '-ffdx', '--quiet'], ctx.signal);
}
