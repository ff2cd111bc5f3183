import type { DeployProxy } from '../../proxy/index.js';
import type {
  DeploymentPatch,
  DeploymentRecord,
  DeployStore,
  ReleaseRecord,
} from '../../store/index.js';
import type { LocalProvider } from '../local-provider.js';
import { instanceEnv, type DeploymentSpec } from '../spec.js';
import type { RolloutStep } from './plan.js';

/** What the controller works with: the store, the provider and where releases live. */
export interface ControllerDeps {
  readonly store: DeployStore;
  readonly provider: LocalProvider;
  readonly proxy: DeployProxy;
  /** The proxy's own address, where synthetic analysis load is sent. */
  readonly proxyUrl: string;
  readonly repoRoot: string;
  readonly stateDir: string;
  /** The environment every release process and hook starts from (PATH, HOME, ...). */
  readonly baseEnv: Readonly<Record<string, string>>;
  readonly log: (line: string) => void;
  readonly now: () => number;
}

/**
 * One reconcile of one deployment (Argo Rollouts' rolloutContext): what was read at its
 * start, and the writes it makes. Writes go to the store first; the provider acts after,
 * so a Gantry killed between the two finds its intent on the next start.
 */
export class RolloutContext {
  constructor(
    readonly deps: ControllerDeps,
    public deployment: DeploymentRecord,
    readonly spec: DeploymentSpec,
    readonly steps: readonly RolloutStep[],
    readonly release: ReleaseRecord,
    /** The environment's stable release when this reconcile started (null on a first deploy). */
    readonly stable: string | null,
    readonly signal: AbortSignal,
  ) {}

  get id(): number {
    return this.deployment.id;
  }

  async update(patch: DeploymentPatch): Promise<void> {
    this.deployment = await this.deps.store.updateDeployment(this.id, patch);
  }

  async event(reason: string, message: string): Promise<void> {
    this.deps.log(`deployment ${this.id} (${this.spec.environment}): ${reason}: ${message}`);
    await this.deps.store.addEvent(this.id, reason, message);
  }

  checkpoint<T>(key: string): T | undefined {
    return this.deployment.checkpoint[key] as T | undefined;
  }

  async setCheckpoint(key: string, value: unknown): Promise<void> {
    await this.update({ checkpoint: { ...this.deployment.checkpoint, [key]: value } });
  }

  /** The environment every instance and hook of this release gets. */
  processEnv(app: string): Record<string, string> {
    return instanceEnv(this.deps.baseEnv, this.spec, app, this.release);
  }
}

/** What a step tells the reconciler: go on, come back later, or abort the rollout. */
export type StepResult =
  | { readonly kind: 'next' }
  | {
      readonly kind: 'wait';
      readonly ms: number;
      readonly status?: 'paused' | 'pending-approval';
      readonly message?: string;
    }
  | {
      readonly kind: 'fail';
      readonly reason: string;
      readonly message: string;
      readonly status?: 'failed' | 'rejected';
    };

export const next: StepResult = { kind: 'next' };
export const wait = (
  ms: number,
  status?: 'paused' | 'pending-approval',
  message?: string,
): StepResult => ({
  kind: 'wait',
  ms,
  ...(status ? { status } : {}),
  ...(message ? { message } : {}),
});
export const fail = (
  reason: string,
  message: string,
  status?: 'failed' | 'rejected',
): StepResult => ({ kind: 'fail', reason, message, ...(status ? { status } : {}) });
