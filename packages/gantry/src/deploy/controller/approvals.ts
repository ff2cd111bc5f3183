import type { ApprovalRecord, DeploymentRecord } from '../../store/index.js';
import type { Approvals } from '../model.js';

/**
 * Who may approve a deployment: a listed approver, or (with no list) anyone but the one
 * who asked for it — GitHub's "prevent self-review" for environments, on by default.
 */
export function mayApprove(
  deployment: Pick<DeploymentRecord, 'requestedBy'>,
  approvals: Approvals,
  user: string,
): boolean {
  if (approvals.approvers.length > 0) return approvals.approvers.includes(user);
  return user !== deployment.requestedBy;
}

/** The distinct allowed approvers so far, and the first allowed rejection if any. */
export function approvalState(
  deployment: Pick<DeploymentRecord, 'requestedBy'>,
  approvals: Approvals,
  records: readonly ApprovalRecord[],
): { approvedBy: string[]; rejectedBy?: string } {
  const approvedBy: string[] = [];
  for (const record of records) {
    if (!mayApprove(deployment, approvals, record.user)) continue;
    if (record.decision === 'rejected') return { approvedBy, rejectedBy: record.user };
    if (!approvedBy.includes(record.user)) approvedBy.push(record.user);
  }
  return { approvedBy };
}
