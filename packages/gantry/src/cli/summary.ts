import type { RunReport } from '../runner/report.js';
import { color } from './color.js';
import { formatDuration, statusIcon } from './reporters/format.js';

/** The end-of-run summary: counts, the first failure with its log tail, where the logs are. */
export function printSummary(
  report: RunReport,
  out: NodeJS.WritableStream,
  durationMs: number,
  recorded: boolean,
): void {
  const c = color(out);
  const jobs = report.workflows.flatMap((w) => w.jobs.map((j) => ({ workflow: w.name, job: j })));
  const count = (s: string) => jobs.filter((j) => j.job.status === s).length;
  const triggered = report.workflows.filter((w) => w.triggered).length;
  const parts = [`${count('success')} succeeded`];
  for (const s of ['failure', 'cancelled', 'skipped'] as const)
    if (count(s) > 0) parts.push(`${count(s)} ${s === 'failure' ? 'failed' : s}`);
  const head =
    report.status === 'success'
      ? c.green(`${statusIcon('success')} Run succeeded`)
      : report.status === 'cancelled'
        ? c.yellow(`${statusIcon('cancelled')} Run cancelled`)
        : c.red(`${statusIcon('failure')} Run failed`);
  out.write(
    `\n${head} — ${triggered} workflow${triggered === 1 ? '' : 's'}, ${jobs.length} job${jobs.length === 1 ? '' : 's'}: ${parts.join(', ')} · ${formatDuration(durationMs)}${recorded ? ` · run #${report.runId}` : ''}\n`,
  );
  if (triggered === 0) out.write(c.yellow('No workflow was triggered by this event.\n'));
  const first = jobs.find((j) => j.job.status === 'failure');
  if (first) {
    out.write(
      `\n${c.red('First failure:')} ${first.workflow} › ${first.job.name}${first.job.reason ? ` — ${first.job.reason}` : ''}\n`,
    );
    for (const line of first.job.logTail ?? []) out.write(c.gray(`  │ ${line}\n`));
    if (recorded) out.write(`\nFull log: gantry logs ${report.runId} '${first.job.name}'\n`);
  }
}
