// Contract tests: the schemas compile, the golden examples are valid (and consistent), and
// every invalid example is rejected for the reason it was written for.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  createAjv,
  createValidator,
  eventSchemaName,
  formatErrors,
  loadSchemas,
} from '../lib/schemas.mjs';

const examplesDir = fileURLToPath(new URL('../examples/', import.meta.url));
const invalidDir = fileURLToPath(new URL('../examples/invalid/', import.meta.url));
const expectations = JSON.parse(
  readFileSync(new URL('./invalid-expectations.json', import.meta.url), 'utf8'),
);

const jsonFiles = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
const read = (dir, file) => JSON.parse(readFileSync(`${dir}${file}`, 'utf8'));
/** `order.created.v1--multi-item.json` → `order.created.v1`. */
const schemaOfFile = (file) => file.replace(/\.json$/, '').split('--')[0];

const schemas = loadSchemas();
const validator = createValidator(schemas);

describe('schemas', () => {
  it('are the two order events', () => {
    assert.deepEqual([...schemas.keys()], ['order.created.v1', 'order.status_changed.v1']);
  });

  for (const [name, schema] of schemas) {
    it(`${name} is valid draft 2020-12 and compiles in strict mode`, () => {
      const ajv = createAjv();
      assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
      assert.ok(ajv.validateSchema(schema), JSON.stringify(ajv.errors));
      ajv.compile(schema);
    });

    it(`${name} is named after the type and version it pins`, () => {
      const [type, version] = [schema.properties.type.const, schema.properties.version.const];
      assert.equal(`${type}.v${version}`, name);
      assert.ok(schema.$id.endsWith(`/${name}.json`));
      assert.deepEqual(schema.required, ['type', 'version', 'id', 'occurred_at', 'data']);
      assert.equal(schema.additionalProperties, false);
      assert.equal(schema.properties.data.additionalProperties, false);
    });
  }

  it('share one status enum', () => {
    const statuses = [...schemas.values()].map((s) => s.$defs.status.enum);
    for (const values of statuses)
      assert.deepEqual(values, ['pending', 'paid', 'shipped', 'cancelled']);
  });
});

describe('golden examples', () => {
  const files = jsonFiles(examplesDir);

  it('cover every schema', () => {
    const covered = new Set(files.map(schemaOfFile));
    for (const name of schemas.keys()) assert.ok(covered.has(name), `no example for ${name}`);
  });

  for (const file of files) {
    it(`${file} is valid`, () => {
      const event = read(examplesDir, file);
      assert.equal(eventSchemaName(event), schemaOfFile(file), 'file name and type/version agree');
      const result = validator.validate(event);
      assert.ok(result.valid, formatErrors(result.errors).join('\n'));
    });
  }

  it('order.created totals are the sum of the items', () => {
    for (const file of files.filter((f) => schemaOfFile(f) === 'order.created.v1')) {
      const { data } = read(examplesDir, file);
      const sum = data.items.reduce((s, i) => s + i.quantity * i.unit_price_cents, 0);
      assert.equal(data.total_cents, sum, file);
    }
  });

  it('order.status_changed always changes the status', () => {
    for (const file of files.filter((f) => schemaOfFile(f) === 'order.status_changed.v1')) {
      const { data } = read(examplesDir, file);
      assert.notEqual(data.from, data.to, file);
    }
  });
});

describe('invalid examples (breaking changes a producer could make)', () => {
  const files = jsonFiles(invalidDir);

  it('each has a documented reason, and each reason has a file', () => {
    const documented = Object.keys(expectations).filter((k) => !k.startsWith('$'));
    assert.deepEqual(documented.sort(), files);
  });

  for (const file of files) {
    it(`${file} is rejected`, () => {
      // Validate against the schema the file name names, even if the event claims another.
      const result = validator.validate(read(invalidDir, file), schemaOfFile(file));
      assert.equal(result.valid, false, `${file} should be invalid`);
      const expected = expectations[file];
      const match = result.errors.find(
        (e) => e.keyword === expected.keyword && e.instancePath === expected.instancePath,
      );
      assert.ok(
        match,
        `expected ${expected.keyword} at "${expected.instancePath}", got:\n${formatErrors(result.errors).join('\n')}`,
      );
    });
  }
});

describe('validator', () => {
  it('picks the schema from type and version', () => {
    assert.equal(eventSchemaName({ type: 'order.created', version: 1 }), 'order.created.v1');
    assert.equal(eventSchemaName({ type: 'order.created' }), undefined);
    assert.equal(eventSchemaName(null), undefined);
  });

  it('rejects events of unknown type or version', () => {
    const result = validator.validate({ type: 'order.created', version: 9 });
    assert.equal(result.valid, false);
    assert.match(formatErrors(result.errors)[0], /no schema for order\.created\.v9/);
    assert.match(formatErrors(validator.validate(42).errors)[0], /without type\/version/);
  });

  it('formats errors with their path and details', () => {
    const event = read(invalidDir, 'order.created.v1--unknown-status.json');
    assert.deepEqual(formatErrors(validator.validate(event).errors), [
      '/data/status: must be equal to one of the allowed values (pending, paid, shipped, cancelled)',
    ]);
    const extra = read(invalidDir, 'order.created.v1--extra-field.json');
    assert.deepEqual(formatErrors(validator.validate(extra).errors), [
      '/data: must NOT have additional properties (discount_cents)',
    ]);
  });
});

describe('validate.mjs (command line)', () => {
  const script = fileURLToPath(new URL('../validate.mjs', import.meta.url));
  const run = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  it('accepts the golden examples', () => {
    const result = run(examplesDir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^4\/4 events valid/);
  });

  it('rejects the invalid examples with their paths', () => {
    const result = run(`${invalidDir}order.created.v1--zero-quantity.json`);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /\/data\/items\/0\/quantity: must be >= 1/);
  });

  it('reads NDJSON and arrays', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'contracts-validate-'));
    try {
      const a = read(examplesDir, 'order.created.v1.json');
      const b = read(examplesDir, 'order.status_changed.v1.json');
      writeFileSync(
        path.join(dir, 'events.ndjson'),
        `${JSON.stringify(a)}\n\n${JSON.stringify(b)}\n`,
      );
      writeFileSync(path.join(dir, 'events.json'), JSON.stringify([a, b, { type: 'x' }]));
      const result = run(dir);
      assert.equal(result.status, 1);
      assert.match(result.stdout, /4\/5 events valid/);
      assert.match(result.stderr, /events\.json#2 \(unknown\)/);
      writeFileSync(path.join(dir, 'bad.ndjson'), '{"a":1}\nnot json\n');
      const bad = run(path.join(dir, 'bad.ndjson'));
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /^validate: .*bad\.ndjson:2: not JSON/);
      assert.equal(run(path.join(dir, 'missing.json')).status, 2);
      assert.equal(run().status, 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
