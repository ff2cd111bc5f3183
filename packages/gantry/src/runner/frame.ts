import type { Result } from '../engine/index.js';
import type { StepDef } from '../workflow/model.js';
import type { StepRecord } from './leg-state.js';
import type { StepReport } from './report.js';

/**
 * The scope a list of steps runs in: the job itself, or a composite action (which has its
 * own `steps` and `inputs` contexts and its own action path).
 */
export interface StepFrame {
  readonly steps: Record<string, StepRecord>;
  readonly conclusions: Result[];
  readonly inputs?: Record<string, string>;
  /** Display prefix for nested step names. */
  readonly label: string;
  /** Post steps registered by actions, run in reverse order at the end of the job. */
  readonly posts: PostStep[];
}

export interface PostStep {
  name: string;
  /** `post-if` of the action, default `always()`. */
  condition: string;
  run(): Promise<StepOutcome>;
}

export interface StepOutcome {
  outcome: Result;
  exitCode: number | null;
  outputs: Record<string, string>;
  /** Why the step failed, as one line for the summary. */
  reason?: string;
}

/** Runs nested steps (a composite action's) in a frame; passed down to avoid an import cycle. */
export type NestedStepsRunner = (
  steps: readonly StepDef[],
  frame: StepFrame,
  reports: StepReport[],
) => Promise<void>;
