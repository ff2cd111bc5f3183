import { accessSync, constants } from 'node:fs';
import path from 'node:path';

const found = new Map<string, string | undefined>();

/**
 * The first executable named `command` on PATH (or the command itself when it has a slash).
 * Results are memoised per PATH: every step asks for its shell, and PATH rarely changes.
 */
export function findOnPath(command: string, pathVar: string | undefined): string | undefined {
  const key = `${command}\0${pathVar ?? ''}`;
  if (found.has(key)) return found.get(key);
  const result = lookup(command, pathVar);
  if (result !== undefined) found.set(key, result);
  return result;
}

function lookup(command: string, pathVar: string | undefined): string | undefined {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes('/')) return executable(command) ? command : undefined;
  for (const dir of (pathVar ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}
