import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';
import type { StepDef } from '../workflow/model.js';
import { entry } from '../workflow/tokens.js';
import type { StepFrame, StepOutcome } from './frame.js';
import type { Leg } from './leg.js';
import { applyStepResult } from './step-result.js';
import { resolveShell, shellArgs } from './shell.js';
import { runStepProcess } from './step-process.js';
import { findOnPath } from './which.js';

let scriptCounter = 0;

/** Runs a `run:` step: the script goes to a temp file executed by the step's shell. */
export async function runScriptStep(
  leg: Leg,
  step: StepDef,
  frame: StepFrame,
  stepEnv: Record<string, string>,
  timeoutMs: number | undefined,
): Promise<StepOutcome> {
  const extra = frame.inputs
    ? { steps: frame.steps, inputs: frame.inputs }
    : { steps: frame.steps };
  const script = leg.evaluateString(step.run, extra) ?? '';
  const defaults = runDefaults(leg);
  const shellName = leg.evaluateString(step.shell, extra) ?? defaults.shell;
  const shell = resolveShell(shellName, leg.run.hasBash);
  const env = leg.state.processEnv(leg.run.hostEnv, stepEnv);
  if (shell.command === 'python' && !findOnPath('python', env['PATH'])) shell.command = 'python3';
  if (!findOnPath(shell.command, env['PATH'])) {
    throw new GantryError(
      'GANTRY_EXEC_SPAWN_FAILED',
      `shell '${shell.command}' was not found on PATH`,
      {
        hint: `install ${shell.command} or choose another shell with \`shell:\``,
      },
    );
  }
  const workingDirectory =
    leg.evaluateString(step.workingDirectory, extra) ?? defaults.workingDirectory;
  const cwd = workingDirectory ? path.resolve(leg.workspace, workingDirectory) : leg.workspace;
  if (!isDirectory(cwd)) {
    throw new GantryError(
      'GANTRY_EXEC_SPAWN_FAILED',
      `working-directory '${workingDirectory}' does not exist in the workspace`,
      {
        hint: 'paths are relative to GITHUB_WORKSPACE (the repository root)',
      },
    );
  }
  const scriptPath = path.join(
    leg.temp,
    `step-${process.pid}-${++scriptCounter}${shell.extension}`,
  );
  writeFileSync(scriptPath, script);
  const result = await runStepProcess(leg, {
    command: shell.command,
    args: shellArgs(shell, scriptPath),
    cwd,
    env: stepEnv,
    timeoutMs,
  });
  return applyStepResult(leg, result);
}

/** `defaults.run` of the job, falling back to the workflow's. */
function runDefaults(leg: Leg): { shell?: string; workingDirectory?: string } {
  const read = (defaults: typeof leg.job.defaults, key: string) =>
    defaults ? leg.evaluateString(entry(entry(defaults, 'run'), key)) : undefined;
  const shell = read(leg.job.defaults, 'shell') ?? read(leg.workflow.defaults, 'shell');
  const workingDirectory =
    read(leg.job.defaults, 'working-directory') ?? read(leg.workflow.defaults, 'working-directory');
  return {
    ...(shell === undefined ? {} : { shell }),
    ...(workingDirectory === undefined ? {} : { workingDirectory }),
  };
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
