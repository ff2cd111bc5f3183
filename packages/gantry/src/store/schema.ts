import type { Generated } from 'kysely';

/**
 * The tables as Kysely sees them. Column types are chosen to mean the same in SQLite and
 * PostgreSQL: timestamps are epoch milliseconds in `bigint` columns, structured values are JSON
 * text (not `jsonb`), so every query in this folder stays dialect-neutral.
 */
export interface StoreDatabase {
  runs: RunTable;
  jobs: JobTable;
  steps: StepTable;
  logs: LogTable;
  gate_results: GateResultTable;
  environments: EnvironmentTable;
  releases: ReleaseTable;
  deployments: DeploymentTable;
  deployment_events: DeploymentEventTable;
  approvals: ApprovalTable;
  measurements: MeasurementTable;
  contracts: ContractTable;
}

/** A contract migration step a release brought, pending until it runs (`applied_at`). */
export interface ContractTable {
  id: Generated<number>;
  environment: string;
  app: string;
  release: string;
  deployment_id: number;
  created_at: number;
  applied_at: number | null;
  applied_by: string | null;
}

export interface EnvironmentTable {
  name: string;
  /** `static` (declared in gantry.yml) or `ephemeral` (a pull request's). */
  kind: string;
  host: string;
  pr_number: number | null;
  /** `active` or `destroyed`. */
  status: string;
  /** The release serving all traffic when no deployment is in progress. */
  stable_release: string | null;
  expires_at: number | null;
  created_at: number;
  updated_at: number;
  destroyed_at: number | null;
}

export interface ReleaseTable {
  id: Generated<number>;
  /** A tag, or the commit's short sha. */
  name: string;
  sha: string;
  ref: string;
  created_at: number;
}

export interface DeploymentTable {
  /** The deployment number shown to users (`gantry approve 12`). */
  id: Generated<number>;
  environment: string;
  release: string;
  previous_release: string | null;
  /** JSON of the strategy as configured when the deployment was created. */
  strategy: string;
  /** JSON of what the deployment runs (apps, host, environment values), frozen at request. */
  spec: string;
  status: string;
  /** Index of the strategy step in progress. */
  step: number;
  /** Percent of traffic on the new release. */
  weight: number;
  message: string | null;
  /** JSON: what the controller has done and is about to do, written before it acts. */
  checkpoint: string;
  /** A user's pending command: `promote`, `promote-full`, `abort`. */
  command: string | null;
  requested_by: string;
  /** `manual`, `push`, `tag`, `pull_request`, `rollback`. */
  trigger: string;
  approvals_required: number;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
}

export interface DeploymentEventTable {
  id: Generated<number>;
  deployment_id: number;
  at: number;
  /** A constant reason string (`AnalysisFailed`, `WeightSet`, `Promoted`, ...). */
  reason: string;
  message: string;
}

export interface ApprovalTable {
  id: Generated<number>;
  deployment_id: number;
  user: string;
  /** `approved` or `rejected`. */
  decision: string;
  comment: string | null;
  at: number;
}

export interface MeasurementTable {
  id: Generated<number>;
  deployment_id: number;
  /** Which analysis: `step-2`, `pre-promotion`, `post-promotion`. */
  analysis: string;
  metric: string;
  phase: string;
  /** JSON number or list of numbers; null when the measurement could not be taken. */
  value: string | null;
  message: string | null;
  at: number;
}

export interface RunTable {
  /** The run number shown to users; never reused, even after runs are deleted. */
  id: Generated<number>;
  created_at: number;
  finished_at: number | null;
  status: string;
  event: string;
  ref: string;
  sha: string;
  /** JSON array of the CLI arguments. */
  args: string;
  /** JSON, written by `finishRun`. */
  report: string | null;
}

export interface JobTable {
  id: Generated<number>;
  run_id: number;
  key: string;
  workflow: string;
  job_id: string;
  name: string;
  /** JSON object, null for a job without a matrix. */
  matrix: string | null;
  status: string;
  started_at: number;
  finished_at: number | null;
  /** JSON object of job outputs, written by `finishJob`. */
  outputs: string | null;
}

export interface StepTable {
  id: Generated<number>;
  job_id: number;
  idx: number;
  name: string;
  status: string;
  exit_code: number | null;
  started_at: number;
  finished_at: number;
  duration_ms: number;
}

/** One `gantry gate` evaluation: what later gates compare against (baselines). */
export interface GateResultTable {
  id: Generated<number>;
  created_at: number;
  /** The branch the evaluated commit was on (`main`), or '' when unknown. */
  branch: string;
  sha: string;
  /** 1 when every required rule passed. */
  passed: number;
  /** JSON object of metric name → number (`coverage.lines`, `size[frontend/dist].bytes`, ...). */
  metrics: string;
}

/** Append-only; a job's log is its chunks concatenated in `seq` order. */
export interface LogTable {
  job_id: number;
  seq: number;
  text: string;
}
