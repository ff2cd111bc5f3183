/** What the user asked to simulate (`gantry run --event ... --ref ... --base ...`). */
export interface EventRequest {
  /** push | pull_request | workflow_dispatch | schedule | any other event name */
  eventName: string;
  /** Branch name, tag name or full ref; defaults to the checked-out branch. */
  ref?: string;
  /** push: the commit the ref moved from; defaults to the first parent. */
  before?: string;
  /** pull_request: the base branch; defaults to the default branch. */
  base?: string;
  /** pull_request: the number (default 1). */
  pr?: number;
  /** Activity type, such as pull_request's `opened` (the default for pull_request). */
  action?: string;
  /** workflow_dispatch inputs as given on the command line (github.event.inputs keeps them as strings). */
  inputs?: Record<string, string>;
  /** schedule: the cron line that fired. */
  schedule?: string;
}

export interface EventContext {
  eventName: string;
  /** Full ref: refs/heads/x, refs/tags/x or refs/pull/<n>/merge. */
  ref: string;
  refName: string;
  refType: 'branch' | 'tag';
  sha: string;
  before?: string;
  baseRef?: string;
  headRef?: string;
  action?: string;
  /** The paths `paths:` filters look at; undefined for events that have none. */
  changedFiles: string[] | undefined;
  payload: Record<string, unknown>;
  repository: string;
  actor: string;
}

/**
 * Describes an event from the local repository's commits. Like GitHub, only commits count:
 * uncommitted changes are neither in `sha` nor in `changedFiles` (GitHub's path filters
 * compare commits: two-dot for pushes, three-dot from the merge base for pull requests,
 * "Running your workflow only when a push affects specific files" in workflow-syntax.md).
 */
