import { promises as fs } from 'node:fs';
import path from 'node:path';
import { combineResults, stepStatus, type Result } from '../engine/index.js';
import { GantryError } from '../errors/index.js';
import { stopProcessGroup } from '../executor/process.js';
import { startServices } from '../services/index.js';
import { evaluateCondition } from '../workflow/expressions.js';
import type { StepFrame } from './frame.js';
import { logError } from './describe-error.js';
import type { Leg } from './leg.js';
import type { JobReport, StepReport } from './report.js';
import { runSteps } from './steps-runner.js';
import { stringMap } from './values.js';
import { prepareWorkspace } from './workspace.js';

const DEFAULT_JOB_MINUTES = 360;

/** Runs one job leg from workspace to outputs, always cleaning up after itself. */
export async function runLeg(leg: Leg): Promise<JobReport> {
  const started = Date.now();
  const reports: StepReport[] = [];
  const frame: StepFrame = {
    steps: leg.state.steps,
    conclusions: leg.state.conclusions,
    label: '',
    posts: [],
  };
  const onRunAbort = () => leg.cancel('cancelled');
  leg.run.signal.addEventListener('abort', onRunAbort);
  let timer: NodeJS.Timeout | undefined;
  let setupFailed: Result | undefined;
  try {
    rejectContainers(leg);
    const minutes = Number(leg.evaluate(leg.job.timeoutMinutes) ?? DEFAULT_JOB_MINUTES);
    if (Number.isFinite(minutes) && minutes > 0) {
      timer = setTimeout(() => {
        leg.log.line(
          `##[error]The job running on runner gantry has exceeded the maximum execution time of ${minutes} minutes.`,
        );
        leg.state.failureReason ??= `the job exceeded timeout-minutes (${minutes})`;
        leg.cancel('timed-out');
      }, minutes * 60_000);
    }
    await fs.mkdir(leg.temp, { recursive: true });
    await prepareWorkspace(leg.run.repoRoot, leg.workspace, leg.run.event.sha, leg.run.clean);
    Object.assign(leg.state.env, stringMap(leg.evaluate(leg.workflow.env), 'env'));
    Object.assign(leg.state.env, stringMap(leg.evaluate(leg.job.env), 'env'));
    if (leg.job.services && !leg.run.signal.aborted) {
      leg.services = await startServices(leg.evaluate(leg.job.services), {
        jobId: leg.job.id,
        logDir: path.join(leg.run.runDir, 'services', path.basename(leg.dir)),
        hostEnv: leg.run.hostEnv,
        signal: leg.run.signal,
        log: (line) => leg.log.line(line),
      });
    }
    if (leg.run.signal.aborted) leg.cancel('cancelled');
    await runSteps(leg, leg.job.steps, frame, reports);
    await runPostSteps(leg, frame, reports);
  } catch (error) {
    const message = logError(leg.log, error);
    leg.state.failureReason ??= message;
    setupFailed = 'failure';
  } finally {
    if (timer) clearTimeout(timer);
    leg.stepHost?.close();
    leg.run.signal.removeEventListener('abort', onRunAbort);
    if (leg.services) {
      if (setupFailed || leg.state.conclusions.includes('failure')) showServiceLogs(leg);
      await leg.services.stop().catch((error: unknown) => logError(leg.log, error));
    }
    await Promise.all(
      [...leg.state.processGroups].map((pid) =>
        stopProcessGroup(pid, { interruptMs: 0, terminateMs: 500 }).catch(() => {}),
      ),
    );
    await fs.rm(leg.temp, { recursive: true, force: true }).catch(() => {});
    if (leg.state.summaries.length > 0) {
      // Job summaries land in one file per run, in completion order, as GitHub shows them.
      const text = `## ${leg.name}\n\n${leg.state.summaries.join('\n')}\n`;
      await fs.appendFile(path.join(leg.run.runDir, 'summary.md'), text).catch(() => {});
    }
  }
  const status = setupFailed ?? legResult(leg);
  return {
    id: leg.job.id,
    name: leg.name,
    ...(leg.matrix ? { matrix: leg.matrix } : {}),
    status,
    ...(status !== 'success' && leg.state.failureReason ? { reason: leg.state.failureReason } : {}),
    outputs: jobOutputs(leg),
    durationMs: Date.now() - started,
    steps: reports,
    ...(status === 'failure' ? { logTail: leg.log.lastLines(15) } : {}),
  };
}

function legResult(leg: Leg): Result {
  if (leg.state.timedOut) return 'failure';
  const result = combineResults(
    leg.state.conclusions.length > 0 ? leg.state.conclusions : ['success'],
  );
  if (leg.state.cancelled && result !== 'failure') return 'cancelled';
  return result === 'skipped' ? 'success' : result;
}

async function runPostSteps(leg: Leg, frame: StepFrame, reports: StepReport[]): Promise<void> {
  for (const post of [...frame.posts].reverse()) {
    const status = stepStatus(leg.state.conclusions, leg.state.cancelled);
    const scope = { ...leg.scope(), status };
    if (!evaluateCondition(post.condition, scope)) continue;
    leg.beginStep();
    const started = Date.now();
    const index = reports.length;
    leg.run.listener({ type: 'step-start', job: leg.key, index, name: post.name });
    const outcome = await post.run();
    const durationMs = Date.now() - started;
    leg.state.conclusions.push(outcome.outcome);
    reports.push({
      name: post.name,
      status: outcome.outcome,
      outcome: outcome.outcome,
      exitCode: outcome.exitCode,
      durationMs,
    });
    leg.run.listener({
      type: 'step-end',
      job: leg.key,
      index,
      name: post.name,
      status: outcome.outcome,
      durationMs,
    });
  }
}

/**
 * Job outputs are evaluated at the end of the job. Like GitHub, an output that contains a
 * secret is not passed on (it would leak through `needs`): it becomes empty, with a warning.
 */
function jobOutputs(leg: Leg): Record<string, string> {
  if (!leg.job.outputs) return {};
  let outputs: Record<string, string>;
  try {
    outputs = stringMap(leg.evaluate(leg.job.outputs), 'outputs');
  } catch (error) {
    leg.log.line(`##[error]job outputs: ${String((error as Error).message ?? error)}`);
    return {};
  }
  for (const [name, value] of Object.entries(outputs)) {
    if (leg.run.masker.mask(value) !== value) {
      leg.log.line(`##[warning]Skip output '${name}' since it may contain secret.`);
      outputs[name] = '';
    }
  }
  return outputs;
}

/** A failed job's log ends with the last lines of each service's log (all of it is kept). */
function showServiceLogs(leg: Leg): void {
  for (const { id, logFile, tail } of leg.services?.logTails() ?? []) {
    leg.log.line(`Service '${id}' log (${logFile}):`, 'start');
    for (const line of tail.split('\n')) leg.log.line(line);
    leg.log.line('', 'end');
  }
}

function rejectContainers(leg: Leg): void {
  if (leg.job.container) {
    throw new GantryError(
      'GANTRY_UNSUPPORTED',
      `job '${leg.job.id}' runs in a container (\`container:\`), which needs a container runtime`,
      {
        hint: 'Gantry runs jobs on the host: remove `container:` or run this job with a Kubernetes executor',
      },
    );
  }
}
