import type { RestartPolicy } from './spec.js';

/** Crashes older than this no longer count against the restart limit. */
export const CRASH_WINDOW_MS = 60_000;
/** The backoff doubles per crash but never waits longer than this. */
const MAX_BACKOFF_MS = 10_000;

/**
 * Decides, crash by crash, whether an instance is restarted and after how long. A sliding
 * window rather than a lifetime count: a server that crashes once a day is restarted forever,
 * one that crashes in a loop is given up on quickly, whether or not it became ready in between
 * (a server that dies a second after every start would otherwise flap in and out of the proxy).
 */
export class CrashHistory {
  private readonly crashes: number[] = [];

  constructor(private readonly policy: RestartPolicy) {}

  /**
   * Records a crash at `now` (ms) and returns the delay before the restart, or undefined when
   * this crash is one more than `maxRestarts` within the window.
   */
  record(now: number): number | undefined {
    while (this.crashes.length > 0 && (this.crashes[0] ?? now) <= now - CRASH_WINDOW_MS) {
      this.crashes.shift();
    }
    this.crashes.push(now);
    const inWindow = this.crashes.length;
    if (inWindow > this.policy.maxRestarts) return undefined;
    return Math.min(this.policy.backoffMs * 2 ** (inWindow - 1), MAX_BACKOFF_MS);
  }

  /** Crashes that still count, e.g. for the failure message. */
  get recent(): number {
    return this.crashes.length;
  }
}
