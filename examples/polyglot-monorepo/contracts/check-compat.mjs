#!/usr/bin/env node
// Compatibility check of event schemas: `node check-compat.mjs <old-dir> <new-dir>`.
//
// Every schema in <old-dir> is compared with the file of the same name in <new-dir>. The rule
// is the one event consumers and stored events need: an event valid under the old schema must
// stay valid under the new one, and every field consumers could rely on must stay required.
//
//   BREAKING  a schema file removed
//             a required field removed or made optional
//             a newly required field (old events lack it)
//             a narrowed type (number → integer, string|null → string), enum or const
//             a tightened bound (minimum, maxLength, minItems, ...), an added/changed
//             format or pattern, additionalProperties turned false, an optional field
//             removed where additionalProperties is false
//             a changed composition (allOf/anyOf/oneOf/not/if/...) it cannot prove safe
//   fine      an added optional field, a widened type or enum, a relaxed bound, a new schema
//
// Exit 0 when compatible, 1 when something is breaking, 2 on a usage or input error.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'title',
  'description',
  'examples',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const OPAQUE = [
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'then',
  'else',
  'prefixItems',
  'contains',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'dependentSchemas',
  'unevaluatedProperties',
  'unevaluatedItems',
];
const ALL_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** Resolves a local `$ref` (`#/$defs/status`) against its root schema. */
function resolvePointer(root, ref) {
  if (!ref.startsWith('#')) throw new Error(`only local $ref is supported, got ${ref}`);
  const parts = ref
    .slice(1)
    .split('/')
    .filter((part) => part !== '')
    .map((part) => decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~'));
  let node = root;
  for (const part of parts) {
    if (node === null || typeof node !== 'object' || !(part in node)) {
      throw new Error(`$ref ${ref} does not resolve`);
    }
    node = node[part];
  }
  return node;
}

/** A schema with its `$ref`s followed (siblings of `$ref` are kept, 2020-12 style). */
function deref(root, node, seen = new Set()) {
  if (typeof node === 'boolean') return node ? {} : { not: {} };
  if (node === null || typeof node !== 'object') return {};
  if (typeof node.$ref !== 'string') return node;
  if (seen.has(node.$ref)) throw new Error(`$ref cycle at ${node.$ref}`);
  seen.add(node.$ref);
  const { $ref, ...siblings } = node;
  const target = deref(root, resolvePointer(root, $ref), seen);
  return { ...target, ...siblings };
}

function typesOf(schema) {
  if (schema.type === undefined) return undefined;
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

function typeAllows(types, type) {
  return types.includes(type) || (type === 'integer' && types.includes('number'));
}

function typeOfValue(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

/** The finite set of values a schema allows, when it has `const` or `enum`. */
function allowedValues(schema) {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const show = (value) => JSON.stringify(value);
const list = (values) => values.map(show).join(', ');

/**
 * Compares two versions of one schema. Returns `{ breaking, changes }`: lists of
 * `{ path, message }`, `path` naming the instance location (`data.items[].quantity`).
 */
export function compareSchemas(oldRoot, newRoot) {
  const breaking = [];
  const changes = [];
  const visited = new Set();

  function walk(oldNode, newNode, at) {
    const key = `${at}\u0000${show(oldNode)}\u0000${show(newNode)}`;
    if (visited.has(key)) return;
    visited.add(key);
    const o = deref(oldRoot, oldNode);
    const n = deref(newRoot, newNode);
    const where = at || '(event)';
    const bad = (message) => breaking.push({ path: where, message });
    const fine = (message) => changes.push({ path: where, message });

    // Values: const and enum.
    const oldValues = allowedValues(o);
    const newValues = allowedValues(n);
    if (newValues) {
      if (!oldValues) {
        bad(`values restricted to ${list(newValues)} (any value was allowed before)`);
      } else {
        const removed = oldValues.filter((v) => !newValues.some((w) => same(v, w)));
        const added = newValues.filter((v) => !oldValues.some((w) => same(v, w)));
        if (removed.length > 0) bad(`value(s) no longer allowed: ${list(removed)}`);
        if (added.length > 0) fine(`value(s) added: ${list(added)}`);
      }
    } else if (oldValues) {
      fine('enum/const removed (any value allowed now)');
    }

    // Types.
    const oldTypes = typesOf(o);
    const newTypes = typesOf(n);
    if (newTypes) {
      const before = oldTypes ?? (oldValues ? [...new Set(oldValues.map(typeOfValue))] : ALL_TYPES);
      const lost = before.filter((t) => !typeAllows(newTypes, t));
      if (lost.length > 0) {
        bad(`type narrowed from ${before.join('|')} to ${newTypes.join('|')}`);
      } else if (oldTypes && !same([...oldTypes].sort(), [...newTypes].sort())) {
        fine(`type widened from ${oldTypes.join('|')} to ${newTypes.join('|')}`);
      }
    } else if (oldTypes) {
      fine(`type constraint ${oldTypes.join('|')} removed`);
    }

    // Bounds and string rules.
    for (const bound of LOWER_BOUNDS) {
      if (n[bound] !== undefined && (o[bound] === undefined || n[bound] > o[bound])) {
        bad(`${bound} tightened from ${o[bound] ?? 'none'} to ${n[bound]}`);
      } else if (o[bound] !== undefined && (n[bound] === undefined || n[bound] < o[bound])) {
        fine(`${bound} relaxed from ${o[bound]} to ${n[bound] ?? 'none'}`);
      }
    }
    for (const bound of UPPER_BOUNDS) {
      if (n[bound] !== undefined && (o[bound] === undefined || n[bound] < o[bound])) {
        bad(`${bound} tightened from ${o[bound] ?? 'none'} to ${n[bound]}`);
      } else if (o[bound] !== undefined && (n[bound] === undefined || n[bound] > o[bound])) {
        fine(`${bound} relaxed from ${o[bound]} to ${n[bound] ?? 'none'}`);
      }
    }
    if (
      n.multipleOf !== undefined &&
      (o.multipleOf === undefined || o.multipleOf % n.multipleOf !== 0)
    ) {
      bad(`multipleOf changed from ${o.multipleOf ?? 'none'} to ${n.multipleOf}`);
    }
    for (const rule of ['format', 'pattern']) {
      if (n[rule] !== undefined && n[rule] !== o[rule]) {
        bad(
          `${rule} ${o[rule] === undefined ? 'added' : `changed from ${show(o[rule])}`}: ${show(n[rule])}`,
        );
      } else if (o[rule] !== undefined && n[rule] === undefined) {
        fine(`${rule} ${show(o[rule])} removed`);
      }
    }
    if (n.uniqueItems === true && o.uniqueItems !== true) bad('uniqueItems added');

    // Compositions are compared as a whole: equal is fine, anything else is not provable here.
    for (const keyword of OPAQUE) {
      if (!same(o[keyword], n[keyword])) {
        bad(`${keyword} changed; cannot prove the change compatible, review it by hand`);
      }
    }

    // Objects: required fields, properties, additionalProperties.
    const oldRequired = new Set(o.required ?? []);
    const newRequired = new Set(n.required ?? []);
    const oldProps = o.properties ?? {};
    const newProps = n.properties ?? {};
    const child = (name) => (at ? `${at}.${name}` : name);
    for (const name of oldRequired) {
      if (!newRequired.has(name)) {
        breaking.push({
          path: child(name),
          message:
            name in newProps
              ? 'required field made optional (consumers rely on it)'
              : 'required field removed (consumers rely on it)',
        });
      }
    }
    for (const name of newRequired) {
      if (!oldRequired.has(name)) {
        breaking.push({
          path: child(name),
          message:
            name in oldProps
              ? 'optional field became required (old events may lack it)'
              : 'newly required field (old events lack it)',
        });
      }
    }
    for (const [name, schema] of Object.entries(oldProps)) {
      if (name in newProps) {
        walk(schema, newProps[name], child(name));
      } else if (!oldRequired.has(name)) {
        if (n.additionalProperties === false) {
          breaking.push({
            path: child(name),
            message:
              'optional field removed while additionalProperties is false (old events that have it are rejected)',
          });
        } else {
          changes.push({ path: child(name), message: 'optional field removed' });
        }
      }
    }
    for (const name of Object.keys(newProps)) {
      if (!(name in oldProps) && !newRequired.has(name)) {
        changes.push({ path: child(name), message: 'optional field added' });
      }
    }
    const oldAdditional = o.additionalProperties;
    const newAdditional = n.additionalProperties;
    if (newAdditional === false && oldAdditional !== false) {
      bad('additionalProperties set to false (unknown fields were allowed before)');
    } else if (oldAdditional === false && newAdditional !== false) {
      fine('additionalProperties no longer false');
    } else if (typeof oldAdditional === 'object' && typeof newAdditional === 'object') {
      walk(oldAdditional, newAdditional, child('*'));
    } else if (
      newAdditional !== undefined &&
      typeof newAdditional === 'object' &&
      oldAdditional === undefined
    ) {
      walk({}, newAdditional, child('*'));
    }

    // Arrays.
    if (o.items !== undefined || n.items !== undefined) {
      walk(o.items ?? {}, n.items ?? {}, `${at}[]`);
    }
  }

  walk(oldRoot, newRoot, '');
  return { breaking, changes };
}

function readSchemas(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`not a directory: ${dir}`);
  }
  const schemas = new Map();
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const full = path.join(dir, file);
    try {
      schemas.set(file, JSON.parse(readFileSync(full, 'utf8')));
    } catch (error) {
      throw new UsageError(`${full}: not valid JSON (${error.message})`);
    }
  }
  return schemas;
}

class UsageError extends Error {}

/**
 * Compares every schema of two directories. Returns per-file results and the totals; a file
 * only in the old directory is breaking, a file only in the new one is a new schema.
 */
export function compareDirectories(oldDir, newDir) {
  const before = readSchemas(oldDir);
  const after = readSchemas(newDir);
  const files = [];
  for (const [file, oldSchema] of before) {
    if (!after.has(file)) {
      files.push({
        file,
        breaking: [{ path: '(schema)', message: `schema removed (${file} is not in ${newDir})` }],
        changes: [],
      });
      continue;
    }
    try {
      files.push({ file, ...compareSchemas(oldSchema, after.get(file)) });
    } catch (error) {
      throw new UsageError(`${file}: ${error.message}`);
    }
  }
  for (const file of after.keys()) {
    if (!before.has(file)) {
      files.push({ file, breaking: [], changes: [{ path: '(schema)', message: 'new schema' }] });
    }
  }
  const breaking = files.reduce((sum, f) => sum + f.breaking.length, 0);
  return { files, breaking };
}

/** The human report of `compareDirectories`. */
export function formatReport(result) {
  const lines = [];
  for (const { file, breaking, changes } of result.files) {
    if (breaking.length === 0 && changes.length === 0) {
      lines.push(`${file}: unchanged`);
      continue;
    }
    lines.push(`${file}:`);
    for (const { path: at, message } of breaking) lines.push(`  BREAKING  ${at}: ${message}`);
    for (const { path: at, message } of changes) lines.push(`  ok        ${at}: ${message}`);
  }
  const broken = result.files.filter((f) => f.breaking.length > 0).length;
  lines.push(
    result.breaking === 0
      ? 'compatible: no breaking changes'
      : `BREAKING: ${result.breaking} breaking change(s) in ${broken} schema(s); publish a new version (e.g. .v2.json) instead of changing this one`,
  );
  return lines.join('\n');
}

export function main(argv) {
  const [oldDir, newDir, ...rest] = argv;
  if (!oldDir || !newDir || rest.length > 0) {
    console.error('usage: node check-compat.mjs <old-schemas-dir> <new-schemas-dir>');
    return 2;
  }
  let result;
  try {
    result = compareDirectories(oldDir, newDir);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`check-compat: ${error.message}`);
    return 2;
  }
  const report = formatReport(result);
  if (result.breaking > 0) console.error(report);
  else console.log(report);
  return result.breaking > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
