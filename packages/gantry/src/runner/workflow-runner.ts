import { JobGraph, combineResults, type Result, type Slots } from '../engine/index.js';
import type { WorkflowDef } from '../workflow/model.js';
import type { ConcurrencyCoordinator } from './concurrency.js';
import { runJob, type JobRun } from './job-runner.js';
import type { NeedResult } from './leg.js';
import type { JobReport } from './report.js';
import type { RunContext } from './run-context.js';

/**
 * Runs one triggered workflow's jobs from a ready queue: each job starts the moment its own
 * `needs` are finished, bounded by the run-wide slots (`--parallel`).
 */
export async function runWorkflow(
  run: RunContext,
  workflow: WorkflowDef,
  selected: ReadonlySet<string> | undefined,
  slots: Slots,
  concurrency: ConcurrencyCoordinator,
): Promise<{ status: Result; jobs: JobReport[] }> {
  const jobs = workflow.jobs.filter((j) => !selected || selected.has(j.id));
  const graph = new JobGraph(
    jobs.map((j) => ({ id: j.id, needs: j.needs.filter((n) => !selected || selected.has(n)) })),
  );
  const finished = new Map<string, JobRun>();
  const running = new Map<string, Promise<void>>();
  const pump = () => {
    for (const id of graph.takeReady()) {
      const job = jobs.find((j) => j.id === id);
      if (!job) continue;
      const needs: Record<string, NeedResult> = {};
      for (const need of job.needs) {
        const done = finished.get(need);
        if (done) needs[need] = { result: done.result, outputs: done.outputs };
      }
      const task = runJob(run, workflow, job, graph, needs, slots, concurrency).then((result) => {
        finished.set(id, result);
        graph.complete(id, result.result);
        running.delete(id);
      });
      running.set(id, task);
    }
  };
  pump();
  while (running.size > 0) {
    await Promise.race(running.values());
    pump();
  }
  const reports = jobs.flatMap((j) => finished.get(j.id)?.reports ?? []);
  const results = jobs.map((j) => finished.get(j.id)?.result ?? 'skipped');
  const status = combineResults(results.map((r) => (r === 'skipped' ? 'success' : r)));
  return {
    status: run.signal.aborted && status === 'success' ? 'cancelled' : status,
    jobs: reports,
  };
}
