import { waitForGroupExit } from '../executor/kill-sequence.js';
import { isProcessGroupAlive, killProcessGroup } from '../executor/process-group.js';

/** SIGKILL cannot be caught, but the kernel still needs a moment to tear the processes down. */
const KILL_SETTLE_MS = 2000;

export interface GroupStopResult {
  /** The signals delivered, in order. */
  readonly sent: readonly NodeJS.Signals[];
  /** Whether no member of the group is left. */
  readonly gone: boolean;
}

/**
 * Stops a release's process group: its own stop signal (a server's graceful-shutdown trigger —
 * SIGTERM for uvicorn, gunicorn, node), `graceMs` to finish in-flight requests, then SIGKILL.
 * The whole group, not the leader: `bash -c` and whatever the server forked (workers, a
 * sidecar started with `&`) go together, so no port stays taken.
 *
 * Not the executor's `stopProcessGroup`: that one opens with SIGINT and fixed waits, GitHub's
 * convention for cancelled steps, where a deployment's stop signal and grace are configurable.
 *
 * `stillOurs` is asked before every signal; the orphan reaper uses it to re-check that the
 * group was not replaced by an unrelated one while it waited.
 */
export async function stopGroup(
  pgid: number,
  signal: NodeJS.Signals,
  graceMs: number,
  stillOurs: () => boolean = () => true,
): Promise<GroupStopResult> {
  const steps: Array<[NodeJS.Signals, number]> = [
    [signal, graceMs],
    ['SIGKILL', KILL_SETTLE_MS],
  ];
  const sent: NodeJS.Signals[] = [];
  for (const [next, waitMs] of steps) {
    if (!isProcessGroupAlive(pgid)) break;
    if (!stillOurs()) return { sent, gone: false };
    if (killProcessGroup(pgid, next)) sent.push(next);
    if (await waitForGroupExit(pgid, waitMs)) break;
  }
  return { sent, gone: !isProcessGroupAlive(pgid) };
}
