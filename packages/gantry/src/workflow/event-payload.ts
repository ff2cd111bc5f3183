import type { CommitInfo } from './git-history.js';
import { ZERO_SHA } from './git.js';

/**
 * Webhook-shaped payloads (`github.event`, and the file at GITHUB_EVENT_PATH), with the fields
 * workflows commonly read. Shapes follow GitHub's webhook reference
 * (https://docs.github.com/en/webhooks/webhook-events-and-payloads); ids and URLs that only
 * exist on github.com are derived from the repository name.
 */

export interface PayloadBasics {
  repository: string;
  actor: string;
  defaultBranch: string | undefined;
}

export function repositoryPayload(basics: PayloadBasics): Record<string, unknown> {
  const [owner = '', name = ''] = basics.repository.split('/');
  const url = `https://github.com/${basics.repository}`;
  return {
    name,
    full_name: basics.repository,
    owner: { login: owner, name: owner },
    private: true,
    default_branch: basics.defaultBranch ?? null,
    html_url: url,
    clone_url: `${url}.git`,
  };
}

export function senderPayload(basics: PayloadBasics): Record<string, unknown> {
  return { login: basics.actor, type: 'User' };
}

export function commitPayload(repository: string, commit: CommitInfo): Record<string, unknown> {
  return {
    id: commit.id,
    tree_id: commit.treeId,
    distinct: true,
    message: commit.message,
    timestamp: commit.committer.date,
    url: `https://github.com/${repository}/commit/${commit.id}`,
    author: { name: commit.author.name, email: commit.author.email },
    committer: { name: commit.committer.name, email: commit.committer.email },
  };
}

export interface PushFacts {
  ref: string;
  before: string;
  sha: string;
  /** The pushed commits, oldest first (GitHub lists at most 20). */
  commits: CommitInfo[];
  head: CommitInfo | undefined;
}

export function pushPayload(basics: PayloadBasics, push: PushFacts): Record<string, unknown> {
  const short = (sha: string) => sha.slice(0, 12);
  return {
    ref: push.ref,
    before: push.before,
    after: push.sha,
    created: push.before === ZERO_SHA,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.com/${basics.repository}/compare/${short(push.before)}...${short(push.sha)}`,
    commits: push.commits.map((c) => commitPayload(basics.repository, c)),
    head_commit: push.head ? commitPayload(basics.repository, push.head) : null,
    pusher: { name: basics.actor, email: push.head?.committer.email ?? null },
    repository: repositoryPayload(basics),
    sender: senderPayload(basics),
  };
}

export interface PullRequestFacts {
  action: string;
  number: number;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  title: string;
  changedFiles: number;
  before?: string | undefined;
}

export function pullRequestPayload(
  basics: PayloadBasics,
  pr: PullRequestFacts,
): Record<string, unknown> {
  const repo = repositoryPayload(basics);
  const [owner = ''] = basics.repository.split('/');
  const user = senderPayload(basics);
  const side = (s: { ref: string; sha: string }) => ({
    ref: s.ref,
    sha: s.sha,
    label: `${owner}:${s.ref}`,
    repo,
    user,
  });
  return {
    action: pr.action,
    number: pr.number,
    // "synchronize" events also say which head commit the pull request moved from.
    ...(pr.action === 'synchronize' && pr.before ? { before: pr.before, after: pr.head.sha } : {}),
    pull_request: {
      number: pr.number,
      title: pr.title,
      body: null,
      state: pr.action === 'closed' ? 'closed' : 'open',
      draft: false,
      merged: false,
      user,
      head: side(pr.head),
      base: side(pr.base),
      changed_files: pr.changedFiles,
      html_url: `https://github.com/${basics.repository}/pull/${pr.number}`,
    },
    repository: repo,
    sender: user,
  };
}
