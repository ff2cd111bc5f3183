import type { RolloutContext } from './context.js';

/**
 * Seed 002's expand -> migrate -> contract: a release's contract step is pending once it is
 * stable, until `gantry migrate contract` runs it. A release that would leave a contract
 * pending for more than `pendingLimit` releases is warned about or blocked, per app.
 */
export async function contractPolicy(
  context: RolloutContext,
): Promise<{ block?: string; warnings: string[] }> {
  const { store } = context.deps;
  const env = context.spec.environment;
  const pending = await store.contracts(env);
  if (pending.length === 0) return { warnings: [] };
  const succeeded = (await store.deployments({ environment: env, limit: 1000 })).filter(
    (d) => d.status === 'succeeded',
  );
  const warnings: string[] = [];
  for (const app of context.spec.apps) {
    const migrations = app.migrations;
    if (!migrations) continue;
    for (const contract of pending.filter((c) => c.app === app.name)) {
      // Releases since the one that brought the contract, this one included.
      const since = succeeded.filter((d) => d.id > contract.deploymentId).length + 1;
      if (since <= migrations.pendingLimit) continue;
      const message = `${app.name}: the contract migration of ${contract.release} would stay pending for ${since} releases (limit ${migrations.pendingLimit}); run \`gantry migrate contract --env ${env} --app ${app.name}\``;
      if (migrations.policy === 'block') return { block: message, warnings };
      warnings.push(message);
    }
  }
  return { warnings };
}

/** After promotion: the release's contract steps become pending (once per deployment). */
export async function recordPendingContracts(context: RolloutContext): Promise<void> {
  const { store } = context.deps;
  const env = context.spec.environment;
  const existing = await store.contracts(env, { includeApplied: true });
  for (const app of context.spec.apps) {
    if (!app.migrations?.contract) continue;
    if (existing.some((c) => c.deploymentId === context.id && c.app === app.name)) continue;
    await store.addPendingContract({
      environment: env,
      app: app.name,
      release: context.release.name,
      deploymentId: context.id,
    });
    await context.event(
      'ContractPending',
      `${app.name}: \`${app.migrations.contract}\` is pending until gantry migrate contract --env ${env}`,
    );
  }
}
