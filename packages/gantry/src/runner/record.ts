import type { Store } from '../store/index.js';
import type { JobReport } from './report.js';

/**
 * Stores a finished leg's steps and outputs. Outputs are already free of secrets: an output
 * that contained one was emptied when the job ended.
 */
export async function recordLeg(store: Store, jobRowId: number, report: JobReport): Promise<void> {
  let startedAt = Date.now() - report.durationMs;
  for (const [index, step] of report.steps.entries()) {
    await store.recordStep(jobRowId, {
      index,
      name: step.name,
      status: step.status,
      exitCode: step.exitCode,
      startedAt,
      durationMs: step.durationMs,
    });
    startedAt += step.durationMs;
  }
  await store.finishJob(jobRowId, report.status, report.outputs);
}
