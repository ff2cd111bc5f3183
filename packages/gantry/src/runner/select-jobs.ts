import { GantryError } from '../errors/index.js';
import type { WorkflowDef } from '../workflow/model.js';

/** `--job a --job b`: those jobs and everything they (transitively) need. */
export function selectJobs(workflow: WorkflowDef, ids: readonly string[]): Set<string> | undefined {
  const byId = new Map(workflow.jobs.map((j) => [j.id, j]));
  const wanted = ids.filter((id) => byId.has(id));
  if (wanted.length === 0) return new Set();
  const selected = new Set<string>();
  const queue = [...wanted];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (selected.has(id)) continue;
    selected.add(id);
    queue.push(...(byId.get(id)?.needs ?? []));
  }
  return selected;
}

/** Fails when a `--job` names no job in any triggered workflow. */
export function checkJobsExist(workflows: readonly WorkflowDef[], ids: readonly string[]): void {
  const known = new Set(workflows.flatMap((w) => w.jobs.map((j) => j.id)));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new GantryError('GANTRY_USAGE', `--job ${unknown.join(', ')}: no such job`, {
      hint: `jobs: ${[...known].sort().join(', ')}`,
    });
  }
}
