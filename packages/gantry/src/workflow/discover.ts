import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';

/** The workflow files of a repository: `.github/workflows/*.yml|yaml`, sorted by name. */
export async function discoverWorkflows(repoRoot: string): Promise<string[]> {
  const dir = path.join(repoRoot, '.github', 'workflows');
  const names = await fs.readdir(dir).catch(() => undefined);
  const files = (names ?? []).filter((n) => /\.ya?ml$/.test(n)).sort();
  if (files.length === 0) {
    throw new GantryError(
      'GANTRY_WORKFLOW_NOT_FOUND',
      `no workflow files in ${path.relative(process.cwd(), dir) || dir}`,
      {
        hint: 'add .github/workflows/<name>.yml, or pass --workflow FILE',
      },
    );
  }
  return files.map((n) => path.join('.github', 'workflows', n));
}

/** Reads the given workflow files (relative to the repository or absolute). */
export async function readWorkflowFiles(
  repoRoot: string,
  files: readonly string[],
): Promise<Array<{ file: string; source: string }>> {
  return Promise.all(
    files.map(async (file) => {
      const absolute = path.resolve(repoRoot, file);
      const source = await fs.readFile(absolute, 'utf8').catch((cause: unknown) => {
        throw new GantryError(
          'GANTRY_WORKFLOW_NOT_FOUND',
          `cannot read workflow ${file}: ${(cause as Error).message}`,
          { cause },
        );
      });
      const relative = path.relative(repoRoot, absolute);
      return { file: relative.startsWith('..') ? absolute : relative, source };
    }),
  );
}
