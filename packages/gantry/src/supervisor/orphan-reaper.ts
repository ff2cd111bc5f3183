import { existsSync } from 'node:fs';
import { listProcessGroup } from '../executor/process-group.js';
import { stopGroup } from './group-stop.js';
import type { PidFiles, PidRecord } from './pid-file.js';
import { hasInstanceMarker, isInstanceProcess } from './process-identity.js';

/**
 * Stops the process groups an earlier Gantry recorded and never stopped (it was killed, or the
 * machine's agent service restarted it), so their ports and memory are free for the releases
 * about to start. Records of the ids in `active` belong to the caller's own instances and are
 * left alone. Returns the ids whose groups were stopped.
 *
 * A group is only signalled once /proc proves it is still the instance's (see
 * `belongsToInstance`); a record whose processes are gone or were replaced is just deleted.
 * Without /proc nothing can be proven, so nothing is touched.
 */
export async function reapOrphans(
  pidFiles: PidFiles,
  active: ReadonlySet<string>,
): Promise<string[]> {
  if (!existsSync('/proc/self/stat')) return [];
  const candidates = pidFiles.list().filter(({ record }) => !active.has(record.id));
  // In parallel: each may take its full stop grace, and they are independent.
  const outcomes = await Promise.all(
    candidates.map(async ({ file, record }) => {
      const isOurs = (): boolean => belongsToInstance(record);
      if (!isOurs()) {
        pidFiles.removeFile(file);
        return undefined;
      }
      const { sent, gone } = await stopGroup(
        record.pgid,
        record.stopSignal,
        record.stopGraceMs,
        isOurs,
      );
      // A group that is still there (a member stuck in the kernel) stays on record for next time.
      if (gone || !isOurs()) pidFiles.removeFile(file);
      return sent.length > 0 ? record.id : undefined;
    }),
  );
  return outcomes.filter((id): id is string => id !== undefined);
}

/**
 * Whether the recorded group still holds a process of the recorded instance: the leader itself
 * (same start time, same marker), or — once the leader has exited — a member carrying the
 * marker. A group id is not handed out again while the group has members, so a marked member
 * of that group can only be a descendant of the recorded leader.
 */
function belongsToInstance(record: PidRecord): boolean {
  if (isInstanceProcess(record.pid, record.id, record.startTime)) return true;
  const members = listProcessGroup(record.pgid) ?? [];
  return members.some((pid) => pid !== record.pid && hasInstanceMarker(pid, record.id));
}
