import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessResult } from '../../src/executor/process.js';
import type { ActionContext, BuiltinAction } from '../../src/actions/types.js';

const created: string[] = [];

/** A fresh temp directory, removed by `removeTempDirs()`. */
export function tempDir(prefix = 'gantry-actions-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Writes an executable shell script (a stand-in tool: `node`, `python3`, `uv`). */
export function writeScript(file: string, body: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

export interface HarnessOptions {
  inputs?: Record<string, string>;
  workspace?: string;
  repositoryRoot?: string;
  /** The complete step environment (defaults to PATH and HOME of this process). */
  env?: Record<string, string>;
  cacheDir?: string;
  artifactsDir?: string;
  reportsDir?: string;
  toolCache?: string;
  runnerTemp?: string;
  /** State saved by an earlier main step (for `post`). */
  state?: Record<string, string>;
  github?: { sha?: string; ref?: string; repository?: string };
}

/** Everything an action did through its context, for assertions. */
export interface Harness {
  ctx: ActionContext;
  outputs: Record<string, string>;
  exported: Record<string, string>;
  paths: string[];
  state: Record<string, string>;
  secrets: string[];
  logs: string[];
  log(): string;
}

/**
 * A real ActionContext over real directories, like the runner builds one: inputs merged over
 * the action's defaults, `exec` running real processes with the step environment.
 */
export function harness(action: BuiltinAction, options: HarnessOptions = {}): Harness {
  const root = tempDir();
  const result: Omit<Harness, 'ctx' | 'log'> = {
    outputs: {},
    exported: {},
    paths: [],
    state: { ...(options.state ?? {}) },
    secrets: [],
    logs: [],
  };
  const inputs = Object.fromEntries(
    Object.entries({ ...(action.defaults ?? {}), ...(options.inputs ?? {}) }).map(([k, v]) => [
      k.toLowerCase(),
      v,
    ]),
  );
  const env = options.env ?? {
    PATH: process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? os.homedir(),
  };
  const dir = (given: string | undefined, name: string) => given ?? path.join(root, name);
  const workspace = dir(options.workspace, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const ctx: ActionContext = {
    uses: `${action.name}@v4`,
    inputs,
    workspace,
    repositoryRoot: dir(options.repositoryRoot, 'repo'),
    runnerTemp: dir(options.runnerTemp, 'temp'),
    toolCache: dir(options.toolCache, 'tool-cache'),
    artifactsDir: dir(options.artifactsDir, 'artifacts'),
    reportsDir: dir(options.reportsDir, 'reports'),
    cacheDir: dir(options.cacheDir, 'cache'),
    env,
    github: {
      sha: 'f'.repeat(40),
      ref: 'refs/heads/main',
      repository: 'octo/app',
      ...(options.github ?? {}),
    },
    signal: new AbortController().signal,
    log: (line) => result.logs.push(line),
    setOutput: (name, value) => void (result.outputs[name] = value),
    exportVariable: (name, value) => void (result.exported[name] = value),
    addPath: (p) => void result.paths.unshift(p),
    setSecret: (value) => void result.secrets.push(value),
    saveState: (name, value) => void (result.state[name] = value),
    getState: (name) => result.state[name] ?? '',
    exec: (command, args, opts = {}) =>
      execForTest(
        command,
        args,
        opts.cwd ?? workspace,
        { ...env, ...(opts.env ?? {}) },
        result.logs,
      ),
  };
  return { ...result, ctx, log: () => result.logs.join('\n') };
}

/** Runs the action's main step and returns what it did. */
export async function runAction(
  action: BuiltinAction,
  options: HarnessOptions = {},
): Promise<Harness> {
  const h = harness(action, options);
  await action.run(h.ctx);
  return h;
}

function execForTest(
  command: string,
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
  logs: string[],
): Promise<ProcessResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const base = { timedOut: false, canceled: false, pid: child.pid };
    child.on('error', (error) =>
      resolve({
        ...base,
        exitCode: null,
        signal: null,
        durationMs: Date.now() - started,
        failedToStart: error.message,
      }),
    );
    child.on('close', (exitCode, signal) =>
      resolve({ ...base, exitCode, signal, durationMs: Date.now() - started }),
    );
  });
}
