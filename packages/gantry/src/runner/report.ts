import type { Result } from '../engine/index.js';

/** The `--json` run report. Every string in it has passed through the secret masker. */
export interface RunReport {
  status: 'success' | 'failure' | 'cancelled';
  runId?: number;
  event: string;
  ref: string;
  sha: string;
  workflows: WorkflowReport[];
}

export interface WorkflowReport {
  name: string;
  file: string;
  triggered: boolean;
  reason?: string;
  status: Result | 'not-triggered';
  jobs: JobReport[];
}

export interface JobReport {
  /** The job id in the workflow (`build`). Matrix legs share the id and differ by `matrix`. */
  id: string;
  /** Display name, e.g. `test (3.11)`. */
  name: string;
  matrix?: Record<string, unknown>;
  status: Result;
  /** Why a job failed or was skipped/cancelled, when Gantry knows. */
  reason?: string;
  outputs: Record<string, string>;
  durationMs: number;
  steps: StepReport[];
  /** Last lines of the log of the failing step, for the summary. */
  logTail?: string[];
}

export interface StepReport {
  name: string;
  status: Result;
  /** Before `continue-on-error` is applied (`steps.<id>.outcome`). */
  outcome: Result;
  exitCode: number | null;
  durationMs: number;
}
