/**
 * GitHub's concurrency groups: at most one running and one pending member per group. A new
 * member becomes the pending one and cancels the previous pending one; with
 * `cancel-in-progress` it also cancels the running one. Group names are case-insensitive.
 */
export interface ConcurrencyDecision {
  /** Start now (the group was free). */
  readonly start: boolean;
  /** Members to cancel as a consequence of this request. */
  readonly cancel: readonly string[];
}

export class ConcurrencyGroups {
  private readonly running = new Map<string, string>();
  private readonly pending = new Map<string, string>();

  request(group: string, member: string, cancelInProgress: boolean): ConcurrencyDecision {
    const key = group.toLowerCase();
    const cancel: string[] = [];
    const current = this.running.get(key);
    if (current === undefined) {
      this.running.set(key, member);
      return { start: true, cancel };
    }
    const previous = this.pending.get(key);
    if (previous !== undefined) cancel.push(previous);
    if (cancelInProgress) cancel.push(current);
    this.pending.set(key, member);
    return { start: false, cancel };
  }

  /** Called when a member finishes or is cancelled; returns the pending member that may start. */
  release(group: string, member: string): string | undefined {
    const key = group.toLowerCase();
    if (this.pending.get(key) === member) {
      this.pending.delete(key);
      return undefined;
    }
    if (this.running.get(key) !== member) return undefined;
    this.running.delete(key);
    const next = this.pending.get(key);
    if (next === undefined) return undefined;
    this.pending.delete(key);
    this.running.set(key, next);
    return next;
  }
}
