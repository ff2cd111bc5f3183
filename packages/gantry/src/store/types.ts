import type { DeployStore } from './deploy-types.js';

/**
 * The run store's public shapes. Times are epoch milliseconds; JSON columns come back parsed.
 * Statuses are free-form strings owned by the runner (`running`, `success`, `failure`, ...).
 */

/** One `gantry run` as listed in the history. `id` is the run number shown to users. */
export interface RunSummary {
  id: number;
  status: string;
  event: string;
  ref: string;
  sha: string;
  /** The command-line arguments the run was started with. */
  args: string[];
  createdAt: number;
  finishedAt: number | null;
}

/** A run with everything recorded about it except the logs. */
export interface RunDetail extends RunSummary {
  /** Whatever the runner stored with `finishRun` (summary, gate results, ...); null while running. */
  report: unknown;
  jobs: JobDetail[];
}

export interface JobDetail {
  /** Row id, the handle for `finishJob`, `recordStep` and `appendLog`. */
  id: number;
  /** Unique within a run, e.g. `ci.yml/build (3.11)`. */
  key: string;
  workflow: string;
  /** The job's id in the workflow file (`jobs.<job_id>`), shared by all matrix legs. */
  jobId: string;
  name: string;
  /** The matrix combination of this leg; null for a job without a matrix. */
  matrix: unknown;
  status: string;
  startedAt: number;
  finishedAt: number | null;
  outputs: Record<string, string>;
  steps: StepDetail[];
}

export interface StepDetail {
  index: number;
  name: string;
  status: string;
  exitCode: number | null;
  startedAt: number;
  finishedAt: number;
  durationMs: number;
}

export interface StepRecord {
  index: number;
  name: string;
  status: string;
  exitCode: number | null;
  startedAt: number;
  durationMs: number;
}

export interface JobLog {
  key: string;
  text: string;
}

/** Durable history of runs, jobs, steps and logs. Every failure is a `GantryError`. */
export interface Store {
  createRun(input: {
    event: string;
    ref: string;
    sha: string;
    args: readonly string[];
  }): Promise<number>;
  finishRun(runId: number, status: string, report: unknown): Promise<void>;
  createJob(
    runId: number,
    input: { key: string; workflow: string; jobId: string; name: string; matrix?: unknown },
  ): Promise<number>;
  finishJob(jobRowId: number, status: string, outputs: Record<string, string>): Promise<void>;
  /** Recording the same step index again replaces the earlier record. */
  recordStep(jobRowId: number, step: StepRecord): Promise<void>;
  /** Appends a chunk to the job's log. Cheap enough to call per batch of lines; text must already be masked. */
  appendLog(jobRowId: number, text: string): Promise<void>;
  /** Most recent first; 20 by default. */
  listRuns(limit?: number): Promise<RunSummary[]>;
  /** Throws GANTRY_RUN_NOT_FOUND when the run does not exist. */
  getRun(runId: number): Promise<RunDetail>;
  /**
   * The logs of a run's jobs, in job creation order. `job` selects by key, job id or name
   * (a job id selects every matrix leg). Throws GANTRY_RUN_NOT_FOUND when nothing matches.
   */
  getLog(runId: number, job?: string): Promise<JobLog[]>;
  /** Records a gate evaluation; its metrics become the baseline of later gates. */
  recordGateResult(result: GateResultInput): Promise<void>;
  /** The most recent passing gate result on `branch`, if any. */
  lastPassingGateResult(branch: string): Promise<GateResult | undefined>;
  /** Environments, releases and deployments, in the same database. */
  readonly deploy: DeployStore;
  close(): Promise<void>;
}

export interface GateResultInput {
  branch: string;
  sha: string;
  passed: boolean;
  metrics: Readonly<Record<string, number>>;
}

export interface GateResult extends GateResultInput {
  createdAt: number;
}
