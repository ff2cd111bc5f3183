import type { AnalysisConfig, Strategy } from '../model.js';

/**
 * One step of a rollout's checklist. Every step is idempotent: the reconciler may run a step
 * again after a restart, so a step checks what is already true before it acts.
 */
export type RolloutStep =
  | { readonly kind: 'contractPolicy' }
  | { readonly kind: 'prepare' }
  | { readonly kind: 'expand' }
  /** Recreate only: the old release stops before the new one starts. */
  | { readonly kind: 'scaleDownStable' }
  | { readonly kind: 'start' }
  | { readonly kind: 'smoke' }
  /** Blue-green: the new release answers on `preview.<host>` before it takes traffic. */
  | { readonly kind: 'preview' }
  | { readonly kind: 'analysis'; readonly name: string; readonly analysis: AnalysisConfig }
  | { readonly kind: 'awaitPromotion'; readonly autoAfterMs?: number }
  | { readonly kind: 'setWeight'; readonly weight: number }
  | { readonly kind: 'pause'; readonly durationMs?: number }
  /** The new release becomes the environment's stable release. */
  | { readonly kind: 'promote' };

/**
 * The linear checklist of a strategy (Argo Rollouts' reconcile order), for a deployment whose
 * approvals are in (the controller holds it until then): the migration policy first, then the release is prepared and expanded, started and smoke
 * tested, then traffic moves. Pure: the same strategy always gives the same list, so a
 * checkpoint's step index means the same thing after a restart.
 */
export function planRollout(strategy: Strategy, instances: number): RolloutStep[] {
  const steps: RolloutStep[] = [
    { kind: 'contractPolicy' },
    { kind: 'prepare' },
    { kind: 'expand' },
  ];
  switch (strategy.type) {
    case 'recreate':
      steps.push({ kind: 'scaleDownStable' }, { kind: 'start' }, { kind: 'smoke' });
      steps.push({ kind: 'setWeight', weight: 100 });
      break;
    case 'rolling':
      steps.push({ kind: 'start' }, { kind: 'smoke' });
      // Traffic follows instances: with maxSurge s of n, each step moves s/n of it.
      for (let moved = strategy.maxSurge; ; moved += strategy.maxSurge) {
        const weight = Math.min(100, Math.round((100 * moved) / instances));
        steps.push({ kind: 'setWeight', weight });
        if (weight === 100) break;
      }
      break;
    case 'blueGreen':
      steps.push({ kind: 'start' }, { kind: 'smoke' }, { kind: 'preview' });
      if (strategy.prePromotionAnalysis)
        steps.push({
          kind: 'analysis',
          name: 'pre-promotion',
          analysis: strategy.prePromotionAnalysis,
        });
      if (!strategy.autoPromotion || strategy.autoPromotionMs !== undefined)
        steps.push({
          kind: 'awaitPromotion',
          ...(strategy.autoPromotion && strategy.autoPromotionMs !== undefined
            ? { autoAfterMs: strategy.autoPromotionMs }
            : {}),
        });
      steps.push({ kind: 'setWeight', weight: 100 });
      if (strategy.postPromotionAnalysis)
        steps.push({
          kind: 'analysis',
          name: 'post-promotion',
          analysis: strategy.postPromotionAnalysis,
        });
      break;
    case 'canary':
      steps.push({ kind: 'start' }, { kind: 'smoke' });
      strategy.steps.forEach((step, i) => {
        if ('setWeight' in step) steps.push({ kind: 'setWeight', weight: step.setWeight });
        else if ('pause' in step)
          steps.push({
            kind: 'pause',
            ...(step.pause.durationMs === undefined ? {} : { durationMs: step.pause.durationMs }),
          });
        else steps.push({ kind: 'analysis', name: `step-${i}`, analysis: step.analysis });
      });
      // Argo finishes a canary at 100 % whatever its last step says.
      if (steps.at(-1)?.kind !== 'setWeight' || lastWeight(steps) !== 100)
        steps.push({ kind: 'setWeight', weight: 100 });
      break;
  }
  steps.push({ kind: 'promote' });
  return steps;
}

/**
 * An environment's first release has nothing to compare with or fall back to: like Argo's
 * first rollout, it skips the strategy's steps and takes all traffic once it is healthy.
 */
export function planFirstRollout(): RolloutStep[] {
  return [
    { kind: 'contractPolicy' },
    { kind: 'prepare' },
    { kind: 'expand' },
    { kind: 'start' },
    { kind: 'smoke' },
    { kind: 'setWeight', weight: 100 },
    { kind: 'promote' },
  ];
}

/**
 * The checklist of one deployment. A rollback goes back to code the environment ran before:
 * it neither runs that code's expand migration (the schema is already ahead of it) nor is
 * held by the contract policy, which would otherwise block the way back.
 */
export function planDeployment(
  strategy: Strategy,
  instances: number,
  options: { readonly first: boolean; readonly rollback: boolean },
): RolloutStep[] {
  const steps = options.first ? planFirstRollout() : planRollout(strategy, instances);
  return options.rollback
    ? steps.filter((s) => s.kind !== 'contractPolicy' && s.kind !== 'expand')
    : steps;
}

function lastWeight(steps: readonly RolloutStep[]): number {
  for (let i = steps.length - 1; i >= 0; i--) {
    const step = steps[i]!;
    if (step.kind === 'setWeight') return step.weight;
  }
  return 0;
}

/** Where the new release's instances must be running at a step (after `start`, until done). */
export function newReleaseRunning(steps: readonly RolloutStep[], index: number): boolean {
  const start = steps.findIndex((s) => s.kind === 'start');
  return start >= 0 && index >= start;
}

/** Whether the stable release must still run at a step (recreate stops it first). */
export function stableRunning(steps: readonly RolloutStep[], index: number): boolean {
  const scaleDown = steps.findIndex((s) => s.kind === 'scaleDownStable');
  return scaleDown < 0 || index < scaleDown;
}

/** A canary's background analysis runs from its first traffic to its promotion. */
export function backgroundAnalysisActive(
  steps: readonly RolloutStep[],
  index: number,
  weight: number,
): boolean {
  return weight > 0 && steps[index]?.kind !== 'promote';
}

/** Human words for a step, in events and `gantry env status`. */
export function describeStep(step: RolloutStep): string {
  switch (step.kind) {
    case 'setWeight':
      return `set weight ${step.weight}%`;
    case 'pause':
      return step.durationMs === undefined ? 'pause until promoted' : `pause ${step.durationMs}ms`;
    case 'analysis':
      return `${step.name} analysis`;
    case 'awaitPromotion':
      return 'wait for promotion';
    case 'scaleDownStable':
      return 'stop the stable release';
    default:
      return step.kind;
  }
}
