import { spawn } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { GantryError } from '../errors/index.js';
import { agentDir, processAlive, readAgentInfo, type AgentInfo } from './agent.js';

/**
 * The agent of a repository, started in the background when none runs: `node <cli> agent
 * run`, detached, its output appended to `.gantry/deploy/agent.log`. Waits until it has
 * published its ports.
 */
export async function ensureAgent(
  root: string,
  cliPath: string,
  timeoutMs = 15_000,
): Promise<AgentInfo> {
  const running = readAgentInfo(root);
  if (running) return running;
  mkdirSync(agentDir(root), { recursive: true });
  const logFile = path.join(agentDir(root), 'agent.log');
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [cliPath, 'agent', 'run', '--dir', root], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: agentEnv(process.env),
  });
  let exited = false;
  child.once('exit', () => (exited = true));
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const info = readAgentInfo(root);
    if (info) return info;
    if (exited) break;
    await delay(50);
  }
  throw new GantryError('GANTRY_AGENT_FAILED', 'the deployment agent did not start', {
    hint: `its output is in ${path.relative(process.cwd(), logFile) || logFile}`,
  });
}

/** Stops the agent (its release processes stop gracefully); false when none ran. */
export async function stopAgent(root: string, timeoutMs = 30_000): Promise<boolean> {
  const info = readAgentInfo(root);
  if (!info) return false;
  process.kill(info.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (processAlive(info.pid)) {
    if (Date.now() > deadline) {
      process.kill(info.pid, 'SIGKILL');
      break;
    }
    await delay(50);
  }
  return true;
}

/**
 * What the agent (and so every release process) inherits from whoever started it: the
 * basics of a login shell, not a workflow step's GITHUB_*, RUNNER_* or `env:` (which may
 * hold secrets) — an app's values belong in gantry.yml.
 */
export function agentEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const keep = /^(PATH|HOME|USER|LOGNAME|SHELL|LANG|LANGUAGE|TZ|TMPDIR|LC_\w+|XDG_\w+|GANTRY_\w+)$/;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env))
    if (value !== undefined && keep.test(key)) out[key] = value;
  return out;
}
