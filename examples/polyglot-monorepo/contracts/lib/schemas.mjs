// Loading the contract schemas and validating events against them (Ajv, JSON Schema 2020-12).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export const SCHEMAS_DIR = fileURLToPath(new URL('../schemas/', import.meta.url));

/** `order.created.v1.json` → `order.created.v1`; the name is also `${type}.v${version}`. */
export function schemaName(file) {
  return path.basename(file).replace(/\.json$/, '');
}

/** Reads every `*.json` of a directory into a Map of schema name → parsed schema. */
export function loadSchemas(dir = SCHEMAS_DIR) {
  const schemas = new Map();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const full = path.join(dir, file);
    try {
      schemas.set(schemaName(file), JSON.parse(readFileSync(full, 'utf8')));
    } catch (error) {
      throw new Error(`${full}: not valid JSON: ${error.message}`);
    }
  }
  return schemas;
}

/** Ajv in strict mode with the `uuid` and `date-time` formats (RFC 3339, offset required). */
export function createAjv() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

/**
 * A validator over a set of schemas: `validate(event)` picks the schema from the event's own
 * `type` and `version` (`order.created` + 1 → `order.created.v1`), or from `name` if given.
 */
export function createValidator(schemas = loadSchemas()) {
  const ajv = createAjv();
  const compiled = new Map();
  for (const [name, schema] of schemas) compiled.set(name, ajv.compile(schema));
  return {
    names: [...compiled.keys()],
    validate(event, name = eventSchemaName(event)) {
      const check = name === undefined ? undefined : compiled.get(name);
      if (!check) {
        return {
          valid: false,
          schema: name,
          errors: [
            {
              instancePath: '',
              keyword: 'schema',
              message: `no schema for ${name ?? 'an event without type/version'}`,
            },
          ],
        };
      }
      const valid = check(event);
      return { valid, schema: name, errors: valid ? [] : [...check.errors] };
    },
  };
}

/** The schema name an event claims: `${type}.v${version}`, or undefined. */
export function eventSchemaName(event) {
  if (typeof event !== 'object' || event === null) return undefined;
  const { type, version } = event;
  if (typeof type !== 'string' || !Number.isInteger(version)) return undefined;
  return `${type}.v${version}`;
}

/** One line per Ajv error: `/data/items/0/quantity: must be integer`. */
export function formatErrors(errors) {
  return errors.map((error) => {
    const where = error.instancePath || '/';
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${error.params.additionalProperty})`
        : error.keyword === 'enum'
          ? ` (${error.params.allowedValues.join(', ')})`
          : '';
    return `${where}: ${error.message}${extra}`;
  });
}
