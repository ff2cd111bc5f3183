import type { Plan } from '../runner/plan.js';
import { color } from './color.js';

/** Prints a plan: triggered workflows, their jobs with needs and matrix legs, and why others do not run. */
export function printPlan(plan: Plan, out: NodeJS.WritableStream): void {
  const c = color(out);
  out.write(`${c.bold('Plan')} for ${plan.event} ${plan.ref} @ ${plan.sha.slice(0, 12)}`);
  out.write(
    plan.changedFiles
      ? ` (${plan.changedFiles.length} changed file${plan.changedFiles.length === 1 ? '' : 's'})\n`
      : '\n',
  );
  for (const wf of plan.workflows) {
    if (!wf.triggered) {
      out.write(c.gray(`\n○ ${wf.name} (${wf.file}) — not triggered: ${wf.reason}\n`));
      continue;
    }
    out.write(`\n● ${c.bold(wf.name)} (${wf.file})\n`);
    for (const job of wf.jobs) {
      const needs = job.needs.length > 0 ? c.gray(` needs: ${job.needs.join(', ')}`) : '';
      const condition = job.if !== 'success()' ? c.gray(` if: ${job.if}`) : '';
      out.write(
        `  ${job.id}${needs}${condition} ${c.gray(`(${job.steps} step${job.steps === 1 ? '' : 's'})`)}\n`,
      );
      if (job.legsNote) out.write(c.gray(`    ${job.legsNote}\n`));
      else if (job.legs.length > 1 || job.legs[0] !== job.id)
        for (const leg of job.legs) out.write(`    - ${leg}\n`);
    }
  }
}
