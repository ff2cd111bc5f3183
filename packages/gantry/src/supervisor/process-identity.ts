import { readFileSync } from 'node:fs';
import { INSTANCE_ID_ENV } from './spec.js';

/**
 * Proof that a pid read from a pid file still belongs to the instance that wrote it. Pids are
 * reused, and a Gantry that was down for a while may find its old pid on someone's editor; a
 * stale pid file must never make the next Gantry kill that. Linux only (/proc): elsewhere
 * nothing can be proven, so nothing is killed.
 */

/**
 * The process's start time in clock ticks since boot (`/proc/<pid>/stat` field 22). Together
 * with the pid it names one process for the lifetime of the machine; undefined when the
 * process is gone or /proc is unavailable.
 */
export function readProcessStartTime(pid: number): number | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // `pid (comm) state ...`: comm may contain spaces and parentheses, so count from the last
  // ')'. The field after it is field 3 (state); start time is field 22.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const value = Number(fields[22 - 3]);
  return Number.isInteger(value) ? value : undefined;
}

/**
 * Whether the process was started with `GANTRY_INSTANCE_ID=<id>`. /proc/<pid>/environ is the
 * environment the process was exec'd with, so the marker survives `bash -c` exec'ing the
 * command and is inherited by every child the server starts. Only the owner can read it,
 * which is fine: Gantry cannot signal other users' processes anyway.
 */
export function hasInstanceMarker(pid: number, id: string): boolean {
  let environ: string;
  try {
    environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
  } catch {
    return false;
  }
  return environ.split('\0').includes(`${INSTANCE_ID_ENV}=${id}`);
}

/**
 * Whether process `pid` is the one recorded for instance `id`: it carries the instance's
 * marker and, when the start time was recorded, started at that very tick.
 */
export function isInstanceProcess(pid: number, id: string, startTime?: number): boolean {
  if (startTime !== undefined && readProcessStartTime(pid) !== startTime) return false;
  return hasInstanceMarker(pid, id);
}
