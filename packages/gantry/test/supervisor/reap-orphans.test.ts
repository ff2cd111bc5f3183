import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pidFileName, type PidRecord } from '../../src/supervisor/pid-file.js';
import { readProcessStartTime } from '../../src/supervisor/process-identity.js';
import { createSandbox, isRunning, startUnrelatedSleeper, type Sandbox } from './sandbox.js';

let sandbox: Sandbox;

beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(async () => {
  await sandbox.cleanup();
});

describe.runIf(process.platform === 'linux')('Supervisor.reapOrphans', () => {
  it('stops the process group an earlier Gantry left behind', async () => {
    // Gantry A starts an instance and "dies": it is dropped without stopping anything. It may
    // not restart what B reaps, as a dead Gantry would not.
    const earlier = sandbox.supervisor();
    const orphanSpec = sandbox.spec('prod/web/r3/0', `sleep 300 & echo "child $!"; sleep 300`, {
      restart: { maxRestarts: 0, backoffMs: 0 },
    });
    const orphan = earlier.start(orphanSpec);
    await orphan.waitReady(5000);
    const leader = orphan.pid ?? 0;
    const child = Number(/child (\d+)/.exec(sandbox.log(orphanSpec))?.[1]);
    const orphanFile = join(sandbox.stateDir, pidFileName(orphanSpec.id));
    expect(existsSync(orphanFile)).toBe(true);

    // Gantry B starts on the same state folder; its own instance is not an orphan.
    const next = sandbox.supervisor();
    const ownSpec = sandbox.spec('prod/web/r4/0', 'sleep 300');
    const own = next.start(ownSpec);

    expect(await next.reapOrphans()).toEqual(['prod/web/r3/0']);
    expect(isRunning(leader)).toBe(false);
    expect(isRunning(child)).toBe(false);
    expect(existsSync(orphanFile)).toBe(false);
    expect(isRunning(own.pid ?? 0)).toBe(true);
    expect(existsSync(join(sandbox.stateDir, pidFileName(ownSpec.id)))).toBe(true);
    expect(await next.reapOrphans()).toEqual([]);
  });

  it('leaves alone a process whose pid is written into a forged pid file', async () => {
    // Its start time matches and it even carries a Gantry marker — for another instance.
    const pid = startUnrelatedSleeper({ GANTRY_INSTANCE_ID: 'someone/else' });
    sandbox.track(pid);
    const forged: PidRecord = {
      id: 'prod/api/r1/0',
      pid,
      pgid: pid,
      startedAt: new Date().toISOString(),
      command: 'sleep 300',
      startTime: readProcessStartTime(pid),
      stopSignal: 'SIGTERM',
      stopGraceMs: 100,
    };
    // A reused pid: the recorded start time is not this process's.
    const reused: PidRecord = { ...forged, id: 'someone/else', startTime: 1 };
    mkdirSync(sandbox.stateDir, { recursive: true });
    for (const record of [forged, reused]) {
      writeFileSync(join(sandbox.stateDir, pidFileName(record.id)), JSON.stringify(record));
    }

    expect(await sandbox.supervisor().reapOrphans()).toEqual([]);
    expect(isRunning(pid)).toBe(true);
    // Stale records are dropped so the next start does not look at them again.
    expect(existsSync(join(sandbox.stateDir, pidFileName(forged.id)))).toBe(false);
    expect(existsSync(join(sandbox.stateDir, pidFileName(reused.id)))).toBe(false);
  });
});
