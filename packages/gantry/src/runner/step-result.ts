import type { StepOutcome } from './frame.js';
import type { Leg } from './leg.js';
import type { StepProcessResult } from './step-process.js';

/**
 * Applies what a step process left behind (GITHUB_ENV, GITHUB_PATH, outputs, summary) and
 * turns its exit into a step outcome with GitHub's messages.
 */
export function applyStepResult(leg: Leg, result: StepProcessResult): StepOutcome {
  const { files, process: proc } = result;
  for (const [name, value] of files.env) leg.state.env[name] = value;
  for (const dir of files.path) leg.state.path.unshift(dir);
  if (files.summary.trim().length > 0) leg.state.summaries.push(leg.run.masker.mask(files.summary));
  const outputs: Record<string, string> = {};
  for (const [name, value] of [...result.commands.outputs, ...files.outputs]) outputs[name] = value;
  if (proc.failedToStart) {
    leg.log.line(`##[error]${proc.failedToStart}`);
    return { outcome: 'failure', exitCode: null, outputs, reason: proc.failedToStart };
  }
  if (proc.timedOut) {
    leg.log.line('##[error]The action has timed out.');
    return { outcome: 'failure', exitCode: proc.exitCode, outputs, reason: 'the step timed out' };
  }
  if (proc.canceled) {
    const reason = leg.state.timedOut ? 'the job timed out' : 'the operation was canceled';
    leg.log.line(`##[error]The operation was canceled.`);
    return {
      outcome: leg.state.timedOut ? 'failure' : 'cancelled',
      exitCode: proc.exitCode,
      outputs,
      reason,
    };
  }
  if (proc.exitCode !== 0) {
    const reason =
      proc.exitCode === null ? `terminated by ${proc.signal}` : `exit code ${proc.exitCode}`;
    leg.log.line(`##[error]Process completed with ${reason}.`);
    return {
      outcome: 'failure',
      exitCode: proc.exitCode,
      outputs,
      reason: `process completed with ${reason}`,
    };
  }
  if (result.commands.failure) {
    return { outcome: 'failure', exitCode: 0, outputs, reason: result.commands.failure };
  }
  return { outcome: 'success', exitCode: 0, outputs };
}
