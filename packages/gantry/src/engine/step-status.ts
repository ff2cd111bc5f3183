import type { JobStatus, Result } from './job-graph.js';

/**
 * Step-level status functions: `success()` is true while no earlier step's conclusion
 * is failure; `failure()` once one is; `cancelled()` once the job was cancelled.
 */
export function stepStatus(conclusions: readonly Result[], jobCancelled: boolean): JobStatus {
  const failed = conclusions.some((c) => c === 'failure');
  return {
    success: () => !failed && !jobCancelled,
    failure: () => failed,
    cancelled: () => jobCancelled,
  };
}

/** A job's result from its legs: GitHub reports failure over cancelled over success. */
export function combineResults(results: readonly Result[]): Result {
  if (results.length === 0) return 'skipped';
  if (results.includes('failure')) return 'failure';
  if (results.includes('cancelled')) return 'cancelled';
  if (results.every((r) => r === 'skipped')) return 'skipped';
  return 'success';
}
