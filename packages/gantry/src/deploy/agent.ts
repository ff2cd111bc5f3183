import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../errors/index.js';
import { openStore } from '../store/index.js';
import { DeployRuntime } from './runtime.js';

/** What a running agent publishes in `.gantry/deploy/agent.json` for the CLI. */
export interface AgentInfo {
  readonly pid: number;
  readonly port: number;
  readonly metricsPort: number | null;
  readonly startedAt: number;
}

export const agentDir = (root: string) => path.join(root, '.gantry', 'deploy');
const infoFile = (root: string) => path.join(agentDir(root), 'agent.json');
const lockFile = (root: string) => path.join(agentDir(root), 'agent.lock');

/** The agent of a repository, when one runs (a stale file from a killed one is ignored). */
export function readAgentInfo(root: string): AgentInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(infoFile(root), 'utf8')) as AgentInfo;
    return processAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a process runs. A killed agent whose parent never reaps it stays a zombie, which
 * `kill(pid, 0)` still reports (containers whose pid 1 is not an init): Linux's /proc says
 * `Z` for those.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true;
  }
}

/**
 * The lock that makes one agent per repository: created exclusively with our pid; a lock
 * whose process is gone (the agent was killed) is taken over.
 */
function takeLock(root: string): void {
  mkdirSync(agentDir(root), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile(root), 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile(root), 'utf8').trim());
      if (holder && holder !== process.pid && processAlive(holder))
        throw new GantryError(
          'GANTRY_AGENT_FAILED',
          `a deployment agent already runs for this repository (pid ${holder})`,
          { hint: 'gantry agent stop ends it' },
        );
      rmSync(lockFile(root), { force: true });
    }
  }
}

/**
 * Runs the deployment agent of a repository until SIGTERM or SIGINT: the proxy, the
 * release processes and the controller. On start it reaps processes a killed agent left,
 * restores every environment's stable release and resumes rollouts from their checkpoints.
 */
export async function runAgent(options: {
  readonly root: string;
  readonly port: number;
  readonly metricsPort?: number;
  readonly log: (line: string) => void;
}): Promise<void> {
  const { root, log } = options;
  takeLock(root);
  const store = await openStore(path.join(root, '.gantry'));
  let runtime: DeployRuntime;
  try {
    runtime = await DeployRuntime.start({
      repoRoot: root,
      stateDir: agentDir(root),
      store: store.deploy,
      port: options.port,
      ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
      log,
    });
  } catch (error) {
    await store.close();
    rmSync(lockFile(root), { force: true });
    throw error;
  }
  if (runtime.reaped.length > 0)
    log(`stopped ${runtime.reaped.length} release processes a previous agent left running`);
  const info: AgentInfo = {
    pid: process.pid,
    port: runtime.proxy.port,
    metricsPort: runtime.proxy.metricsPort ?? null,
    startedAt: Date.now(),
  };
  writeFileSync(infoFile(root), `${JSON.stringify(info)}\n`);
  log(
    `agent ${process.pid}: proxy on 127.0.0.1:${info.port}, metrics on ${info.metricsPort ?? 'none'}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  log('agent stopping: release processes stop gracefully');
  await runtime.stop();
  await store.close();
  rmSync(infoFile(root), { force: true });
  rmSync(lockFile(root), { force: true });
}
