import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { definedEnv } from '../executor/process.js';
import { Slots, combineResults } from '../engine/index.js';
import { SecretMasker } from '../secrets/masker.js';
import { openStore, type Store } from '../store/index.js';
import { coerceDispatchInputs } from '../workflow/event.js';
import type { WorkflowDef } from '../workflow/model.js';
import { ConcurrencyCoordinator, readConcurrency } from './concurrency.js';
import { evaluateTemplate } from '../workflow/expressions.js';
export type { RunOptions } from './prepare.js';
import { prepareRun, type RunOptions } from './prepare.js';
import { checkJobsExist, selectJobs } from './select-jobs.js';
import { runWorkflow } from './workflow-runner.js';
import type { RunReport, WorkflowReport } from './report.js';
import { githubContext, type RunContext } from './run-context.js';
import { findOnPath } from './which.js';

/** Runs every triggered workflow of the repository for one event, with GitHub's semantics. */
export async function runWorkflows(options: RunOptions): Promise<RunReport> {
  const { event, triggers, workflows } = await prepareRun(options);
  if (options.jobs && options.jobs.length > 0) checkJobsExist(workflows, options.jobs);
  const listener = options.listener ?? (() => {});
  const gantryDir = path.join(options.repoRoot, '.gantry');
  await fs.mkdir(gantryDir, { recursive: true });
  const store: Store | undefined =
    options.record === false ? undefined : await openStore(gantryDir);
  const masker = new SecretMasker();
  for (const value of Object.values(options.secrets)) masker.add(value);
  const runId = store
    ? await store.createRun({
        event: event.eventName,
        ref: event.ref,
        sha: event.sha,
        args: options.argv ?? [],
      })
    : Date.now();
  const runDir = path.join(gantryDir, 'runs', String(runId));
  await fs.mkdir(runDir, { recursive: true });
  await fs.writeFile(path.join(runDir, 'event.json'), JSON.stringify(event.payload, null, 2));
  const hostEnv = definedEnv();
  const reports: WorkflowReport[] = [];
  const slots = new Slots(Math.max(1, options.parallel ?? os.availableParallelism()));
  const concurrency = new ConcurrencyCoordinator();
  const workflowGroups = new ConcurrencyCoordinator();
  const signal = options.signal ?? new AbortController().signal;
  const running: Array<Promise<void>> = [];
  for (const trigger of triggers) {
    const { workflow } = trigger;
    if (!trigger.triggered) {
      listener({
        type: 'workflow-skipped',
        workflow: workflow.name,
        file: workflow.file,
        reason: trigger.reason,
      });
      reports.push({
        name: workflow.name,
        file: workflow.file,
        triggered: false,
        reason: trigger.reason,
        status: 'not-triggered',
        jobs: [],
      });
      continue;
    }
    const inputs =
      event.eventName === 'workflow_dispatch'
        ? coerceDispatchInputs(dispatchInputs(workflow), options.inputs ?? {})
        : {};
    // Workflow-level concurrency can cancel this workflow alone, without cancelling the run.
    const controller = new AbortController();
    const workflowSignal = AbortSignal.any([signal, controller.signal]);
    const run: RunContext = {
      repoRoot: options.repoRoot,
      runDir,
      gantryDir,
      runId,
      event,
      inputs,
      secrets: options.secrets,
      vars: options.vars ?? {},
      masker,
      listener,
      store,
      clean: options.clean ?? false,
      actionsPath: options.actionsPath,
      hasBash: Boolean(findOnPath('bash', process.env['PATH'])),
      hostEnv,
      signal: workflowSignal,
      ...(options.killSequence ? { killSequence: options.killSequence } : {}),
    };
    const report: WorkflowReport = {
      name: workflow.name,
      file: workflow.file,
      triggered: true,
      status: 'success',
      jobs: [],
    };
    reports.push(report);
    listener({ type: 'workflow-start', workflow: workflow.name, file: workflow.file });
    const selected =
      options.jobs && options.jobs.length > 0 ? selectJobs(workflow, options.jobs) : undefined;
    const scope = {
      contexts: { github: githubContext(run, workflow, '', ''), inputs, vars: run.vars },
    };
    running.push(
      workflowGroups
        .enter(
          { cancel: () => controller.abort() },
          readConcurrency(workflow.concurrency, (token) => evaluateTemplate(token, scope)),
        )
        .then(async (release) => {
          try {
            const result = await runWorkflow(run, workflow, selected, slots, concurrency);
            report.status = result.status;
            report.jobs = result.jobs;
            listener({ type: 'workflow-end', workflow: workflow.name, status: result.status });
          } finally {
            release();
          }
        }),
    );
  }
  await Promise.all(running);
  const statuses = reports
    .filter((r) => r.triggered)
    .map((r) => (r.status === 'not-triggered' ? 'skipped' : r.status));
  const combined = combineResults(statuses.length > 0 ? statuses : ['success']);
  const report: RunReport = {
    status: signal.aborted
      ? 'cancelled'
      : combined === 'failure'
        ? 'failure'
        : combined === 'cancelled'
          ? 'cancelled'
          : 'success',
    runId,
    event: event.eventName,
    ref: event.ref,
    sha: event.sha,
    workflows: reports,
  };
  const masked = JSON.parse(masker.mask(JSON.stringify(report))) as RunReport;
  if (store) {
    await store.finishRun(runId, masked.status, masked);
    await store.close();
  }
  return masked;
}

function dispatchInputs(workflow: WorkflowDef) {
  const dispatch = workflow.events.workflow_dispatch as
    | {
        inputs?: Record<
          string,
          { type?: string; required?: boolean; default?: unknown; options?: string[] }
        >;
      }
    | undefined;
  return dispatch?.inputs;
}
