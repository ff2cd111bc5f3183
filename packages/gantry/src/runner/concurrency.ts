import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isMapping } from '@actions/workflow-parser';
import { ConcurrencyGroups } from '../engine/index.js';
import { entry } from '../workflow/tokens.js';
import { toText } from './values.js';

export interface ConcurrencySetting {
  group: string;
  cancelInProgress: boolean;
}

/** A job leg or a workflow taking part in a concurrency group. */
export interface ConcurrencyMember {
  /** Stop this member: a newer one took its place (pending) or `cancel-in-progress` applies. */
  cancel(group: string): void;
  /** Called when the member has to wait for the running one. */
  waiting?(group: string): void;
}

/**
 * Reads `concurrency:` (a group string, or `{group, cancel-in-progress}`) with the caller's
 * evaluator, which knows the contexts allowed at its level. No group: no concurrency.
 */
export function readConcurrency(
  token: TemplateToken | undefined,
  evaluate: (t: TemplateToken) => unknown,
): ConcurrencySetting | undefined {
  if (!token) return undefined;
  const groupToken = isMapping(token) ? entry(token, 'group') : token;
  const cancelToken = isMapping(token) ? entry(token, 'cancel-in-progress') : undefined;
  const group = groupToken === undefined ? '' : toText(evaluate(groupToken));
  if (!group) return undefined;
  return { group, cancelInProgress: cancelToken !== undefined && evaluate(cancelToken) === true };
}

/**
 * Applies concurrency groups within one invocation: the pure bookkeeping (one running, one
 * pending, newer pending cancels older) lives in the engine; here members wait on promises
 * and cancelled members are told to stop. Used for jobs and, separately, for workflows.
 */
export class ConcurrencyCoordinator {
  private readonly groups = new ConcurrencyGroups();
  private readonly members = new Map<
    string,
    { member: ConcurrencyMember; ready: boolean; wake?: () => void }
  >();
  private counter = 0;

  /** Waits until the member may start; returns the function to call when it ends. */
  async enter(
    member: ConcurrencyMember,
    setting: ConcurrencySetting | undefined,
  ): Promise<() => void> {
    if (!setting) return () => {};
    const { group } = setting;
    const id = `m${++this.counter}`;
    const state: { member: ConcurrencyMember; ready: boolean; wake?: () => void } = {
      member,
      ready: false,
    };
    this.members.set(id, state);
    const decision = this.groups.request(group, id, setting.cancelInProgress);
    for (const victim of decision.cancel) {
      this.members.get(victim)?.member.cancel(group);
      const next = this.groups.release(group, victim);
      this.wake(victim);
      if (next) this.wake(next);
    }
    // The cancellations above may already have made this member the running one.
    if (!decision.start && !state.ready) {
      member.waiting?.(group);
      await new Promise<void>((resolve) => (state.wake = resolve));
    }
    return () => {
      const next = this.groups.release(group, id);
      this.members.delete(id);
      if (next) this.wake(next);
    };
  }

  private wake(id: string): void {
    const state = this.members.get(id);
    if (!state) return;
    state.ready = true;
    const wake = state.wake;
    delete state.wake;
    wake?.();
  }
}
