import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import { formatSecretsTable, scanSecrets, secretsSarif } from '../../scan/secrets/index.js';
import { getInput } from '../support/inputs.js';
import type { ActionContext, BuiltinAction } from '../types.js';

/** Scans, logs the (redacted) findings, records them with the run, and fails on findings. */
async function scanAndReport(
  ctx: ActionContext,
  options: { root: string; history: boolean; since?: string; config?: string; name: string },
): Promise<void> {
  const findings = await scanSecrets({
    root: options.root,
    history: options.history,
    ...(options.since ? { since: options.since } : {}),
    ...(options.config ? { config: options.config } : {}),
  });
  mkdirSync(ctx.reportsDir, { recursive: true });
  writeFileSync(
    path.join(ctx.reportsDir, `secrets-${options.name}.sarif`),
    `${JSON.stringify(secretsSarif(findings), null, 2)}\n`,
  );
  if (findings.length === 0) {
    ctx.log('No secrets found.');
    return;
  }
  for (const line of formatSecretsTable(findings).trimEnd().split('\n')) ctx.log(line);
  throw new GantryError(
    'GANTRY_SECRETS_FOUND',
    `${findings.length} secret${findings.length === 1 ? '' : 's'} found`,
    { hint: 'revoke them first; add a fingerprint to .gitleaksignore for a false positive' },
  );
}

/**
 * gitleaks/gitleaks-action (v2): Gantry's secret scanner over the history (the action scans
 * the commits of the push or pull request; a full-history scan is its fallback and what
 * Gantry does), honouring GITLEAKS_CONFIG and `.gitleaksignore`.
 */
export const gitleaksAction: BuiltinAction = {
  name: 'gitleaks/gitleaks-action',
  run: (ctx) =>
    scanAndReport(ctx, {
      root: ctx.workspace,
      history: true,
      name: 'gitleaks',
      ...(ctx.env['GITLEAKS_CONFIG']
        ? { config: path.resolve(ctx.workspace, ctx.env['GITLEAKS_CONFIG']) }
        : {}),
    }),
};

/**
 * trufflesecurity/trufflehog (v3): `path` scanned with Gantry's secret scanner; with `base`,
 * only the commits after it (the action's `--since-commit`), else the whole history. Like the
 * action run with `--fail`, findings fail the step.
 */
export const trufflehogAction: BuiltinAction = {
  name: 'trufflesecurity/trufflehog',
  defaults: { path: './', base: '', head: '', extra_args: '' },
  run(ctx) {
    const base = getInput(ctx, 'base');
    return scanAndReport(ctx, {
      root: path.resolve(ctx.workspace, getInput(ctx, 'path') || '.'),
      history: true,
      name: 'trufflehog',
      ...(base ? { since: base } : {}),
    });
  },
};
