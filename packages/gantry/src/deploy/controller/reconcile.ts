import type { AnalysisOutcome } from '../../analysis/index.js';
import { runRolloutAnalysis } from './analysis-step.js';
import { POLL_MS, runStep, startRelease } from './steps.js';
import type { RolloutContext, StepResult } from './context.js';
import { recordPendingContracts } from './contracts.js';
import { describeStep, newReleaseRunning } from './plan.js';
import { applyTraffic, previewHosts, trafficSplit } from './traffic.js';

/** What a deployment's worker keeps between reconciles: its background analysis. */
export interface WorkerMemory {
  background?: {
    readonly stop: AbortController;
    outcome?: AnalysisOutcome;
    error?: unknown;
    /** Stopped by the rollout itself (promoted fully): its outcome no longer counts. */
    retired?: boolean;
  };
}

export type ReconcileResult =
  { readonly done: true } | { readonly done: false; readonly requeueMs: number };

/** Steps `gantry promote` moves past: pauses, and analyses (one without `count` never ends). */
const promotableKinds = new Set(['pause', 'awaitPromotion', 'analysis']);

/**
 * One reconcile of a deployment, in Argo Rollouts' order: user commands, then the world
 * made to match the checkpoint (instances running, traffic where the store says), then the
 * checklist from the step in progress until a step waits, fails or the rollout is done.
 */
export async function reconcile(
  context: RolloutContext,
  memory: WorkerMemory,
): Promise<ReconcileResult> {
  const { deployment, steps } = context;
  const command = deployment.command;
  if (command === 'abort' || command === 'supersede') {
    await abortRollout(
      context,
      memory,
      command === 'abort' ? 'aborted' : 'superseded',
      command === 'abort' ? 'Aborted' : 'Superseded',
      command === 'abort'
        ? 'aborted by request; traffic is back on the stable release'
        : 'a newer deployment of this environment replaced it',
    );
    return { done: true };
  }
  if (command === 'promote-full') {
    const last = steps.findLastIndex((s) => s.kind === 'setWeight');
    await context.update({ command: null, ...(deployment.step < last ? { step: last } : {}) });
    if (memory.background) memory.background.retired = true;
    memory.background?.stop.abort();
    await context.event('PromotedFully', 'skipping the remaining steps to 100%');
  } else if (command === 'promote') {
    const current = steps[deployment.step];
    const background = memory.background?.outcome?.phase === 'inconclusive';
    if (background) {
      // Argo's inconclusive background analysis: promoted, it starts over.
      memory.background = undefined;
      await context.update({ command: null });
      await context.event('Resumed', 'promoted past an inconclusive background analysis');
    } else if (current && promotableKinds.has(current.kind)) {
      await context.update({ command: null, step: deployment.step + 1 });
      await context.event('Resumed', `promoted past ${describeStep(current)}`);
    } else {
      await context.update({ command: null });
      await context.event('PromoteIgnored', 'the rollout is not paused');
    }
  }
  if (context.release.name === context.stable) {
    await finish(context, memory, `${context.release.name} is already the stable release`, false);
    return { done: true };
  }
  if (deployment.startedAt === null)
    await context.update({ status: 'progressing', startedAt: context.deps.now() });

  try {
    await ensure(context);
  } catch (error) {
    if (context.signal.aborted) return { done: false, requeueMs: 0 };
    await abortRollout(context, memory, 'failed', 'ResumeFailed', errorText(error));
    return { done: true };
  }
  const background = watchBackground(context, memory);
  if (background) return settle(context, memory, background);

  for (let index = context.deployment.step; index < steps.length; index++) {
    let result: StepResult;
    try {
      result = await runStep(context, steps[index]!, index);
    } catch (error) {
      if (context.signal.aborted) return { done: false, requeueMs: 0 };
      result = {
        kind: 'fail',
        reason: 'StepFailed',
        message: `${describeStep(steps[index]!)}: ${errorText(error)}`,
      };
    }
    if (result.kind !== 'next') return settle(context, memory, result);
    await context.update({
      step: index + 1,
      ...(context.deployment.status !== 'progressing'
        ? { status: 'progressing', message: null }
        : {}),
    });
    const started = watchBackground(context, memory);
    if (started) return settle(context, memory, started);
  }
  await finish(context, memory, `${context.release.name} is stable`);
  return { done: true };
}

async function settle(
  context: RolloutContext,
  memory: WorkerMemory,
  result: Exclude<StepResult, { kind: 'next' }>,
): Promise<ReconcileResult> {
  if (result.kind === 'fail') {
    await abortRollout(context, memory, result.status ?? 'failed', result.reason, result.message);
    return { done: true };
  }
  const status = result.status ?? 'progressing';
  if (
    status !== context.deployment.status ||
    (result.message ?? null) !== context.deployment.message
  )
    await context.update({ status, message: result.message ?? null });
  return { done: false, requeueMs: result.ms };
}

