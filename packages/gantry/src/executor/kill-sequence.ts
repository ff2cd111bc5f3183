import { setTimeout as delay } from 'node:timers/promises';
import { isProcessGroupAlive, killProcessGroup } from './process-group.js';

/** How long to wait after each polite signal before escalating to the next one. */
export interface KillSequence {
  /** Wait after SIGINT before sending SIGTERM. */
  interruptMs: number;
  /** Wait after SIGTERM before sending SIGKILL. */
  terminateMs: number;
}

/**
 * The GitHub runner's escalation when a step is cancelled or times out: SIGINT, 7.5 s,
 * SIGTERM, 2.5 s, SIGKILL (actions/runner `ProcessInvoker`). Matching it means a script's
 * `trap ... INT` cleanup behaves the same here as on GitHub.
 */
export const defaultKillSequence: Readonly<KillSequence> = Object.freeze({
  interruptMs: 7500,
  terminateMs: 2500,
});

/** SIGKILL cannot be caught, but the kernel still needs a moment to tear the processes down. */
const KILL_SETTLE_MS = 1000;
const POLL_MS = 25;

/**
 * Escalates SIGINT → SIGTERM → SIGKILL against the whole group led by `pgid`, stopping as
 * soon as no member is left. Returns the signals actually sent, in order.
 *
 * The group, not just its leader, decides when to stop: a shell that dies on SIGINT can leave
 * a background child running, and non-interactive shells start `&` children with SIGINT
 * ignored, so only the later signals reach them.
 */
export async function stopProcessGroup(
  pgid: number,
  sequence: KillSequence = defaultKillSequence,
): Promise<NodeJS.Signals[]> {
  const steps: Array<[NodeJS.Signals, number]> = [
    ['SIGINT', sequence.interruptMs],
    ['SIGTERM', sequence.terminateMs],
    ['SIGKILL', KILL_SETTLE_MS],
  ];
  const sent: NodeJS.Signals[] = [];
  for (const [signal, waitMs] of steps) {
    if (!isProcessGroupAlive(pgid)) break;
    if (killProcessGroup(pgid, signal)) sent.push(signal);
    await waitForGroupExit(pgid, waitMs);
  }
  return sent;
}

/** Resolves true once the group is empty, or false when `timeoutMs` passes first. */
export async function waitForGroupExit(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (isProcessGroupAlive(pgid)) {
    const left = deadline - performance.now();
    if (left <= 0) return false;
    await delay(Math.min(POLL_MS, left));
  }
  return true;
}
