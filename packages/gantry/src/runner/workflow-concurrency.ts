import { isMapping } from '@actions/workflow-parser';
import { ConcurrencyGroups } from '../engine/index.js';
import { evaluateTemplate, type ExpressionScope } from '../workflow/expressions.js';
import type { WorkflowDef } from '../workflow/model.js';
import { entry } from '../workflow/tokens.js';
import { toText } from './values.js';

/**
 * Workflow-level `concurrency:` among the workflows of one invocation: a workflow waits
 * while another of its group runs; a newer pending one cancels the older pending one, and
 * `cancel-in-progress` cancels the running one (its jobs end as cancelled). Only the
 * `github`, `inputs` and `vars` contexts are available here, as on GitHub.
 */
export class WorkflowConcurrency {
  private readonly groups = new ConcurrencyGroups();
  private readonly members = new Map<string, Member>();

  async enter(
    member: string,
    workflow: WorkflowDef,
    scope: ExpressionScope,
    controller: AbortController,
  ): Promise<() => void> {
    const token = workflow.concurrency;
    if (!token) return () => {};
    const groupToken = isMapping(token) ? entry(token, 'group') : token;
    const value = groupToken === undefined ? '' : evaluateTemplate(groupToken, scope);
    const cancelToken = isMapping(token) ? entry(token, 'cancel-in-progress') : undefined;
    const cancelInProgress =
      cancelToken !== undefined && evaluateTemplate(cancelToken, scope) === true;
    const group = toText(value);
    if (!group) return () => {};
    const state: Member = { controller, ready: false };
    this.members.set(member, state);
    const decision = this.groups.request(group, member, cancelInProgress);
    for (const victim of decision.cancel) {
      this.members.get(victim)?.controller.abort();
      const next = this.groups.release(group, victim);
      this.wake(victim);
      if (next) this.wake(next);
    }
    // The cancellations above may already have made this member the running one.
    if (!decision.start && !state.ready && !controller.signal.aborted) {
      await new Promise<void>((resolve) => (state.wake = resolve));
    }
    return () => {
      const next = this.groups.release(group, member);
      this.members.delete(member);
      if (next) this.wake(next);
    };
  }

  private wake(member: string): void {
    const state = this.members.get(member);
    if (!state) return;
    state.ready = true;
    const wake = state.wake;
    delete state.wake;
    wake?.();
  }
}

interface Member {
  controller: AbortController;
  /** Set once the member may run (it became the running member of its group). */
  ready: boolean;
  wake?: () => void;
}
