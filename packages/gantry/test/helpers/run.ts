import type { RunEvent } from '../../src/runner/events.js';
import type { JobReport, RunReport } from '../../src/runner/report.js';
import { runWorkflows, type RunOptions } from '../../src/runner/run.js';
import { createRepo } from './repo.js';

export interface TestRun {
  repo: string;
  report: RunReport;
  events: RunEvent[];
  /** All log lines of a job (by display name), masked as stored. */
  log(job: string): string[];
  job(name: string): JobReport;
}

/** Runs one workflow (`.github/workflows/w.yml`) in a fresh repository with Gantry's runner. */
export async function runWorkflow(
  workflow: string,
  options: Partial<RunOptions> & { files?: Record<string, string> } = {},
): Promise<TestRun> {
  const repo =
    options.repoRoot ??
    createRepo({ '.github/workflows/w.yml': workflow, ...(options.files ?? {}) });
  const events: RunEvent[] = [];
  const report = await runWorkflows({
    repoRoot: repo,
    event: { eventName: 'push' },
    secrets: {},
    killSequence: { interruptMs: 300, terminateMs: 300 },
    ...options,
    listener: (e) => events.push(e),
  });
  const jobs = report.workflows.flatMap((w) => w.jobs);
  return {
    repo,
    report,
    events,
    log: (name) =>
      events.flatMap((e) => (e.type === 'log' && e.job.endsWith(`/${name}`) ? [e.text] : [])),
    job: (name) => {
      const found = jobs.find((j) => j.name === name);
      if (!found) throw new Error(`no job '${name}' in ${jobs.map((j) => j.name).join(', ')}`);
      return found;
    },
  };
}
