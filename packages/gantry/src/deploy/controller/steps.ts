import { runProcess } from '../../executor/process.js';
import { prepareRelease, releaseAppDir } from '../release-workspace.js';
import { fail, next, wait, type RolloutContext, type StepResult } from './context.js';
import { contractPolicy } from './contracts.js';
import type { RolloutStep } from './plan.js';
import { runSmokeChecks } from './smoke.js';
import { applyTraffic, previewHosts, trafficSplit } from './traffic.js';
import { runRolloutAnalysis } from './analysis-step.js';

/** How often a waiting rollout looks again (approvals, pauses, commands). */
export const POLL_MS = 250;

/**
 * Runs one checklist step. Every step may run again after a restart (the index is written
 * only once it is done), so each acts only on what is not already true; steps that change
 * what the outside sees (weights) write their intent first.
 */
export async function runStep(
  context: RolloutContext,
  step: RolloutStep,
  index: number,
): Promise<StepResult> {
  const { deps, spec, release } = context;
  switch (step.kind) {
    case 'contractPolicy': {
      const verdict = await contractPolicy(context);
      if (verdict.block) return fail('ContractPolicyBlocked', verdict.block);
      for (const warning of verdict.warnings) await context.event('ContractPolicyWarning', warning);
      return next;
    }
    case 'prepare':
      for (const app of spec.apps)
        await prepareRelease({
          repoRoot: deps.repoRoot,
          stateDir: deps.stateDir,
          app,
          release: release.name,
          sha: release.sha,
          // No environment values: the prepared files are shared by every environment.
          env: { ...deps.baseEnv, ...app.env },
          signal: context.signal,
        });
      await context.event('ReleasePrepared', `${release.name} (${release.sha.slice(0, 12)})`);
      return next;
    case 'expand':
      for (const app of spec.apps) {
        const command = app.migrations?.expand;
        if (!command) continue;
        let output = '';
        const result = await runProcess({
          command: 'bash',
          args: ['-c', command],
          cwd: releaseAppDir(context.deps.stateDir, app, context.release.name),
          env: context.processEnv(app.name),
          signal: context.signal,
          onOutput: (chunk) => {
            output = (output + chunk.toString()).slice(-4000);
          },
        });
        if (result.exitCode !== 0)
          return fail(
            'MigrationFailed',
            `${app.name}: expand migration \`${command}\` exited with ${result.exitCode ?? result.signal}: ${output.trim().split('\n').slice(-3).join(' / ')}`,
          );
        await context.event('MigrationExpanded', `${app.name}: ${command}`);
      }
      return next;
    case 'scaleDownStable':
      if (context.stable && context.stable !== release.name) {
        for (const app of spec.apps)
          await deps.provider.stop(spec.environment, app.name, context.stable);
        await context.event(
          'ScaledDown',
          `stopped ${context.stable} before starting ${release.name}`,
        );
      }
      return next;
    case 'start':
      await startRelease(context);
      await context.event(
        'ReleaseStarted',
        spec.apps.map((a) => `${a.name}: ${a.instances} ready`).join(', '),
      );
      return next;
    case 'smoke':
      for (const app of spec.apps) {
        const set = deps.provider.releaseSet(spec.environment, app.name, release.name);
        const problem = await runSmokeChecks(set?.targets ?? [], app.smoke, context.signal);
        if (problem) return fail('SmokeFailed', problem);
      }
      if (spec.apps.some((a) => a.smoke.length > 0))
        await context.event('SmokePassed', `${release.name} answered every smoke check`);
      return next;
    case 'preview':
      for (const app of spec.apps)
        for (const host of previewHosts(spec, app.name))
          deps.provider.route(host, spec.environment, app.name, [
            { release: release.name, weight: 100 },
          ]);
      await context.event('PreviewRouted', `preview.${spec.host} serves ${release.name}`);
      return next;
    case 'analysis': {
      const host =
        context.deployment.weight > 0
          ? spec.host
          : (previewHosts(spec, spec.apps[0]!.name)[0] ?? spec.host);
      if (context.checkpoint<number>('inconclusive') === index)
        return wait(
          POLL_MS,
          'paused',
          'analysis inconclusive: gantry promote to go on, gantry abort to roll back',
        );
      const outcome = await runRolloutAnalysis(
        context,
        step.name,
        step.analysis,
        host,
        context.signal,
      );
      if (context.signal.aborted) return wait(0);
      if (outcome.phase === 'successful') {
        await context.event('AnalysisSuccessful', `${step.name}: ${outcome.message}`);
        return next;
      }
      if (outcome.phase === 'inconclusive') {
        await context.setCheckpoint('inconclusive', index);
        await context.event('AnalysisInconclusive', `${step.name}: ${outcome.message}`);
        return wait(POLL_MS, 'paused', `analysis inconclusive: ${outcome.message}`);
      }
      return fail('AnalysisFailed', `${step.name}: ${outcome.message}`);
    }
    case 'awaitPromotion':
    case 'pause': {
      const delay = step.kind === 'pause' ? step.durationMs : step.autoAfterMs;
      if (delay === undefined)
        return wait(POLL_MS, 'paused', `paused: gantry promote ${context.id} to go on`);
      let until = context.checkpoint<number>(`pauseUntil-${index}`);
      if (until === undefined) {
        until = deps.now() + delay;
        await context.setCheckpoint(`pauseUntil-${index}`, until);
        await context.event('Paused', `for ${Math.round(delay / 1000)}s`);
      }
      const left = until - deps.now();
      return left <= 0
        ? next
        : wait(Math.min(left, 1000), 'paused', `paused for ${Math.ceil(left / 1000)}s more`);
    }
    case 'setWeight':
      // Intent first: after a crash here, the next start routes what the store says.
      await context.update({ weight: step.weight, step: index });
      applyTraffic(deps.provider, spec, trafficSplit(context.stable, release.name, step.weight));
      await context.event('WeightSet', `${step.weight}% of traffic on ${release.name}`);
      return next;
    case 'promote':
      return next;
  }
}

/** Starts every app's instances of the release (idempotent: a running set is reused). */
export async function startRelease(context: RolloutContext): Promise<void> {
  const { deps, spec } = context;
  const release = context.release.name;
  for (const app of spec.apps)
    await deps.provider.start({
      environment: spec.environment,
      app,
      release,
      dir: releaseAppDir(context.deps.stateDir, app, context.release.name),
      env: context.processEnv(app.name),
      signal: context.signal,
    });
}
