import type { Result } from '../../engine/index.js';
import type { RunEvent, RunListener } from '../../runner/events.js';
import { color } from '../color.js';
import { formatDuration, statusIcon } from './format.js';

interface JobRow {
  name: string;
  status: Result | 'running' | 'queued';
  step?: string;
  started?: number;
  durationMs?: number;
}

interface WorkflowRow {
  name: string;
  file: string;
  reason?: string;
  jobs: Map<string, JobRow>;
}

/**
 * A live tree of workflows, jobs and the step each job is on, redrawn in place at most ten
 * times a second. Logs are not streamed here (they are stored; `gantry logs` prints them);
 * the summary after the run shows the first failure with its log tail.
 */
export function ttyReporter(out: NodeJS.WriteStream): { listener: RunListener; stop(): void } {
  const c = color(out);
  const workflows = new Map<string, WorkflowRow>();
  const jobWorkflow = new Map<string, string>();
  let drawn = 0;
  let dirty = false;
  const render = () => {
    if (!dirty) return;
    dirty = false;
    const lines: string[] = [];
    for (const wf of workflows.values()) {
      if (wf.reason) {
        lines.push(c.gray(`○ ${wf.name} — not triggered: ${wf.reason}`));
        continue;
      }
      lines.push(c.bold(`${wf.name}`) + c.gray(` ${wf.file}`));
      for (const job of wf.jobs.values()) {
        const icon = paint(c, job.status, statusIcon(job.status));
        const time =
          job.durationMs !== undefined
            ? formatDuration(job.durationMs)
            : job.started
              ? formatDuration(Date.now() - job.started)
              : '';
        const detail = job.status === 'running' && job.step ? c.gray(` › ${job.step}`) : '';
        lines.push(`  ${icon} ${job.name}${detail} ${c.gray(time)}`);
      }
    }
    const rows = Math.max(5, (out.rows ?? 40) - 2);
    const frame =
      lines.length > rows
        ? [...lines.slice(0, rows - 1), c.gray(`… ${lines.length - rows + 1} more`)]
        : lines;
    out.write(
      (drawn > 0 ? `\u001b[${drawn}A\u001b[J` : '') +
        frame.map((l) => l.slice(0, (out.columns ?? 120) + 40)).join('\n') +
        '\n',
    );
    drawn = frame.length;
  };
  const timer = setInterval(() => {
    if (
      workflows.size > 0 &&
      [...workflows.values()].some((w) => [...w.jobs.values()].some((j) => j.status === 'running'))
    )
      dirty = true;
    render();
  }, 100);
  const listener: RunListener = (event: RunEvent) => {
    dirty = true;
    switch (event.type) {
      case 'workflow-skipped':
        workflows.set(event.file, {
          name: event.workflow,
          file: event.file,
          reason: event.reason,
          jobs: new Map(),
        });
        break;
      case 'workflow-start':
        workflows.set(event.workflow, { name: event.workflow, file: event.file, jobs: new Map() });
        break;
      case 'job-queued':
      case 'job-start': {
        jobWorkflow.set(event.job, event.workflow);
        const wf = workflows.get(event.workflow);
        const row = wf?.jobs.get(event.job) ?? { name: event.name, status: 'queued' as const };
        if (event.type === 'job-start')
          Object.assign(row, { status: 'running', started: Date.now() });
        wf?.jobs.set(event.job, row);
        break;
      }
      case 'step-start': {
        const row = workflows.get(jobWorkflow.get(event.job) ?? '')?.jobs.get(event.job);
        if (row) row.step = event.name;
        break;
      }
      case 'job-end': {
        const wf =
          workflows.get(jobWorkflow.get(event.job) ?? '') ??
          [...workflows.values()].find((w) => event.job.startsWith(w.file));
        const row = wf?.jobs.get(event.job) ?? {
          name: event.job.split('/').pop() ?? event.job,
          status: 'queued' as const,
        };
        Object.assign(row, { status: event.status, durationMs: event.durationMs });
        wf?.jobs.set(event.job, row);
        break;
      }
      default:
        dirty = event.type !== 'log';
    }
  };
  return {
    listener,
    stop: () => {
      clearInterval(timer);
      dirty = true;
      render();
    },
  };
}

function paint(c: ReturnType<typeof color>, status: JobRow['status'], text: string): string {
  if (status === 'success') return c.green(text);
  if (status === 'failure') return c.red(text);
  if (status === 'running') return c.cyan(text);
  if (status === 'cancelled') return c.yellow(text);
  return c.gray(text);
}
