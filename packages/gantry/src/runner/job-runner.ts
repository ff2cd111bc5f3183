import path from 'node:path';
import { combineResults, Slots, type JobGraph, type Result } from '../engine/index.js';
import { GantryError } from '../errors/index.js';
import { describeError } from './describe-error.js';
import {
  evaluateCondition,
  evaluateTemplate,
  type ExpressionScope,
} from '../workflow/expressions.js';
import { expandMatrix, matrixLegName } from '../workflow/matrix.js';
import type { JobDef, WorkflowDef } from '../workflow/model.js';
import { readConcurrency, type ConcurrencyCoordinator } from './concurrency.js';
import { JobLog } from './job-log.js';
import { Leg, type NeedResult } from './leg.js';
import { runLeg } from './leg-runner.js';
import { LegState } from './leg-state.js';
import type { JobReport } from './report.js';
import { recordLeg } from './record.js';
import { githubContext, type RunContext } from './run-context.js';
import { toText } from './values.js';

export interface JobRun {
  result: Result;
  outputs: Record<string, string>;
  reports: JobReport[];
}

/**
 * Runs one job of a workflow once its needs are done: the `if` (with the implicit
 * `success()` over all ancestors, so skips cascade), the matrix with fail-fast and
 * max-parallel, and the concurrency group.
 */
export async function runJob(
  run: RunContext,
  workflow: WorkflowDef,
  job: JobDef,
  graph: JobGraph,
  needs: Record<string, NeedResult>,
  slots: Slots,
  concurrency: ConcurrencyCoordinator,
): Promise<JobRun> {
  const baseScope: ExpressionScope = {
    contexts: { github: baseGithub(run, workflow, job), needs, vars: run.vars, inputs: run.inputs },
    status: graph.statusOf(job.id, run.signal.aborted),
  };
  const skipped = (reason: string): JobRun => {
    const name = job.id;
    run.listener({
      type: 'job-end',
      job: `${workflow.file}/${name}`,
      status: 'skipped',
      durationMs: 0,
      reason,
    });
    return {
      result: 'skipped',
      outputs: {},
      reports: [
        { id: job.id, name, status: 'skipped', reason, outputs: {}, durationMs: 0, steps: [] },
      ],
    };
  };
  let legs: Array<Record<string, unknown> | undefined>;
  let failFast = true;
  let maxParallel = Infinity;
  try {
    if (!evaluateCondition(job.if, baseScope)) return skipped(`if: ${job.if}`);
    if (job.uses) {
      throw new GantryError(
        'GANTRY_UNSUPPORTED',
        `job '${job.id}' calls a reusable workflow (${job.uses}), which Gantry does not run yet`,
      );
    }
    const strategy = (job.strategy ? evaluateTemplate(job.strategy, baseScope) : {}) as Record<
      string,
      unknown
    >;
    const matrix = strategy['matrix'] as Record<string, unknown> | undefined;
    legs = matrix && Object.keys(matrix).length > 0 ? expandMatrix(matrix) : [undefined];
    failFast = strategy['fail-fast'] === undefined ? true : Boolean(strategy['fail-fast']);
    if (strategy['max-parallel'] !== undefined)
      maxParallel = Math.max(1, Number(strategy['max-parallel']));
  } catch (error) {
    const message = describeError(error);
    const key = `${workflow.file}/${job.id}`;
    run.listener({ type: 'job-start', job: key, workflow: workflow.name, name: job.id });
    run.listener({ type: 'log', job: key, text: `##[error]${message}` });
    run.listener({ type: 'job-end', job: key, status: 'failure', durationMs: 0, reason: message });
    return {
      result: 'failure',
      outputs: {},
      reports: [
        {
          id: job.id,
          name: job.id,
          status: 'failure',
          reason: message,
          outputs: {},
          durationMs: 0,
          steps: [],
          logTail: [`##[error]${message}`],
        },
      ],
    };
  }
  const legSlots = new Slots(Math.min(maxParallel, legs.length));
  const running = new Set<Leg>();
  const finished: JobReport[] = [];
  let failedFast = false;
  const reports = await Promise.all(
    legs.map(async (combo, index) => {
      const name = legName(run, workflow, job, combo, needs);
      const key = `${workflow.file}/${name}`;
      run.listener({ type: 'job-queued', job: key, workflow: workflow.name, name });
      await legSlots.acquire();
      await slots.acquire();
      try {
        const strategyContext = {
          'fail-fast': failFast,
          'job-index': index,
          'job-total': legs.length,
          'max-parallel': Number.isFinite(maxParallel) ? maxParallel : legs.length,
        };
        const state = new LegState({});
        const dir = path.join(run.runDir, 'jobs', key.replace(/[^\w.-]+/g, '_'));
        const jobRowId = run.store
          ? await run.store.createJob(run.runId, {
              key,
              workflow: workflow.file,
              jobId: job.id,
              name,
              ...(combo ? { matrix: combo } : {}),
            })
          : undefined;
        const store = run.store;
        const sinkLog = new JobLog(
          key,
          run.masker,
          run.listener,
          store && jobRowId !== undefined
            ? { append: (t) => store.appendLog(jobRowId, t) }
            : undefined,
        );
        const leg = new Leg(
          run,
          workflow,
          job,
          key,
          name,
          dir,
          combo,
          strategyContext,
          needs,
          state,
          sinkLog,
        );
        if (failedFast || run.signal.aborted) leg.cancel('cancelled');
        running.add(leg);
        const release = await concurrency.enter(
          {
            cancel: (group) => {
              leg.log.line(
                `Canceling since a higher priority waiting request for '${group}' exists`,
              );
              leg.cancel('cancelled');
            },
            waiting: (group) =>
              leg.log.line(`Waiting for a pending job in concurrency group '${group}'`),
          },
          readConcurrency(job.concurrency, (token) => leg.evaluate(token)),
        );
        run.listener({ type: 'job-start', job: key, workflow: workflow.name, name });
        let report: JobReport;
        try {
          report =
            leg.state.cancelled && !leg.state.timedOut ? cancelledReport(leg) : await runLeg(leg);
        } finally {
          release();
          running.delete(leg);
        }
        await sinkLog.flush();
        if (store && jobRowId !== undefined) await recordLeg(store, jobRowId, report);
        finished.push(report);
        run.listener({
          type: 'job-end',
          job: key,
          status: report.status,
          durationMs: report.durationMs,
          ...(report.reason ? { reason: report.reason } : {}),
        });
        const continueOnError = Boolean(leg.evaluate(job.continueOnError) ?? false);
        if (report.status === 'failure' && failFast && !continueOnError && legs.length > 1) {
          failedFast = true;
          for (const other of running) other.cancel('cancelled');
        }
        return { report, continueOnError };
      } finally {
        slots.release();
        legSlots.release();
      }
    }),
  );
  const results = reports.map(({ report, continueOnError }) =>
    report.status === 'failure' && continueOnError ? 'success' : report.status,
  );
  // Matrix legs' outputs merge; for the same name the last leg to finish wins (GitHub's rule).
  const outputs: Record<string, string> = {};
  for (const report of finished) Object.assign(outputs, report.outputs);
  return { result: combineResults(results), outputs, reports: reports.map((r) => r.report) };
}

