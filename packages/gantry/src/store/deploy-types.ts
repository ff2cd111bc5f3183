/**
 * What the deployment controller and the CLI read and write about environments, releases and
 * deployments. Times are epoch milliseconds; JSON columns come back parsed.
 */

export interface EnvironmentRecord {
  name: string;
  kind: 'static' | 'ephemeral';
  host: string;
  prNumber: number | null;
  status: 'active' | 'destroyed';
  stableRelease: string | null;
  expiresAt: number | null;
  createdAt: number;
  updatedAt: number;
  destroyedAt: number | null;
}

export interface ReleaseRecord {
  name: string;
  sha: string;
  ref: string;
  createdAt: number;
}

export interface DeploymentRecord {
  id: number;
  environment: string;
  release: string;
  previousRelease: string | null;
  strategy: unknown;
  /** What the deployment runs, frozen when it was requested (see deploy/spec.ts). */
  spec: unknown;
  status: string;
  step: number;
  weight: number;
  message: string | null;
  checkpoint: Record<string, unknown>;
  command: string | null;
  requestedBy: string;
  trigger: string;
  approvalsRequired: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  updatedAt: number;
}

export type DeploymentPatch = Partial<
  Pick<
    DeploymentRecord,
    'status' | 'step' | 'weight' | 'message' | 'checkpoint' | 'command' | 'startedAt' | 'finishedAt'
  >
>;

export interface DeploymentEventRecord {
  at: number;
  reason: string;
  message: string;
}

export interface ApprovalRecord {
  user: string;
  decision: 'approved' | 'rejected';
  comment: string | null;
  at: number;
}

export interface ContractRecord {
  environment: string;
  app: string;
  release: string;
  deploymentId: number;
  createdAt: number;
  appliedAt: number | null;
  appliedBy: string | null;
}

export interface MeasurementRecord {
  analysis: string;
  metric: string;
  phase: string;
  value: number | number[] | null;
  message: string | null;
  at: number;
}

export interface DeployStore {
  saveEnvironment(
    env: Pick<EnvironmentRecord, 'name' | 'kind' | 'host' | 'prNumber' | 'expiresAt'>,
  ): Promise<EnvironmentRecord>;
  environment(name: string): Promise<EnvironmentRecord | undefined>;
  environments(options?: { includeDestroyed?: boolean }): Promise<EnvironmentRecord[]>;
  setStableRelease(environment: string, release: string | null): Promise<void>;
  destroyEnvironment(name: string): Promise<void>;

  /** Records a release once by name; a second call with the same name returns the first. */
  saveRelease(release: Pick<ReleaseRecord, 'name' | 'sha' | 'ref'>): Promise<ReleaseRecord>;
  release(name: string): Promise<ReleaseRecord | undefined>;

  createDeployment(
    input: Pick<
      DeploymentRecord,
      | 'environment'
      | 'release'
      | 'previousRelease'
      | 'strategy'
      | 'spec'
      | 'status'
      | 'requestedBy'
      | 'trigger'
      | 'approvalsRequired'
    >,
  ): Promise<DeploymentRecord>;
  deployment(id: number): Promise<DeploymentRecord | undefined>;
  /** Newest first; `environment` narrows to one. */
  deployments(options?: { environment?: string; limit?: number }): Promise<DeploymentRecord[]>;
  /** Deployments whose status is not final (the controller's work list). */
  activeDeployments(): Promise<DeploymentRecord[]>;
  updateDeployment(id: number, patch: DeploymentPatch): Promise<DeploymentRecord>;

  addEvent(deploymentId: number, reason: string, message: string): Promise<void>;
  events(deploymentId: number): Promise<DeploymentEventRecord[]>;
  addApproval(
    deploymentId: number,
    approval: Pick<ApprovalRecord, 'user' | 'decision' | 'comment'>,
  ): Promise<void>;
  approvals(deploymentId: number): Promise<ApprovalRecord[]>;
  addMeasurement(
    deploymentId: number,
    measurement: Omit<MeasurementRecord, 'at'> & { at?: number },
  ): Promise<void>;
  measurements(deploymentId: number): Promise<MeasurementRecord[]>;

  /** Records that `release` of `app` brought a contract step, pending in `environment`. */
  addPendingContract(
    contract: Pick<ContractRecord, 'environment' | 'app' | 'release' | 'deploymentId'>,
  ): Promise<void>;
  /** Oldest first; applied ones only with `includeApplied`. */
  contracts(environment: string, options?: { includeApplied?: boolean }): Promise<ContractRecord[]>;
  /** Marks every pending contract of `app` in `environment` applied; returns how many. */
  applyContracts(environment: string, app: string, by: string): Promise<number>;
}

/** Statuses after which a deployment never changes again. */
export const finalDeploymentStatuses = ['succeeded', 'failed', 'aborted', 'rejected', 'superseded'];
