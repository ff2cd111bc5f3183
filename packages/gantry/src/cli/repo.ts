import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GantryError } from '../errors/index.js';

/** The top of the git repository containing `dir`. */
export async function repositoryRoot(dir: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', '--show-toplevel'], {
      cwd: dir,
    });
    return stdout.trim();
  } catch (error) {
    throw new GantryError('GANTRY_GIT_FAILED', `${dir} is not inside a git repository`, {
      cause: error,
      hint: 'run gantry from your repository, or pass --dir; `git init` and a first commit make any folder one',
    });
  }
}
