import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { EventsConfig } from '@actions/workflow-parser/model/workflow-template';

/**
 * A loaded, validated workflow. Values that may hold `${{ }}` stay template tokens and are
 * evaluated only when the job or step runs, with the contexts GitHub makes available there.
 */
export interface WorkflowDef {
  /** Path relative to the repository root, e.g. `.github/workflows/ci.yml`. */
  readonly file: string;
  /** `name:`, or the file path as GitHub shows it when there is none. */
  readonly name: string;
  readonly source: string;
  readonly events: EventsConfig;
  readonly env?: TemplateToken;
  readonly defaults?: TemplateToken;
  readonly concurrency?: TemplateToken;
  readonly runName?: TemplateToken;
  readonly jobs: readonly JobDef[];
}

export interface Position {
  readonly line?: number;
  readonly col?: number;
}

export interface JobDef {
  readonly id: string;
  readonly name?: TemplateToken;
  readonly needs: readonly string[];
  /** The `if` expression with GitHub's implicit `success() &&` already applied. */
  readonly if: string;
  readonly runsOn?: TemplateToken;
  readonly env?: TemplateToken;
  readonly outputs?: TemplateToken;
  readonly strategy?: TemplateToken;
  readonly timeoutMinutes?: TemplateToken;
  readonly continueOnError?: TemplateToken;
  readonly defaults?: TemplateToken;
  readonly concurrency?: TemplateToken;
  readonly environment?: TemplateToken;
  readonly container?: TemplateToken;
  readonly services?: TemplateToken;
  /** Set for a reusable-workflow call (`jobs.<id>.uses`). */
  readonly uses?: string;
  readonly steps: readonly StepDef[];
  readonly position: Position;
}

export interface StepDef {
  /** The step id: the user's `id:` or GitHub's generated one (`__run`, `__actions_checkout`). */
  readonly id: string;
  /** True when the user wrote `id:` (only then does the step appear in the `steps` context). */
  readonly userId: boolean;
  readonly name?: TemplateToken;
  readonly if: string;
  readonly run?: TemplateToken;
  readonly uses?: string;
  readonly with?: TemplateToken;
  readonly env?: TemplateToken;
  readonly shell?: TemplateToken;
  readonly workingDirectory?: TemplateToken;
  readonly timeoutMinutes?: TemplateToken;
  readonly continueOnError?: TemplateToken;
  readonly position: Position;
}