/**
 * Makes the provider match the checkpoint: the new release runs once the checklist has
 * started it, traffic is split by the persisted weight, the preview host routes to it. All
 * idempotent; after a restart this is what brings a half-done rollout back.
 */
async function ensure(context: RolloutContext): Promise<void> {
  const { deps, spec, steps, deployment, release } = context;
  const index = deployment.step;
  if (!newReleaseRunning(steps, index) || steps[index]?.kind === 'start') return;
  await startRelease(context);
  const preview = steps.findIndex((s) => s.kind === 'preview');
  if (preview >= 0 && index > preview)
    for (const app of spec.apps)
      for (const host of previewHosts(spec, app.name))
        deps.provider.route(host, spec.environment, app.name, [
          { release: release.name, weight: 100 },
        ]);
  if (deployment.weight > 0)
    applyTraffic(
      deps.provider,
      spec,
      trafficSplit(context.stable, release.name, deployment.weight),
    );
}

/**
 * A canary's `analysis:` runs in the background from its first traffic until promotion;
 * its failure aborts whatever step is in progress.
 */
function watchBackground(
  context: RolloutContext,
  memory: WorkerMemory,
): Exclude<StepResult, { kind: 'next' }> | undefined {
  const { spec } = context;
  // A first deployment skips the strategy (nothing to compare with), its analysis too.
  if (spec.strategy.type !== 'canary' || !spec.strategy.analysis || context.stable === null)
    return undefined;
  const analysis = spec.strategy.analysis;
  const current = memory.background;
  if (current?.error !== undefined)
    return {
      kind: 'fail',
      reason: 'AnalysisFailed',
      message: `background analysis: ${errorText(current.error)}`,
    };
  if (current?.retired) return undefined;
  if (current?.outcome) {
    const { phase, message } = current.outcome;
    if (phase === 'failed' || phase === 'error')
      return { kind: 'fail', reason: 'AnalysisFailed', message: `background analysis: ${message}` };
    if (phase === 'inconclusive')
      return {
        kind: 'wait',
        ms: POLL_MS,
        status: 'paused',
        message: `background analysis inconclusive: ${message}; gantry promote to go on, gantry abort to roll back`,
      };
    return undefined;
  }
  if (!current && context.deployment.weight > 0) {
    const stop = new AbortController();
    const state: NonNullable<WorkerMemory['background']> = { stop };
    memory.background = state;
    runRolloutAnalysis(context, 'background', analysis, spec.host, stop.signal).then(
      (outcome) => {
        state.outcome = outcome;
      },
      (error: unknown) => {
        state.error = error;
      },
    );
  }
  return undefined;
}

/** The rollout is done: the new release is stable, its contract steps pending. */
async function finish(
  context: RolloutContext,
  memory: WorkerMemory,
  message: string,
  newRelease = true,
): Promise<void> {
  const { deps, spec } = context;
  memory.background?.stop.abort();
  await context.update({
    status: 'succeeded',
    weight: 100,
    step: context.steps.length,
    message,
    finishedAt: deps.now(),
  });
  await deps.store.setStableRelease(spec.environment, context.release.name);
  if (newRelease) await recordPendingContracts(context);
  for (const app of spec.apps)
    for (const host of previewHosts(spec, app.name)) deps.provider.unroute(host);
  await context.event('Promoted', message);
}

/**
 * Aborts to stable (Argo's abort): the final status is written first, then traffic goes
 * back to the stable release at once, then the new release's instances stop. Without a
 * stable release (a first deployment) the environment is left without a route.
 */
export async function abortRollout(
  context: RolloutContext,
  memory: WorkerMemory,
  status: string,
  reason: string,
  message: string,
): Promise<void> {
  const { deps, spec, release } = context;
  memory.background?.stop.abort();
  await context.update({ status, weight: 0, message, command: null, finishedAt: deps.now() });
  await context.event(reason, message);
  if (release.name === context.stable) return;
  applyTraffic(deps.provider, spec, trafficSplit(context.stable, release.name, 0));
  for (const app of spec.apps)
    for (const host of previewHosts(spec, app.name)) deps.provider.unroute(host);
  const running = spec.apps.some((app) =>
    deps.provider.releaseSet(spec.environment, app.name, release.name),
  );
  for (const app of spec.apps) await deps.provider.stop(spec.environment, app.name, release.name);
  if (running)
    await context.event(
      'ScaledDown',
      `stopped ${release.name}${context.stable ? `; ${context.stable} serves all traffic` : ''}`,
    );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export { POLL_MS };
