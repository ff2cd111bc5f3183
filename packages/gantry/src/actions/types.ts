import type { ProcessResult } from '../executor/process.js';

/**
 * What a built-in action sees of the step it runs in. The runner implements it; an action
 * never touches the runner directly. Everything written through `log` is masked by the runner.
 */
export interface ActionContext {
  /** The action reference as written, e.g. `actions/checkout@v4`. */
  readonly uses: string;
  /** `with:` inputs after expression evaluation and defaults. Keys are lower-case. */
  readonly inputs: Readonly<Record<string, string>>;
  /** GITHUB_WORKSPACE of the job: where the repository copy lives. */
  readonly workspace: string;
  /** The user's repository Gantry was started in (source of checkouts). */
  readonly repositoryRoot: string;
  /** RUNNER_TEMP of the job (emptied after the job). */
  readonly runnerTemp: string;
  /** RUNNER_TOOL_CACHE: where setup actions may place shims. */
  readonly toolCache: string;
  /** Directory for this run's artifacts (shared by all jobs of one `gantry run`). */
  readonly artifactsDir: string;
  /**
   * Directory for this run's quality reports (coverage, SARIF, scan results) recorded by
   * report actions, for the gate and the run's record.
   */
  readonly reportsDir: string;
  /** Directory of the local `actions/cache` store (shared across runs, under `.gantry/`). */
  readonly cacheDir: string;
  /** The step's full environment (process env + workflow/job/step env + GITHUB_*). */
  readonly env: Readonly<Record<string, string>>;
  /** `github` context values the actions need. */
  readonly github: { readonly sha: string; readonly ref: string; readonly repository: string };
  /** Aborted when the job is cancelled or times out. */
  readonly signal: AbortSignal;
  /** Writes one line to the step log. */
  log(line: string): void;
  /** Sets a step output (`steps.<id>.outputs.<name>`). */
  setOutput(name: string, value: string): void;
  /** Exports an environment variable to the following steps (like GITHUB_ENV). */
  exportVariable(name: string, value: string): void;
  /** Prepends a directory to PATH for the following steps (like GITHUB_PATH). */
  addPath(dir: string): void;
  /** Registers a value to be masked in every log from now on. */
  setSecret(value: string): void;
  /** Saves state for the action's post step (like GITHUB_STATE). */
  saveState(name: string, value: string): void;
  /** Reads state saved by the main step; only meaningful in `post`. */
  getState(name: string): string;
  /** Runs a program in the workspace with the step env; output goes to the step log. */
  exec(
    command: string,
    args: readonly string[],
    options?: { cwd?: string; env?: Record<string, string> },
  ): Promise<ProcessResult>;
}

/** A native implementation of a well-known action (`actions/checkout`, `actions/cache`, ...). */
export interface BuiltinAction {
  /** `owner/repo` (or `owner/repo/path`) the action answers to, lower-case, without `@ref`. */
  readonly name: string;
  /** Input defaults, as in the real action's action.yml (keys lower-case). */
  readonly defaults?: Readonly<Record<string, string>>;
  /** The main step. Throw a GantryError to fail the step with a clear message. */
  run(ctx: ActionContext): Promise<void>;
  /** When the post step runs, like `runs.post-if` (default `always()`; actions/cache: `success()`). */
  readonly postIf?: string;
  /** Optional post-job step (e.g. actions/cache saves here). Runs only if `run` ran. */
  post?(ctx: ActionContext): Promise<void>;
}
