import { promises as fs } from 'node:fs';
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

/** Creates the empty files a step writes its outputs, env, path, state and summary to. */
export async function createFileCommands(dir: string): Promise<FileCommandPaths> {
  await fs.mkdir(dir, { recursive: true });
  const paths: FileCommandPaths = {
    GITHUB_OUTPUT: path.join(dir, 'output'),
    GITHUB_ENV: path.join(dir, 'env'),
    GITHUB_PATH: path.join(dir, 'path'),
    GITHUB_STATE: path.join(dir, 'state'),
    GITHUB_STEP_SUMMARY: path.join(dir, 'summary.md'),
  };
  await Promise.all(Object.values(paths).map((p) => fs.writeFile(p, '')));
  return paths;
}

/** Reads what the step wrote. Malformed files throw GANTRY_CONFIG_INVALID like GitHub fails the step. */
export async function readFileCommands(paths: FileCommandPaths): Promise<FileCommandResults> {
  const read = (p: string) => fs.readFile(p, 'utf8').catch(() => '');
  const [output, env, pathFile, state, summary] = await Promise.all([
    read(paths.GITHUB_OUTPUT),
    read(paths.GITHUB_ENV),
    read(paths.GITHUB_PATH),
    read(paths.GITHUB_STATE),
    read(paths.GITHUB_STEP_SUMMARY),
  ]);
  return {
    outputs: parseEnvFile(output, 'GITHUB_OUTPUT'),
    env: parseEnvFile(env, 'GITHUB_ENV'),
    path: pathFile
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
    state: parseEnvFile(state, 'GITHUB_STATE'),
    summary,
  };
}
