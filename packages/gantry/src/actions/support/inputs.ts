import os from 'node:os';
import path from 'node:path';
import { GantryError } from '../../errors/index.js';
import type { ActionContext } from '../types.js';

/**
 * Input readers with the semantics of `@actions/core`, which every real action uses:
 * values are trimmed, booleans follow the YAML 1.2 core schema, lists are one item a line.
 */

/** A trimmed input; empty when not given. */
export function getInput(ctx: ActionContext, name: string): string {
  return (ctx.inputs[name.toLowerCase()] ?? '').trim();
}

/** A trimmed input that must be non-empty, as `core.getInput(name, { required: true })`. */
export function getRequiredInput(ctx: ActionContext, name: string): string {
  const value = getInput(ctx, name);
  if (value === '') {
    throw new GantryError(
      'GANTRY_ACTION_INPUT_MISSING',
      `Input required and not supplied: ${name}`,
      {
        hint: `Add \`${name}:\` under \`with:\` of the \`${ctx.uses}\` step.`,
      },
    );
  }
  return value;
}

/** `core.getBooleanInput`: only true/True/TRUE and false/False/FALSE are accepted; empty is `fallback`. */
export function getBooleanInput(ctx: ActionContext, name: string, fallback = false): boolean {
  const value = getInput(ctx, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new GantryError(
    'GANTRY_CONFIG_INVALID',
    `Input does not meet YAML 1.2 "Core Schema" specification: ${name}`,
    { hint: `Support boolean input list: \`true | True | TRUE | false | False | FALSE\`` },
  );
}

/** `core.getMultilineInput`: one item a line, trimmed, blank lines dropped. */
export function getMultilineInput(ctx: ActionContext, name: string): string[] {
  return (ctx.inputs[name.toLowerCase()] ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The home directory of the step's environment (HOME may be overridden by the workflow). */
export function homeDir(ctx: ActionContext): string {
  return ctx.env['HOME'] || os.homedir();
}

/** Expands a leading `~` and resolves the result against the workspace, like the real actions. */
export function resolveUserPath(ctx: ActionContext, value: string): string {
  const expanded =
    value === '~' || value.startsWith('~/') ? path.join(homeDir(ctx), value.slice(1)) : value;
  return path.resolve(ctx.workspace, expanded);
}

/** Logs a line the way `core.debug` does: only when step debug logging is on. */
export function debug(ctx: ActionContext, message: string): void {
  if (ctx.env['RUNNER_DEBUG'] === '1' || ctx.env['ACTIONS_STEP_DEBUG'] === 'true')
    ctx.log(`##[debug]${message}`);
}
