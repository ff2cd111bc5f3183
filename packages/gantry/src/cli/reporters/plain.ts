import { randomBytes } from 'node:crypto';
import type { RunEvent, RunListener } from '../../runner/events.js';
import { formatDuration, statusIcon } from './format.js';

/**
 * Prefixed plain lines for pipes and CI logs. Inside GitHub Actions, each job's log is
 * printed as one `::group::` when the job ends (parallel jobs would interleave groups), and
 * wrapped in `::stop-commands::` so a step's own workflow commands do not reach the outer runner.
 */
export function plainReporter(
  out: NodeJS.WritableStream,
  insideGitHubActions: boolean,
): RunListener {
  const buffers = new Map<string, string[]>();
  const write = (job: string, text: string) => {
    if (insideGitHubActions) {
      const lines = buffers.get(job) ?? [];
      lines.push(text);
      buffers.set(job, lines);
    } else out.write(`[${job}] ${text}\n`);
  };
  return (event: RunEvent) => {
    switch (event.type) {
      case 'workflow-skipped':
        out.write(`○ ${event.workflow} (${event.file}) not triggered: ${event.reason}\n`);
        break;
      case 'workflow-start':
        out.write(`● ${event.workflow} (${event.file})\n`);
        break;
      case 'job-start':
        write(event.job, '▶ job started');
        break;
      case 'step-start':
        write(event.job, `▶ ${event.name}`);
        break;
      case 'step-end':
        write(
          event.job,
          `${statusIcon(event.status)} ${event.name} (${formatDuration(event.durationMs)})`,
        );
        break;
      case 'log':
        write(
          event.job,
          event.group === 'start' ? `▼ ${event.text}` : event.group === 'end' ? '▲' : event.text,
        );
        break;
      case 'annotation':
        write(event.job, `${event.annotation.level}: ${event.annotation.message}`);
        break;
      case 'job-end': {
        const summary = `${statusIcon(event.status)} job ${event.status}${event.reason && event.status !== 'success' ? `: ${event.reason}` : ''} (${formatDuration(event.durationMs)})`;
        if (insideGitHubActions) {
          const token = randomBytes(12).toString('hex');
          out.write(`::group::${event.job} — ${event.status}\n::stop-commands::${token}\n`);
          out.write(
            [...(buffers.get(event.job) ?? []), summary].join('\n') +
              `\n::${token}::\n::endgroup::\n`,
          );
          buffers.delete(event.job);
        } else out.write(`[${event.job}] ${summary}\n`);
        break;
      }
      default:
        break;
    }
  };
}
