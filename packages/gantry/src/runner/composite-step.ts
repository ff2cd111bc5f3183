import type { ActionManifest } from '../actions/manifest.js';
import { combineResults } from '../engine/index.js';
import { evaluateExpression } from '../workflow/expressions.js';
import type { StepDef } from '../workflow/model.js';
import { readActionSteps } from '../workflow/action-steps.js';
import type { NestedStepsRunner, StepFrame, StepOutcome } from './frame.js';
import type { Leg } from './leg.js';
import type { StepReport } from './report.js';
import { toText } from './values.js';

/**
 * Runs a composite action: its steps in a frame of their own (own `steps` and `inputs`
 * contexts), then its outputs evaluated from `outputs.<id>.value`.
 */
export async function runCompositeAction(
  leg: Leg,
  step: StepDef,
  manifest: ActionManifest,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  parent: StepFrame,
  runSteps: NestedStepsRunner,
): Promise<StepOutcome> {
  const steps = readActionSteps(manifest);
  const frame: StepFrame = {
    steps: {},
    conclusions: [],
    inputs,
    label: manifest.name || step.uses || 'composite',
    posts: parent.posts,
  };
  const savedEnv = { ...leg.state.env };
  Object.assign(leg.state.env, stepEnv, { GITHUB_ACTION_PATH: manifest.dir });
  const reports: StepReport[] = [];
  try {
    await runSteps(steps, frame, reports);
  } finally {
    // A composite's step env does not leak to the job, but its GITHUB_ENV exports do.
    for (const key of Object.keys(stepEnv)) {
      if (leg.state.env[key] === stepEnv[key]) {
        if (key in savedEnv) leg.state.env[key] = savedEnv[key] as string;
        else delete leg.state.env[key];
      }
    }
    if (savedEnv['GITHUB_ACTION_PATH'] === undefined) delete leg.state.env['GITHUB_ACTION_PATH'];
  }
  const outputs: Record<string, string> = {};
  const scope = leg.scope({ steps: frame.steps, inputs });
  for (const output of manifest.outputs) {
    if (output.value === undefined) continue;
    const expr = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(output.value);
    outputs[output.id] = expr ? toText(evaluateExpression(expr[1] ?? '', scope)) : output.value;
  }
  const result = combineResults(frame.conclusions.length > 0 ? frame.conclusions : ['success']);
  return { outcome: result === 'skipped' ? 'success' : result, exitCode: null, outputs };
}
