import { GantryError } from '../errors/index.js';

/** One `on.workflow_dispatch.inputs.<id>` definition. */
export interface DispatchInputDefinition {
  type?: string;
  required?: boolean;
  default?: unknown;
  options?: string[];
  description?: string;
}

const TYPES = ['string', 'boolean', 'number', 'choice', 'environment'];

/**
 * Turns `--input name=value` strings into the typed `inputs` context of a workflow_dispatch
 * run, as GitHub does (https://docs.github.com/en/actions/reference/workflows-and-actions/workflow-syntax#onworkflow_dispatchinputs):
 *
 * - `boolean` inputs become true/false, `number` inputs numbers, `choice` inputs must be one of
 *   `options`, `environment` and `string` (the default type) stay strings;
 * - an input that is not given takes its `default`; a required input without a value is an error;
 * - an input the workflow does not define is an error, as GitHub rejects unexpected inputs.
 *
 * An optional input with neither a value nor a default is left out, so `inputs.<id>` reads as null.
 * (`github.event.inputs` keeps every value as a string; that payload is built by the caller.)
 */
export function coerceDispatchInputs(
  definitions: Record<string, DispatchInputDefinition> | undefined,
  given: Record<string, string>,
): Record<string, string | boolean | number> {
  const defs = definitions ?? {};
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(defs, name));
  if (unknown.length > 0) {
    const known = Object.keys(defs);
    throw new GantryError(
      'GANTRY_INPUT_INVALID',
      `Unexpected input(s) ${unknown.map((n) => `'${n}'`).join(', ')}`,
      {
        hint: known.length
          ? `This workflow's workflow_dispatch defines: ${known.join(', ')}.`
          : 'This workflow defines no workflow_dispatch inputs.',
      },
    );
  }

  const result: Record<string, string | boolean | number> = {};
  for (const [name, def] of Object.entries(defs)) {
    const type = def.type ?? 'string';
    if (!TYPES.includes(type)) {
      throw new GantryError('GANTRY_INPUT_INVALID', `Input '${name}' has unknown type '${type}'`, {
        hint: `workflow_dispatch input types are ${TYPES.join(', ')}.`,
      });
    }
    const raw = Object.hasOwn(given, name) ? given[name] : def.default;
    if (raw === undefined || raw === null) {
      if (def.required) {
        throw new GantryError('GANTRY_INPUT_INVALID', `Required input '${name}' not provided`, {
          hint: `Pass it with --input ${name}=<value>.`,
        });
      }
      continue;
    }
    result[name] = coerce(name, type, raw, def.options);
  }
  return result;
}

function coerce(
  name: string,
  type: string,
  raw: unknown,
  options: string[] | undefined,
): string | boolean | number {
  const text = String(raw);
  switch (type) {
    case 'boolean': {
      const lower = text.trim().toLowerCase();
      if (lower === 'true' || lower === 'false') return lower === 'true';
      throw invalid(name, text, 'a boolean: true or false');
    }
    case 'number': {
      const value = typeof raw === 'number' ? raw : text.trim() === '' ? Number.NaN : Number(text);
      if (Number.isFinite(value)) return value;
      throw invalid(name, text, 'a number');
    }
    case 'choice':
      if (options?.includes(text)) return text;
      throw invalid(name, text, `one of: ${(options ?? []).join(', ')}`);
    default:
      return text;
  }
}

function invalid(name: string, value: string, expected: string): GantryError {
  return new GantryError(
    'GANTRY_INPUT_INVALID',
    `Input '${name}' must be ${expected}; got '${value}'`,
  );
}
