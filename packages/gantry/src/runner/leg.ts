import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stepStatus } from '../engine/index.js';
import type { JobDef, WorkflowDef } from '../workflow/model.js';
import { evaluateTemplate, type ExpressionScope } from '../workflow/expressions.js';
import { hashFiles } from '../workflow/hash-files.js';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { StepHost } from '../executor/step-host.js';
import type { JobServices } from '../services/index.js';
import type { FileCommandPaths } from './file-commands.js';
import type { JobLog } from './job-log.js';
import type { LegState } from './leg-state.js';
import { githubContext, type RunContext } from './run-context.js';

export interface NeedResult {
  result: string;
  outputs: Record<string, string>;
}

/** One matrix leg of a job (a job without a matrix has exactly one), while it runs. */
export class Leg {
  readonly workspace: string;
  readonly temp: string;
  /** How many mask patterns the mask file for `gantry task` holds. */
  private maskedCount = 0;
  readonly filesDir: string;
  readonly github: Record<string, unknown>;
  /** GITHUB_OUTPUT/ENV/PATH/STATE/STEP_SUMMARY files, created once, emptied after each step. */
  fileCommands: FileCommandPaths | undefined;
  /** The bash that forks this leg's steps, started with the first step. */
  stepHost: StepHost | undefined;
  /** The job's `services:`, running natively; undefined until started (or without any). */
  services: JobServices | undefined;
  /** Aborted when the step running now must stop (cancel or timeout); renewed per step. */
  private stepController = new AbortController();

  constructor(
    readonly run: RunContext,
    readonly workflow: WorkflowDef,
    readonly job: JobDef,
    /** Unique key of the leg in this run, e.g. `ci.yml/test (3.11)`. */
    readonly key: string,
    readonly name: string,
    readonly dir: string,
    readonly matrix: Record<string, unknown> | undefined,
    readonly strategy: Record<string, unknown>,
    readonly needs: Record<string, NeedResult>,
    readonly state: LegState,
    readonly log: JobLog,
  ) {
    this.workspace = path.join(dir, 'workspace');
    this.temp = path.join(dir, 'temp');
    this.filesDir = path.join(dir, 'files');
    this.github = githubContext(run, workflow, job.id, this.workspace);
  }

  get signal(): AbortSignal {
    return this.stepController.signal;
  }

  /** Gives the next step a fresh signal: after a cancel, `always()` steps still run. */
  beginStep(): void {
    if (this.stepController.signal.aborted) this.stepController = new AbortController();
  }

  /** Stops the running step; later steps run only if their `if` allows it. */
  cancel(reason: 'cancelled' | 'timed-out'): void {
    if (reason === 'timed-out') this.state.timedOut = true;
    this.state.cancelled = true;
    this.stepController.abort();
  }

  /** The expression scope of a step (or of job-level keys evaluated during the job). */
  scope(extra: Record<string, unknown> = {}): ExpressionScope {
    const steps = Object.fromEntries(
      Object.entries(this.state.steps).map(([id, s]) => [
        id,
        { outputs: s.outputs, outcome: s.outcome, conclusion: s.conclusion },
      ]),
    );
    return {
      contexts: {
        github: this.github,
        env: this.state.env,
        vars: this.run.vars,
        secrets: this.run.secrets,
        inputs: this.run.inputs,
        matrix: this.matrix ?? {},
        strategy: this.strategy,
        needs: this.needs,
        steps,
        job: {
          status: this.jobStatus(),
          ...(this.services ? { services: this.services.context() } : {}),
        },
        runner: this.runnerContext(),
        ...extra,
      },
      status: stepStatus(this.state.conclusions, this.state.cancelled),
      hashFiles: (patterns) => hashFiles(this.workspace, patterns),
    };
  }

  evaluate(token: TemplateToken | undefined, extra?: Record<string, unknown>): unknown {
    return token === undefined ? undefined : evaluateTemplate(token, this.scope(extra));
  }

  evaluateString(
    token: TemplateToken | undefined,
    extra?: Record<string, unknown>,
  ): string | undefined {
    const value = this.evaluate(token, extra);
    return value === undefined || value === null ? undefined : String(value);
  }

  runnerContext(): Record<string, string> {
    return {
      name: 'gantry',
      os: 'Linux',
      arch: process.arch === 'arm64' ? 'ARM64' : 'X64',
      temp: this.temp,
      tool_cache: path.join(this.run.gantryDir, 'tool-cache'),
      environment: 'self-hosted',
      debug: this.run.hostEnv['RUNNER_DEBUG'] === '1' ? '1' : '',
    };
  }

  jobStatus(): string {
    if (this.state.cancelled) return 'cancelled';
    return this.state.conclusions.includes('failure') ? 'failure' : 'success';
  }

  /**
   * GitHub's default environment variables for a step, and Gantry's: the shared task cache
   * of the repository (the job workspace is a copy without `.gantry/`) and, when the run has
   * secrets, a file listing them so `gantry task` masks what it caches.
   */
  githubEnv(): Record<string, string> {
    const g = this.github;
    const secrets = this.run.masker.size;
    const maskFile = path.join(this.temp, 'gantry-mask.json');
    // Masks only grow (secrets, then ::add-mask::): rewrite the file only when one was added.
    if (secrets !== this.maskedCount) {
      writeFileSync(maskFile, JSON.stringify(this.run.masker.values()), { mode: 0o600 });
      this.maskedCount = secrets;
    }
    const s = (k: string) => String(g[k] ?? '');
    return {
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GANTRY: 'true',
      GITHUB_WORKFLOW: s('workflow'),
      GITHUB_WORKFLOW_REF: s('workflow_ref'),
      GITHUB_RUN_ID: s('run_id'),
      GITHUB_RUN_NUMBER: s('run_number'),
      GITHUB_RUN_ATTEMPT: '1',
      GITHUB_JOB: this.job.id,
      GITHUB_ACTOR: s('actor'),
      GITHUB_TRIGGERING_ACTOR: s('actor'),
      GITHUB_REPOSITORY: s('repository'),
      GITHUB_REPOSITORY_OWNER: s('repository_owner'),
      GITHUB_EVENT_NAME: s('event_name'),
      GITHUB_EVENT_PATH: path.join(this.run.runDir, 'event.json'),
      GITHUB_WORKSPACE: this.workspace,
      GITHUB_SHA: s('sha'),
      GITHUB_REF: s('ref'),
      GITHUB_REF_NAME: s('ref_name'),
      GITHUB_REF_TYPE: s('ref_type'),
      GITHUB_HEAD_REF: s('head_ref'),
      GITHUB_BASE_REF: s('base_ref'),
      GITHUB_SERVER_URL: s('server_url'),
      GITHUB_API_URL: s('api_url'),
      GITHUB_GRAPHQL_URL: s('graphql_url'),
      GITHUB_RETENTION_DAYS: '90',
      RUNNER_OS: 'Linux',
      RUNNER_ARCH: this.runnerContext()['arch'] ?? 'X64',
      RUNNER_NAME: 'gantry',
      RUNNER_ENVIRONMENT: 'self-hosted',
      RUNNER_TEMP: this.temp,
      RUNNER_TOOL_CACHE: path.join(this.run.gantryDir, 'tool-cache'),
      GANTRY_CACHE_DIR:
        this.run.hostEnv['GANTRY_CACHE_DIR'] ?? path.join(this.run.gantryDir, 'cache'),
      ...(secrets > 0 ? { GANTRY_MASK_FILE: maskFile } : {}),
      ...(this.run.hostEnv['RUNNER_DEBUG'] === '1' ? { RUNNER_DEBUG: '1' } : {}),
    };
  }
}
