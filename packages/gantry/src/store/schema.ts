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
