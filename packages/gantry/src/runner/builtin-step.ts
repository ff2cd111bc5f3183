import path from 'node:path';
import type { ActionContext, BuiltinAction } from '../actions/types.js';
import { runProcess } from '../executor/process.js';
import type { StepFrame, StepOutcome } from './frame.js';
import { logError } from './describe-error.js';
import type { Leg } from './leg.js';
import { OutputPipe } from './output-pipe.js';

/** Runs a native built-in action, and registers its post step when it has one. */
export async function runBuiltinAction(
  leg: Leg,
  action: BuiltinAction,
  uses: string,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  frame: StepFrame,
): Promise<StepOutcome> {
  const outputs: Record<string, string> = {};
  const state: Record<string, string> = {};
  const ctx = actionContext(leg, uses, inputs, stepEnv, outputs, state);
  const outcome = await guarded(leg, () => action.run(ctx), outputs);
  if (action.post) {
    const post = action.post.bind(action);
    frame.posts.push({
      name: `Post ${uses}`,
      condition: action.postIf ?? 'always()',
      run: () => guarded(leg, () => post(actionContext(leg, uses, inputs, stepEnv, {}, state)), {}),
    });
  }
  return outcome;
}

async function guarded(
  leg: Leg,
  body: () => Promise<void>,
  outputs: Record<string, string>,
): Promise<StepOutcome> {
  try {
    await body();
    return { outcome: 'success', exitCode: 0, outputs };
  } catch (error) {
    const message = logError(leg.log, error);
    return {
      outcome: leg.signal.aborted && !leg.state.timedOut ? 'cancelled' : 'failure',
      exitCode: null,
      outputs,
      reason: message,
    };
  }
}

function actionContext(
  leg: Leg,
  uses: string,
  inputs: Record<string, string>,
  stepEnv: Record<string, string>,
  outputs: Record<string, string>,
  state: Record<string, string>,
): ActionContext {
  const env = leg.state.processEnv({ ...leg.run.hostEnv, ...leg.githubEnv() }, stepEnv);
  return {
    uses,
    inputs,
    workspace: leg.workspace,
    repositoryRoot: leg.run.repoRoot,
    runnerTemp: leg.temp,
    toolCache: path.join(leg.run.gantryDir, 'tool-cache'),
    artifactsDir: path.join(leg.run.runDir, 'artifacts'),
    reportsDir: path.join(leg.run.runDir, 'reports'),
    cacheDir: path.join(leg.run.gantryDir, 'cache', 'actions'),
    env,
    github: {
      sha: leg.run.event.sha,
      ref: leg.run.event.ref,
      repository: leg.run.event.repository,
    },
    signal: leg.signal,
    log: (line) => leg.log.line(line),
    setOutput: (name, value) => {
      outputs[name] = value;
    },
    exportVariable: (name, value) => {
      leg.state.env[name] = value;
    },
    addPath: (dir) => {
      leg.state.path.unshift(dir);
    },
    setSecret: (value) => leg.run.masker.add(value),
    saveState: (name, value) => {
      state[name] = value;
    },
    getState: (name) => state[name] ?? '',
    exec: async (command, args, options = {}) => {
      const pipe = new OutputPipe(leg.run.masker, (line) => leg.log.line(line));
      const result = await runProcess({
        command,
        args,
        cwd: options.cwd ?? leg.workspace,
        env: { ...env, ...(options.env ?? {}) },
        signal: leg.signal,
        onOutput: (chunk) => pipe.write(chunk),
      });
      pipe.end();
      return result;
    },
  };
}
