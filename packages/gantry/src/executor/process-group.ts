import { readFileSync, readdirSync } from 'node:fs';

/**
 * Process-group primitives. Every step runs as the leader of its own process group
 * (`detached: true` makes the child call setsid, so group id = session id = its pid), which lets
 * Gantry signal a whole tree at once — including grandchildren a shell started in the background.
 */

/**
 * Guards against the two values that would make `process.kill(-pid)` hit the wrong target:
 * `-0` signals Gantry's own group and `-1` signals every process the user may signal.
 */
function isGroupId(pid: number): boolean {
  return Number.isInteger(pid) && pid > 1;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}

/**
 * Sends `signal` to every process in the group led by `pid`. Used by the kill sequence and, at
 * job end, to clean up background processes a step left behind (servers started with `&`).
 * Returns whether the signal was delivered; a group that is already gone is not an error.
 */
export function killProcessGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  if (!isGroupId(pid)) return false;
  try {
    // Windows has no process groups; the best available is the process itself.
    process.kill(process.platform === 'win32' ? pid : -pid, signal);
    return true;
  } catch (error) {
    // ESRCH: nothing left in the group. EPERM: a member changed its uid (setuid binary) —
    // there is nothing more an unprivileged runner can do about it.
    if (errorCode(error) === 'ESRCH' || errorCode(error) === 'EPERM') return false;
    throw error;
  }
}

/**
 * Whether the group led by `pid` still has a running member.
 *
 * `kill(-pid, 0)` alone is not enough: it also succeeds for zombies, and a grandchild orphaned
 * by the step's shell is reparented to PID 1, which in many containers (and in this one — PID 1
 * is rarely a real init) never reaps it. On Linux the group's members are therefore confirmed
 * through /proc, ignoring zombies; elsewhere the `kill` probe is the answer.
 */
export function isProcessGroupAlive(pid: number): boolean {
  if (!isGroupId(pid)) return false;
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 0);
  } catch (error) {
    return errorCode(error) === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  const members = listProcessGroup(pid);
  return members === undefined || members.length > 0;
}

/**
 * The pids of the non-zombie processes in group `pgid`, read from /proc (Linux only).
 * Returns undefined when /proc cannot be read, so callers fall back to trusting `kill(0)`.
 */
export function listProcessGroup(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') {
      members.push(Number(entry));
    }
  }
  return members;
}

function readStat(pid: string): { state: string; pgrp: number } | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined; // exited between readdir and read
  }
  // `pid (comm) state ppid pgrp ...` — comm may itself contain spaces and parentheses,
  // so fields are counted from the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = fields;
  if (state === undefined || pgrp === undefined) return undefined;
  return { state, pgrp: Number(pgrp) };
}