function cancelledReport(leg: Leg): JobReport {
  return {
    id: leg.job.id,
    name: leg.name,
    ...(leg.matrix ? { matrix: leg.matrix } : {}),
    status: 'cancelled',
    reason: 'cancelled before it started',
    outputs: {},
    durationMs: 0,
    steps: [],
  };
}

function legName(
  run: RunContext,
  workflow: WorkflowDef,
  job: JobDef,
  combo: Record<string, unknown> | undefined,
  needs: Record<string, NeedResult>,
): string {
  if (job.name) {
    try {
      const scope: ExpressionScope = {
        contexts: {
          github: baseGithub(run, workflow, job),
          needs,
          vars: run.vars,
          inputs: run.inputs,
          matrix: combo ?? {},
          strategy: {},
        },
      };
      const name = toText(evaluateTemplate(job.name, scope));
      if (name)
        return combo && !String(job.name).includes('matrix') ? matrixLegName(name, combo) : name;
    } catch {
      // fall back to the generated name
    }
  }
  return combo ? matrixLegName(job.id, combo) : job.id;
}

/** The `github` context before a leg exists: the same as a leg's, without a workspace yet. */
function baseGithub(run: RunContext, workflow: WorkflowDef, job: JobDef): Record<string, unknown> {
  return githubContext(run, workflow, job.id, '');
}
