import type { Result } from '../engine/index.js';

export interface StepRecord {
  outputs: Record<string, string>;
  outcome: Result;
  conclusion: Result;
}

/**
 * The mutable state of one running job leg: what steps have exported (GITHUB_ENV, GITHUB_PATH),
 * their outputs and results, summaries, and process groups they left running.
 */
export class LegState {
  /** The `env` context: workflow env, job env, then GITHUB_ENV exports. */
  readonly env: Record<string, string>;
  /** Directories added with GITHUB_PATH, most recent first. */
  readonly path: string[] = [];
  readonly steps: Record<string, StepRecord> = {};
  readonly conclusions: Result[] = [];
  readonly summaries: string[] = [];
  /** GITHUB_STATE of each action step, for its post step. */
  readonly states = new Map<string, Record<string, string>>();
  readonly processGroups = new Set<number>();
  cancelled = false;
  timedOut = false;
  failureReason: string | undefined;

  constructor(env: Record<string, string>) {
    this.env = { ...env };
  }

  /** The process environment of a step: host env, GitHub's variables, env context, PATH. */
  processEnv(
    base: Record<string, string>,
    stepEnv: Record<string, string>,
  ): Record<string, string> {
    const env = { ...base, ...this.env, ...stepEnv };
    if (this.path.length > 0) env['PATH'] = [...this.path, env['PATH'] ?? ''].join(':');
    return env;
  }
}
