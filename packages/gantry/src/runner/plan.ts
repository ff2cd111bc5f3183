import { evaluateTemplate } from '../workflow/expressions.js';
import { expandMatrix, matrixLegName } from '../workflow/matrix.js';
import type { JobDef } from '../workflow/model.js';
import { prepareRun, type RunOptions } from './prepare.js';
import { checkJobsExist, selectJobs } from './select-jobs.js';

export interface Plan {
  event: string;
  ref: string;
  sha: string;
  changedFiles?: string[];
  workflows: PlanWorkflow[];
}

export interface PlanWorkflow {
  name: string;
  file: string;
  triggered: boolean;
  reason: string;
  jobs: PlanJob[];
}

export interface PlanJob {
  id: string;
  needs: string[];
  if: string;
  /** Matrix leg names, or a note when the matrix depends on values known only at run time. */
  legs: string[];
  legsNote?: string;
  steps: number;
}

/** What `gantry run` would do for this event, without running anything. */
export async function planRun(options: Omit<RunOptions, 'secrets'>): Promise<Plan> {
  const { event, triggers, workflows } = await prepareRun({ ...options, secrets: {} });
  if (options.jobs && options.jobs.length > 0) checkJobsExist(workflows, options.jobs);
  return {
    event: event.eventName,
    ref: event.ref,
    sha: event.sha,
    ...(event.changedFiles ? { changedFiles: event.changedFiles } : {}),
    workflows: triggers.map(({ workflow, triggered, reason }) => {
      const selected =
        options.jobs && options.jobs.length > 0 ? selectJobs(workflow, options.jobs) : undefined;
      return {
        name: workflow.name,
        file: workflow.file,
        triggered,
        reason,
        jobs: triggered
          ? workflow.jobs
              .filter((j) => !selected || selected.has(j.id))
              .map((j) => planJob(j, event))
          : [],
      };
    }),
  };
}

function planJob(
  job: JobDef,
  event: { eventName: string; ref: string; sha: string; payload: unknown },
): PlanJob {
  const base = { id: job.id, needs: [...job.needs], if: job.if, steps: job.steps.length };
  if (!job.strategy) return { ...base, legs: [job.id] };
  try {
    const scope = {
      contexts: {
        github: {
          event_name: event.eventName,
          ref: event.ref,
          sha: event.sha,
          event: event.payload,
        },
        needs: {},
        vars: {},
        inputs: {},
      },
    };
    const strategy = evaluateTemplate(job.strategy, scope) as Record<string, unknown>;
    const matrix = strategy['matrix'] as Record<string, unknown> | undefined;
    if (!matrix || Object.keys(matrix).length === 0) return { ...base, legs: [job.id] };
    return { ...base, legs: expandMatrix(matrix).map((combo) => matrixLegName(job.id, combo)) };
  } catch {
    return {
      ...base,
      legs: [],
      legsNote: 'matrix is computed at run time (it uses needs or other run-time values)',
    };
  }
}
