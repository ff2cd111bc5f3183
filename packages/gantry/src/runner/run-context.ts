import type { SecretMasker } from '../secrets/masker.js';
import type { Store } from '../store/index.js';
import type { EventContext } from '../workflow/event.js';
import type { RunListener } from './events.js';

/** What every job of one `gantry run` shares. */
export interface RunContext {
  readonly repoRoot: string;
  /** `.gantry/runs/<run id>`: workspaces, temp dirs, artifacts, summaries. */
  readonly runDir: string;
  /** `.gantry/`: store, actions/cache entries. */
  readonly gantryDir: string;
  readonly runId: number;
  readonly event: EventContext;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, string>>;
  readonly vars: Readonly<Record<string, string>>;
  readonly masker: SecretMasker;
  readonly listener: RunListener;
  readonly store: Store | undefined;
  readonly clean: boolean;
  readonly actionsPath: string | undefined;
  readonly hasBash: boolean;
  /** Environment the run started with; steps inherit it like a self-hosted runner's. */
  readonly hostEnv: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** Shortened kill sequence for tests; GitHub's timings otherwise. */
  readonly killSequence?: { interruptMs: number; terminateMs: number };
}

/** The `github` context of a job, built from the event and the run. */
export function githubContext(
  run: RunContext,
  workflow: { name: string; file: string },
  jobId: string,
  workspace: string,
): Record<string, unknown> {
  const e = run.event;
  const [owner] = e.repository.split('/');
  return {
    event_name: e.eventName,
    event: e.payload,
    ref: e.ref,
    ref_name: e.refName,
    ref_type: e.refType,
    sha: e.sha,
    head_ref: e.headRef ?? '',
    base_ref: e.baseRef ?? '',
    repository: e.repository,
    repository_owner: owner ?? '',
    actor: e.actor,
    triggering_actor: e.actor,
    workflow: workflow.name,
    workflow_ref: `${e.repository}/${workflow.file}@${e.ref}`,
    job: jobId,
    run_id: String(run.runId),
    run_number: String(run.runId),
    run_attempt: '1',
    workspace,
    action: '',
    action_path: '',
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    graphql_url: 'https://api.github.com/graphql',
    retention_days: '90',
    token: run.secrets['GITHUB_TOKEN'] ?? '',
  };
}
