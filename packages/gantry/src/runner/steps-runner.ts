import { stepStatus, type Result } from '../engine/index.js';
import { logError } from './describe-error.js';
import { evaluateCondition } from '../workflow/expressions.js';
import type { StepDef } from '../workflow/model.js';
import { runActionStep } from './action-step.js';
import type { StepFrame, StepOutcome } from './frame.js';
import type { Leg } from './leg.js';
import type { StepReport } from './report.js';
import { runScriptStep } from './run-step.js';
import { stringMap } from './values.js';

const MAX_STEP_MINUTES = 360;

/**
 * Runs a list of steps (a job's or a composite action's) in order, with GitHub's rules:
 * `if` with status functions (after a failure only `failure()`/`always()` steps run; after a
 * cancel only `always()`/`cancelled()` ones), `continue-on-error` turning a failed outcome
 * into a successful conclusion, `timeout-minutes` per step.
 */
export async function runSteps(
  leg: Leg,
  steps: readonly StepDef[],
  frame: StepFrame,
  reports: StepReport[],
): Promise<void> {
  for (const step of steps) {
    const extra = frame.inputs
      ? { steps: frame.steps, inputs: frame.inputs }
      : { steps: frame.steps };
    const scope = leg.scope(extra);
    scope.status = stepStatus(
      [...leg.state.conclusions, ...frame.conclusions],
      leg.state.cancelled,
    );
    const name = displayName(leg, step, extra);
    const label = frame.label ? `${frame.label} / ${name}` : name;
    let run: boolean;
    let outcome: StepOutcome;
    const started = Date.now();
    try {
      run = evaluateCondition(step.if, scope);
    } catch (error) {
      outcome = failed(leg, error);
      finish(leg, step, frame, label, outcome, started, reports, false);
      continue;
    }
    if (!run) {
      finish(
        leg,
        step,
        frame,
        label,
        { outcome: 'skipped', exitCode: null, outputs: {} },
        started,
        reports,
        false,
      );
      continue;
    }
    const reportIndex = reports.length;
    leg.run.listener({ type: 'step-start', job: leg.key, index: reportIndex, name: label });
    leg.log.resetTail();
    leg.beginStep();
    let continueOnError = false;
    try {
      const stepEnv = stringMap(leg.evaluate(step.env, extra), 'env');
      continueOnError = Boolean(leg.evaluate(step.continueOnError, extra) ?? false);
      const minutes = Number(leg.evaluate(step.timeoutMinutes, extra) ?? MAX_STEP_MINUTES);
      const timeoutMs = Number.isFinite(minutes) && minutes > 0 ? minutes * 60_000 : undefined;
      outcome = step.uses
        ? await runActionStep(
            leg,
            step,
            frame,
            stepEnv,
            timeoutMs,
            (nested, nestedFrame, nestedReports) =>
              runSteps(leg, nested, nestedFrame, nestedReports),
          )
        : await runScriptStep(leg, step, frame, stepEnv, timeoutMs);
    } catch (error) {
      outcome = failed(leg, error);
    }
    finish(leg, step, frame, label, outcome, started, reports, continueOnError, reportIndex);
  }
}

function finish(
  leg: Leg,
  step: StepDef,
  frame: StepFrame,
  label: string,
  outcome: StepOutcome,
  started: number,
  reports: StepReport[],
  continueOnError: boolean,
  reportIndex?: number,
): void {
  const conclusion: Result =
    outcome.outcome === 'failure' && continueOnError ? 'success' : outcome.outcome;
  // Only steps with a user-given `id` appear in the `steps` context, as on GitHub.
  if (step.userId)
    frame.steps[step.id] = { outputs: outcome.outputs, outcome: outcome.outcome, conclusion };
  frame.conclusions.push(conclusion);
  if (conclusion === 'failure' && !leg.state.failureReason) {
    leg.state.failureReason = `step '${label}' failed: ${outcome.reason ?? 'failure'}`;
  }
  const durationMs = Date.now() - started;
  reports.push({
    name: label,
    status: conclusion,
    outcome: outcome.outcome,
    exitCode: outcome.exitCode,
    durationMs,
  });
  if (reportIndex !== undefined) {
    leg.run.listener({
      type: 'step-end',
      job: leg.key,
      index: reportIndex,
      name: label,
      status: conclusion,
      durationMs,
    });
  }
}

function failed(leg: Leg, error: unknown): StepOutcome {
  const message = logError(leg.log, error);
  return { outcome: 'failure', exitCode: null, outputs: {}, reason: message };
}

/** GitHub's step names: `name:`, else `Run <first line of script>` or `Run <action>`. */
function displayName(leg: Leg, step: StepDef, extra: Record<string, unknown>): string {
  try {
    const name = leg.evaluateString(step.name, extra);
    if (name) return name;
  } catch {
    // fall through to the generated name; the step itself will report the bad expression
  }
  if (step.uses) return `Run ${step.uses}`;
  // A script with `${{ }}` is a format() expression token; show it as the user wrote it.
  const run = step.run as { source?: string } | undefined;
  const script = run ? (run.source ?? String(step.run)) : '';
  const first = script.split('\n').find((l) => l.trim().length > 0) ?? '';
  return `Run ${first.trim()}`;
}
