import { ConfigError, type Problem } from '../errors/index.js';
import { discoverWorkflows, readWorkflowFiles } from './discover.js';
import type { WorkflowDef } from './model.js';
import { parseWorkflowSource } from './parse.js';

/**
 * Loads and validates workflows. Problems of all files are gathered and thrown together,
 * so a user fixes everything in one pass; nothing runs when any file is invalid.
 */
export async function loadWorkflows(
  repoRoot: string,
  files: readonly string[] | undefined,
): Promise<WorkflowDef[]> {
  const sources = await readWorkflowFiles(
    repoRoot,
    files && files.length > 0 ? files : await discoverWorkflows(repoRoot),
  );
  const results = await Promise.all(
    sources.map(({ file, source }) => parseWorkflowSource(file, source)),
  );
  const problems: Problem[] = results.flatMap((r) => (r.ok ? [] : r.problems));
  if (problems.length > 0) throw new ConfigError(problems);
  return results.flatMap((r) => (r.ok ? [r.workflow] : []));
}
