import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGantryError } from '../../src/errors/index.js';
import { pidFileName } from '../../src/supervisor/pid-file.js';
import {
  createSandbox,
  freePort,
  isRunning,
  nextState,
  recordStates,
  type Sandbox,
} from './sandbox.js';

let sandbox: Sandbox;

beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    if (isGantryError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

/** The fixture server on a free port, probed every 50 ms. */
async function serverSpec(id: string, env: Record<string, string> = {}, threshold = 3) {
  const port = await freePort();
  return sandbox.spec(id, sandbox.server, {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', PORT: String(port), ...env },
    readiness: {
      url: `http://127.0.0.1:${port}/health`,
      intervalMs: 50,
      failureThreshold: threshold,
    },
  });
}

describe('Supervisor instances', () => {
  it('starts a process and reports it ready once its readiness URL answers', async () => {
    const supervisor = sandbox.supervisor();
    const spec = await serverSpec('staging/web/r1/0');
    const instance = supervisor.start(spec);
    const states = recordStates(instance);
    expect(instance.state).toBe('starting');

    await instance.waitReady(10_000);
    expect(states).toEqual(['ready']);
    expect(supervisor.instances()).toEqual([instance]);
    const pidFile = `${sandbox.stateDir}/${pidFileName(spec.id)}`;
    expect(JSON.parse(readFileSync(pidFile, 'utf8'))).toMatchObject({
      id: spec.id,
      pid: instance.pid,
      pgid: instance.pid,
      command: spec.command,
    });
    const log = sandbox.log(spec);
    expect(log).toContain(`[gantry] started pid ${instance.pid}\n`);
    expect(log).toContain('as staging/web/r1/0'); // GANTRY_INSTANCE_ID reached the process

    await instance.stop();
    expect(existsSync(pidFile)).toBe(false);
  });

  it('rejects waitReady with GANTRY_RELEASE_UNHEALTHY and the log tail when not ready in time', async () => {
    const port = await freePort();
    const spec = sandbox.spec('app/slow', 'seq -f "line %g" 1 30; sleep 30', {
      readiness: { url: `http://127.0.0.1:${port}/`, intervalMs: 50 },
    });
    const instance = sandbox.supervisor().start(spec);

    const error = await rejection(instance.waitReady(600));
    expect(error.code).toBe('GANTRY_RELEASE_UNHEALTHY');
    expect(error.message).toContain('app/slow was not ready within 600 ms');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toMatch(/^ {2}line 30$/m);
    expect(error.message).toMatch(/^ {2}line 11$/m);
    expect(error.message).not.toMatch(/^ {2}line 10$/m); // only the last 20 lines
    expect(instance.state).toBe('starting');
  });

  it('restarts a crashed process and counts the restart', async () => {
    const spec = {
      ...(await serverSpec('app/crash-once', { CRASH_FIRST: `${sandbox.dir}/crashed` })),
      restart: { maxRestarts: 3, backoffMs: 50 },
    };
    const instance = sandbox.supervisor().start(spec);
    const states = recordStates(instance);

    await instance.waitReady(10_000);
    expect(states).toEqual(['restarting', 'starting', 'ready']);
    expect(instance.restarts).toBe(1);
    const log = sandbox.log(spec);
    expect(log).toContain('crashing on purpose\n[gantry] exited code 1 signal none\n');
    expect(log.match(/\[gantry\] started pid/g)).toHaveLength(2);
  });

  it('fails with GANTRY_RELEASE_CRASHED after more crashes than maxRestarts', async () => {
    const supervisor = sandbox.supervisor();
    const spec = sandbox.spec('app/boom', 'echo boom; exit 3', {
      restart: { maxRestarts: 2, backoffMs: 20 },
    });
    const instance = supervisor.start(spec);
    const states = recordStates(instance);

    const error = await rejection(instance.waitReady(10_000));
    expect(error.code).toBe('GANTRY_RELEASE_CRASHED');
    expect(error.message).toContain('3 crashes within 60 s, more than the 2 restarts allowed');
    expect(error.message).toContain('exit code 3; exit code 3; exit code 3');
    expect(error.message).toMatch(/^ {2}boom$/m);
    expect(states).toEqual(['restarting', 'starting', 'restarting', 'starting', 'failed']);
    expect(instance.restarts).toBe(2);
    expect(supervisor.instances()).toEqual([]);
    await instance.stop(); // settles the group cleanup; a failed instance stays failed
    expect(instance.state).toBe('failed');
    expect(existsSync(`${sandbox.stateDir}/${pidFileName(spec.id)}`)).toBe(false);
  });

  it('fails an instance whose working directory does not exist, naming it', async () => {
    const spec = sandbox.spec('app/nowhere', 'true', {
      cwd: `${sandbox.dir}/missing`,
      restart: { maxRestarts: 1, backoffMs: 10 },
    });
    const error = await rejection(sandbox.supervisor().start(spec).waitReady(5000));
    expect(error.code).toBe('GANTRY_RELEASE_CRASHED');
    expect(error.message).toContain(`working directory ${sandbox.dir}/missing does not exist`);
  });

  it('gives a server that handles the stop signal time to finish', async () => {
    const spec = { ...(await serverSpec('app/polite', { TRAP_TERM: '1' })), stopGraceMs: 5000 };
    const instance = sandbox.supervisor().start(spec);
    await instance.waitReady(10_000);
    const pid = instance.pid ?? 0;
    const states = recordStates(instance);

    await instance.stop();
    expect(states).toEqual(['stopping', 'stopped']);
    expect(isRunning(pid)).toBe(false);
    expect(instance.pid).toBeUndefined();
    expect(sandbox.log(spec)).toContain('bye\n[gantry] exited code 0 signal none\n');
    await instance.stop(); // idempotent
    expect(instance.state).toBe('stopped');
  });

  it('SIGKILLs the whole group after stopGraceMs when the stop signal is ignored', async () => {
    const spec = sandbox.spec('app/stubborn', `trap '' TERM; sleep 300 & echo "child $!"; wait`, {
      stopGraceMs: 300,
    });
    const instance = sandbox.supervisor().start(spec);
    await instance.waitReady(5000); // no readiness check: up for 500 ms
    const leader = instance.pid ?? 0;
    const child = Number(/child (\d+)/.exec(sandbox.log(spec))?.[1]);
    expect(isRunning(child)).toBe(true);

    const started = performance.now();
    await instance.stop();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(isRunning(leader)).toBe(false);
    expect(isRunning(child)).toBe(false);
    expect(sandbox.log(spec)).toContain('[gantry] exited code none signal SIGKILL');
  });

  it('reports unready after failing probes and ready again once they pass', async () => {
    const spec = await serverSpec('app/flaky', {}, 2);
    const instance = sandbox.supervisor().start(spec);
    await instance.waitReady(10_000);
    const states = recordStates(instance);
    const toggle = spec.readiness?.url.replace('/health', '/toggle') ?? '';

    const unready = nextState(instance, 'unready');
    await fetch(toggle);
    expect(await unready).toContain('2 probes failed in a row; last: GET');
    expect(await unready).toContain('HTTP 503');

    const ready = nextState(instance, 'ready');
    await fetch(toggle);
    expect(await ready).toContain('HTTP 200');
    expect(states).toEqual(['unready', 'ready']);
    expect(instance.restarts).toBe(0);
  });

  it('does not restart after stop, even when stop comes from a state listener', async () => {
    const spec = sandbox.spec('app/stop-in-backoff', 'exit 1', {
      restart: { maxRestarts: 3, backoffMs: 5000 },
    });
    const instance = sandbox.supervisor().start(spec);
    const states = recordStates(instance);
    const waiting = rejection(instance.waitReady(10_000));
    instance.onState((state) => {
      if (state === 'restarting') void instance.stop();
    });

    await nextState(instance, 'stopped');
    expect(states).toEqual(['restarting', 'stopping', 'stopped']);
    expect(instance.restarts).toBe(0);
    const error = await waiting;
    expect(error.code).toBe('GANTRY_RELEASE_UNHEALTHY');
    expect(error.message).toContain('was stopped before it became ready');
  });

  it('refuses a second instance with the id of a running one', async () => {
    const supervisor = sandbox.supervisor();
    const spec = sandbox.spec('app/once', 'sleep 30');
    supervisor.start(spec);
    expect(() => supervisor.start(spec)).toThrow(/already running/);
  });
});
