import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killProcessGroup } from '../../src/executor/process-group.js';
import {
  Supervisor,
  type Instance,
  type InstanceSpec,
  type InstanceState,
} from '../../src/supervisor/index.js';

/**
 * A tiny app server: GET /health answers 200 or 503 (flipped by GET /toggle), CRASH_FIRST=<file>
 * makes the first run exit 1, TRAP_TERM=1 makes it say "bye" and exit 0 on SIGTERM.
 */
const serverSource = `
import fs from 'node:fs';
import http from 'node:http';
const port = Number(process.env.PORT);
const marker = process.env.CRASH_FIRST;
if (marker && !fs.existsSync(marker)) {
  fs.writeFileSync(marker, 'crashed once');
  console.log('crashing on purpose');
  process.exit(1);
}
let healthy = true;
const server = http.createServer((req, res) => {
  if (req.url === '/toggle') healthy = !healthy;
  res.statusCode = req.url === '/health' && !healthy ? 503 : 200;
  res.end(String(healthy));
});
server.listen(port, '127.0.0.1', () => {
  console.log('listening on ' + port + ' as ' + process.env.GANTRY_INSTANCE_ID);
});
if (process.env.TRAP_TERM === '1') {
  process.on('SIGTERM', () => {
    console.log('bye');
    server.close();
    process.exit(0);
  });
}
`;

export interface Sandbox {
  readonly dir: string;
  readonly stateDir: string;
  /** A supervisor on the sandbox's state folder, stopped after the test. */
  supervisor(): Supervisor;
  /** A spec running `command` in the sandbox, logging to `<dir>/logs/<id>.log`. */
  spec(id: string, command: string, overrides?: Partial<InstanceSpec>): InstanceSpec;
  /** The shell command that runs the fixture server. */
  readonly server: string;
  /** Kills `pid`'s group after the test (for processes the test started itself). */
  track(pid: number): void;
  log(spec: InstanceSpec): string;
  cleanup(): Promise<void>;
}

export function createSandbox(): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'gantry-supervisor-'));
  writeFileSync(join(dir, 'server.mjs'), serverSource);
  const supervisors: Supervisor[] = [];
  const groups: number[] = [];
  return {
    dir,
    stateDir: join(dir, 'state'),
    server: `'${process.execPath}' server.mjs`,
    supervisor() {
      const supervisor = new Supervisor({ stateDir: join(dir, 'state') });
      supervisors.push(supervisor);
      return supervisor;
    },
    spec(id, command, overrides = {}) {
      return {
        id,
        command,
        cwd: dir,
        env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
        logFile: join(dir, 'logs', `${id.replaceAll('/', '_')}.log`),
        stopGraceMs: 2000,
        ...overrides,
      };
    },
    track(pid) {
      groups.push(pid);
    },
    log(spec) {
      try {
        return readFileSync(spec.logFile, 'utf8');
      } catch {
        return '';
      }
    },
    async cleanup() {
      await Promise.all(supervisors.map((supervisor) => supervisor.stopAll()));
      for (const pgid of groups) killProcessGroup(pgid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Every state the instance moves through from now on. */
export function recordStates(instance: Instance): InstanceState[] {
  const states: InstanceState[] = [];
  instance.onState((state) => states.push(state));
  return states;
}

/** Resolves with the reason once the instance reaches `target`; bounded by `timeoutMs`. */
export function nextState(instance: Instance, target: InstanceState, timeoutMs = 5000) {
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`${instance.spec.id} did not reach ${target}; it is ${instance.state}`));
    }, timeoutMs);
    const unsubscribe = instance.onState((state, reason) => {
      if (state !== target) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(reason);
    });
  });
}

/** Whether `pid` is a live (non-zombie) process, as `ps` sees it — independent of /proc code. */
export function isRunning(pid: number): boolean {
  try {
    const stat = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
    return stat.trim() !== '' && !stat.trim().startsWith('Z');
  } catch {
    return false; // ps exits 1 when there is no such process
  }
}

/** Starts `sleep` in a group of its own, with `env` added, outside any supervisor. */
export function startUnrelatedSleeper(env: Record<string, string> = {}): number {
  const child = spawn('sleep', ['300'], {
    detached: true,
    stdio: 'ignore',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
  });
  child.unref();
  if (child.pid === undefined) throw new Error('sleep did not start');
  return child.pid;
}
