import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { isMapping } from '@actions/workflow-parser';
import { ConcurrencyGroups } from '../engine/index.js';
import { entry } from '../workflow/tokens.js';
import type { Leg } from './leg.js';
import { toText } from './values.js';

/**
 * Applies `concurrency:` within one invocation: the pure group bookkeeping lives in the
 * engine; here members wait on promises and cancelled members are told to stop.
 */
export class ConcurrencyCoordinator {
  private readonly groups = new ConcurrencyGroups();
  private readonly waiting = new Map<Leg, () => void>();
  /** Members made running by a release before they started waiting. */
  private readonly ready = new Set<Leg>();
  private readonly members = new Map<string, Leg>();
  private counter = 0;

  /** Waits until the leg may start; returns the function to call when it ends. */
  async enter(leg: Leg, token: TemplateToken | undefined): Promise<() => void> {
    if (!token) return () => {};
    const value = leg.evaluate(isMapping(token) ? entry(token, 'group') : token);
    const cancelInProgress = isMapping(token)
      ? Boolean(leg.evaluate(entry(token, 'cancel-in-progress')) ?? false)
      : false;
    const group = toText(value);
    if (!group) return () => {};
    const id = `m${++this.counter}`;
    this.members.set(id, leg);
    const decision = this.groups.request(group, id, cancelInProgress);
    for (const victim of decision.cancel) this.cancel(victim, group);
    if (!decision.start && !this.ready.has(leg)) {
      leg.log.line(`Waiting for a pending job in concurrency group '${group}'`);
      await new Promise<void>((resolve) => this.waiting.set(leg, resolve));
    }
    this.ready.delete(leg);
    return () => {
      const next = this.groups.release(group, id);
      this.members.delete(id);
      if (next) this.wake(next);
    };
  }

  private cancel(member: string, group: string): void {
    const leg = this.members.get(member);
    if (!leg) return;
    leg.log.line(`Canceling since a higher priority waiting request for '${group}' exists`);
    leg.cancel('cancelled');
    const next = this.groups.release(group, member);
    this.wake(member);
    if (next) this.wake(next);
  }

  private wake(member: string): void {
    const leg = this.members.get(member);
    if (!leg) return;
    const resolve = this.waiting.get(leg);
    this.waiting.delete(leg);
    if (resolve) resolve();
    else this.ready.add(leg);
  }
}
