import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnvFile } from './env-file.js';

export interface FileCommandPaths {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STATE: string;
  GITHUB_STEP_SUMMARY: string;
}

export interface FileCommandResults {
  outputs: Array<[string, string]>;
  env: Array<[string, string]>;
  path: string[];
  state: Array<[string, string]>;
  summary: string;
}

const names = {
  GITHUB_OUTPUT: 'output',
  GITHUB_ENV: 'env',
  GITHUB_PATH: 'path',
  GITHUB_STATE: 'state',
  GITHUB_STEP_SUMMARY: 'summary.md',
} as const;

/**
 * Creates the empty files a step writes its outputs, env, path, state and summary to. They
 * must exist (@actions/core refuses to append to a missing file). Synchronous on purpose:
 * five tiny files cost microseconds this way, and it is on every step's path.
 */
export function createFileCommands(dir: string): FileCommandPaths {
  mkdirSync(dir, { recursive: true });
  const paths = Object.fromEntries(
    Object.entries(names).map(([key, file]) => [key, path.join(dir, file)]),
  ) as unknown as FileCommandPaths;
  for (const file of Object.values(paths)) writeFileSync(file, '');
  return paths;
}

/**
 * Reads what the step wrote, then empties the files it wrote so the next step of the leg
 * starts with empty ones (steps of a leg run one after another). Files left empty are not
 * opened at all: most steps write none, and this is on every step's path.
 * Malformed files throw GANTRY_CONFIG_INVALID like GitHub fails the step.
 */
export function readFileCommands(paths: FileCommandPaths): FileCommandResults {
  const read = (file: string) => {
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      writeFileSync(file, ''); // the step deleted it; recreate it for the next one
      return '';
    }
    if (size === 0) return '';
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, '');
    return text;
  };
  const pathFile = read(paths.GITHUB_PATH);
  return {
    outputs: parseEnvFile(read(paths.GITHUB_OUTPUT), 'GITHUB_OUTPUT'),
    env: parseEnvFile(read(paths.GITHUB_ENV), 'GITHUB_ENV'),
    path: pathFile
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    state: parseEnvFile(read(paths.GITHUB_STATE), 'GITHUB_STATE'),
    summary: read(paths.GITHUB_STEP_SUMMARY),
  };
}
