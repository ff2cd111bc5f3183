import path from 'node:path';
import { resolveAction } from '../actions/resolve.js';
import type { ActionManifest } from '../actions/manifest.js';
import type { BuiltinAction } from '../actions/types.js';
import { interpolate } from '../workflow/expressions.js';
import type { StepDef } from '../workflow/model.js';
import { runBuiltinAction } from './builtin-step.js';
import { runCompositeAction } from './composite-step.js';
import type { NestedStepsRunner, StepFrame, StepOutcome } from './frame.js';
import type { Leg } from './leg.js';
import { runStepProcess } from './step-process.js';
import { applyStepResult } from './step-result.js';
import { stringMap } from './values.js';

/** Runs a `uses:` step: a built-in action, a local or mirrored node or composite action. */
export async function runActionStep(
  leg: Leg,
  step: StepDef,
  frame: StepFrame,
  stepEnv: Record<string, string>,
  timeoutMs: number | undefined,
  runNested: NestedStepsRunner,
): Promise<StepOutcome> {
  const uses = step.uses ?? '';
  const extra = frame.inputs
    ? { steps: frame.steps, inputs: frame.inputs }
    : { steps: frame.steps };
  const given = lowerKeys(stringMap(leg.evaluate(step.with, extra), 'with'));
  const resolved = resolveAction(uses, {
    repositoryRoot: leg.run.repoRoot,
    workspace: leg.workspace,
    ...(leg.run.actionsPath ? { actionsPath: leg.run.actionsPath } : {}),
  });
  if (resolved.kind === 'builtin') {
    return runBuiltinAction(
      leg,
      resolved.action as BuiltinAction,
      uses,
      withDefaults(given, resolved.action.defaults),
      stepEnv,
      frame,
    );
  }
  const inputs = manifestInputs(leg, resolved.manifest, given, extra);
  if (resolved.manifest.using === 'composite') {
    return runCompositeAction(leg, step, resolved.manifest, inputs, stepEnv, frame, runNested);
  }
  return runNodeAction(leg, uses, resolved.manifest, inputs, stepEnv, timeoutMs, frame);
}

async function runNodeAction(
  leg: Leg,
  uses: string,
  manifest: ActionManifest,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  timeoutMs: number | undefined,
  frame: StepFrame,
): Promise<StepOutcome> {
  const env = { ...stepEnv, ...inputEnv(inputs), ...actionEnv(uses, manifest) };
  const state: Record<string, string> = {};
  const runScript = async (script: string) => {
    const result = await runStepProcess(leg, {
      command: process.execPath,
      args: [path.join(manifest.dir, script)],
      cwd: leg.workspace,
      env: {
        ...env,
        ...Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])),
      },
      timeoutMs,
    });
    for (const [k, v] of [...result.commands.state, ...result.files.state]) state[k] = v;
    return applyStepResult(leg, result);
  };
  if (manifest.pre) {
    const pre = await runScript(manifest.pre);
    if (pre.outcome !== 'success') return pre;
  }
  const outcome = await runScript(manifest.main ?? 'index.js');
  if (manifest.post) {
    const post = manifest.post;
    frame.posts.push({
      name: `Post ${uses}`,
      condition: manifest.postIf ?? 'always()',
      run: () => runScript(post),
    });
  }
  return outcome;
}

function manifestInputs(
  leg: Leg,
  manifest: ActionManifest,
  given: Record<string, string>,
  extra: Record<string, unknown>,
): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const input of manifest.inputs) {
    const id = input.id.toLowerCase();
    if (given[id] !== undefined) inputs[id] = given[id];
    else if (input.default !== undefined) inputs[id] = interpolate(input.default, leg.scope(extra));
    else if (input.required)
      leg.log.line(`##[warning]Input required and not supplied: ${input.id}`);
  }
  for (const [k, v] of Object.entries(given)) {
    if (!(k in inputs)) {
      leg.log.line(
        `##[warning]Unexpected input '${k}', valid inputs are ${manifest.inputs.map((i) => `'${i.id}'`).join(', ')}`,
      );
      inputs[k] = v;
    }
  }
  return inputs;
}

/** GitHub passes inputs as INPUT_<NAME> with spaces replaced by underscores, upper-cased. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
  );
}

function actionEnv(uses: string, manifest: ActionManifest): Record<string, string> {
  const [repo = '', ref = ''] = uses.split('@');
  return {
    GITHUB_ACTION_PATH: manifest.dir,
    GITHUB_ACTION_REPOSITORY: repo.startsWith('./') ? '' : repo,
    GITHUB_ACTION_REF: ref,
  };
}

function withDefaults(
  given: Record<string, string>,
  defaults: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  return { ...(defaults ?? {}), ...given };
}

function lowerKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
}
