// Tests of check-compat.mjs: each kind of change on a copy of the schemas as they were when
// the checker was written (test/fixtures/schemas: the live ones evolve, and a breaking edit to
// them must fail the compat check, not these tests), through the function and through the
// command line (exit codes and messages).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compareDirectories, compareSchemas, formatReport } from '../check-compat.mjs';

const schemasDir = fileURLToPath(new URL('./fixtures/schemas/', import.meta.url));
const script = fileURLToPath(new URL('../check-compat.mjs', import.meta.url));
const load = (name) => JSON.parse(readFileSync(path.join(schemasDir, `${name}.json`), 'utf8'));
const created = () => load('order.created.v1');
const changed = () => load('order.status_changed.v1');

/** The breaking messages as `path: message`, for compact assertions. */
function breakingOf(oldSchema, newSchema) {
  return compareSchemas(oldSchema, newSchema).breaking.map((b) => `${b.path}: ${b.message}`);
}

describe('compareSchemas', () => {
  it('finds nothing between a schema and itself', () => {
    assert.deepEqual(compareSchemas(created(), created()), { breaking: [], changes: [] });
    assert.deepEqual(compareSchemas(changed(), changed()), { breaking: [], changes: [] });
  });

  it('ignores descriptions and titles', () => {
    const next = created();
    next.description = 'reworded';
    next.properties.data.properties.customer.title = 'Customer';
    assert.deepEqual(compareSchemas(created(), next), { breaking: [], changes: [] });
  });

  it('accepts an added optional field', () => {
    const next = created();
    next.properties.data.properties.note = { type: 'string', maxLength: 500 };
    const result = compareSchemas(created(), next);
    assert.deepEqual(result.breaking, []);
    assert.deepEqual(result.changes, [{ path: 'data.note', message: 'optional field added' }]);
  });

  it('breaks on a removed required field', () => {
    const next = created();
    delete next.properties.data.properties.customer;
    next.properties.data.required = next.properties.data.required.filter((f) => f !== 'customer');
    assert.deepEqual(breakingOf(created(), next), [
      'data.customer: required field removed (consumers rely on it)',
    ]);
  });

  it('breaks on a required field made optional', () => {
    const next = changed();
    next.properties.data.required = ['order_id', 'to'];
    assert.deepEqual(breakingOf(changed(), next), [
      'data.from: required field made optional (consumers rely on it)',
    ]);
  });

  it('breaks on a newly required field, new or formerly optional', () => {
    const next = created();
    next.properties.data.properties.currency = { type: 'string' };
    next.properties.data.required.push('currency');
    assert.deepEqual(breakingOf(created(), next), [
      'data.currency: newly required field (old events lack it)',
    ]);

    const base = created();
    base.properties.data.properties.note = { type: 'string' };
    const stricter = structuredClone(base);
    stricter.properties.data.required.push('note');
    assert.deepEqual(breakingOf(base, stricter), [
      'data.note: optional field became required (old events may lack it)',
    ]);
  });

  it('breaks on a narrowed type, accepts a widened one', () => {
    const next = created();
    next.properties.data.properties.customer.type = 'integer';
    assert.deepEqual(breakingOf(created(), next), [
      'data.customer: type narrowed from string to integer',
    ]);

    const number = created();
    number.properties.data.properties.total_cents.type = 'number';
    assert.deepEqual(breakingOf(created(), number), []);
    assert.deepEqual(breakingOf(number, created()), [
      'data.total_cents: type narrowed from number to integer',
    ]);

    const nullable = created();
    nullable.properties.data.properties.customer.type = ['string', 'null'];
    const result = compareSchemas(created(), nullable);
    assert.deepEqual(result.breaking, []);
    assert.deepEqual(result.changes, [
      { path: 'data.customer', message: 'type widened from string to string|null' },
    ]);
    assert.deepEqual(breakingOf(nullable, created()), [
      'data.customer: type narrowed from string|null to string',
    ]);
  });

  it('breaks on a narrowed enum behind a $ref, accepts a widened one', () => {
    const next = changed();
    next.$defs.status.enum = ['pending', 'paid', 'shipped'];
    assert.deepEqual(breakingOf(changed(), next), [
      'data.from: value(s) no longer allowed: "cancelled"',
      'data.to: value(s) no longer allowed: "cancelled"',
    ]);

    const wider = created();
    wider.$defs.status.enum.push('refunded');
    const result = compareSchemas(created(), wider);
    assert.deepEqual(result.breaking, []);
    assert.deepEqual(result.changes, [
      { path: 'data.status', message: 'value(s) added: "refunded"' },
    ]);
  });

  it('breaks on a changed const (type or version)', () => {
    const next = created();
    next.properties.version.const = 2;
    assert.deepEqual(breakingOf(created(), next), ['version: value(s) no longer allowed: 1']);
  });

  it('breaks on an enum added where any value was allowed', () => {
    const next = created();
    next.$defs.item.properties.sku.enum = ['BOOK-1'];
    assert.deepEqual(breakingOf(created(), next), [
      'data.items[].sku: values restricted to "BOOK-1" (any value was allowed before)',
    ]);
  });

  it('breaks on tightened bounds, accepts relaxed ones', () => {
    const next = created();
    next.properties.data.properties.customer.maxLength = 100;
    next.properties.data.properties.items.minItems = 2;
    next.$defs.item.properties.quantity.maximum = 99;
    assert.deepEqual(breakingOf(created(), next), [
      'data.customer: maxLength tightened from 200 to 100',
      'data.items: minItems tightened from 1 to 2',
      'data.items[].quantity: maximum tightened from none to 99',
    ]);

    const relaxed = created();
    relaxed.properties.data.properties.customer.maxLength = 500;
    relaxed.$defs.item.properties.quantity.minimum = 0;
    const result = compareSchemas(created(), relaxed);
    assert.deepEqual(result.breaking, []);
    assert.deepEqual(
      result.changes.map((c) => c.message),
      ['maxLength relaxed from 200 to 500', 'minimum relaxed from 1 to 0'],
    );
  });

  it('breaks on added or changed formats and patterns', () => {
    const next = created();
    next.$defs.item.properties.sku.pattern = '^[A-Z0-9-]+$';
    next.properties.occurred_at.format = 'date';
    assert.deepEqual(breakingOf(created(), next), [
      'occurred_at: format changed from "date-time": "date"',
      'data.items[].sku: pattern added: "^[A-Z0-9-]+$"',
    ]);
  });

  it('breaks on additionalProperties turned false and on removing an optional field then', () => {
    const open = created();
    delete open.properties.data.additionalProperties;
    assert.deepEqual(breakingOf(open, created()), [
      'data: additionalProperties set to false (unknown fields were allowed before)',
    ]);

    const withNote = created();
    withNote.properties.data.properties.note = { type: 'string' };
    assert.deepEqual(breakingOf(withNote, created()), [
      'data.note: optional field removed while additionalProperties is false (old events that have it are rejected)',
    ]);
    delete withNote.properties.data.additionalProperties;
    const withoutNote = structuredClone(withNote);
    delete withoutNote.properties.data.properties.note;
    assert.deepEqual(compareSchemas(withNote, withoutNote), {
      breaking: [],
      changes: [{ path: 'data.note', message: 'optional field removed' }],
    });
  });

  it('is conservative about compositions it cannot prove', () => {
    const next = created();
    next.properties.data.properties.status = {
      oneOf: [{ $ref: '#/$defs/status' }, { type: 'null' }],
    };
    const messages = breakingOf(created(), next);
    assert.ok(
      messages.some((m) => m.startsWith('data.status: oneOf changed')),
      messages.join('\n'),
    );
  });

  it('reports a broken $ref instead of guessing', () => {
    const next = created();
    next.properties.data.properties.status = { $ref: '#/$defs/missing' };
    assert.throws(
      () => compareSchemas(created(), next),
      /\$ref #\/\$defs\/missing does not resolve/,
    );
  });
});

describe('check-compat.mjs (command line)', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'contracts-compat-'));
  after(() => rmSync(work, { recursive: true, force: true }));
  let counter = 0;

  /** A copy of the schemas with `edit(name → schema)` applied; returns its directory. */
  function variant(edit = () => {}) {
    const dir = path.join(work, `v${++counter}`);
    cpSync(schemasDir, dir, { recursive: true });
    edit({
      read: (name) => JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')),
      write: (name, schema) =>
        writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(schema)),
      remove: (name) => rmSync(path.join(dir, `${name}.json`)),
    });
    return dir;
  }
  const run = (...args) => spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });

  it('exits 0 for identical schemas', () => {
    const result = run(variant(), schemasDir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /compatible: no breaking changes/);
  });

  it('exits 0 and lists an added optional field', () => {
    const next = variant(({ read, write }) => {
      const schema = read('order.created.v1');
      schema.properties.data.properties.coupon = { type: 'string' };
      write('order.created.v1', schema);
    });
    const result = run(schemasDir, next);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /ok {8}data\.coupon: optional field added/);
  });

  it('exits 1 with a clear message on a breaking change', () => {
    const next = variant(({ read, write }) => {
      const schema = read('order.created.v1');
      schema.properties.data.required = schema.properties.data.required.filter(
        (f) => f !== 'total_cents',
      );
      write('order.created.v1', schema);
    });
    const result = run(schemasDir, next);
    assert.equal(result.status, 1);
    assert.match(
      result.stderr,
      /order\.created\.v1\.json:\n {2}BREAKING {2}data\.total_cents: required field made optional/,
    );
    assert.match(result.stderr, /BREAKING: 1 breaking change\(s\) in 1 schema\(s\)/);
  });

  it('exits 1 when a schema disappears, 0 when one is added', () => {
    const fewer = variant(({ remove }) => remove('order.status_changed.v1'));
    const removed = run(schemasDir, fewer);
    assert.equal(removed.status, 1);
    assert.match(
      removed.stderr,
      /order\.status_changed\.v1\.json:\n {2}BREAKING {2}\(schema\): schema removed/,
    );
    const added = run(fewer, schemasDir);
    assert.equal(added.status, 0);
    assert.match(
      added.stdout,
      /order\.status_changed\.v1\.json:\n {2}ok {8}\(schema\): new schema/,
    );
  });

  it('exits 2 on usage and input errors', () => {
    assert.equal(run().status, 2);
    assert.match(run().stderr, /usage: node check-compat\.mjs <old-schemas-dir> <new-schemas-dir>/);
    const missing = run(path.join(work, 'nope'), schemasDir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /not a directory/);
    const broken = variant();
    writeFileSync(path.join(broken, 'order.created.v1.json'), '{');
    assert.match(run(schemasDir, broken).stderr, /not valid JSON/);
    const badRef = variant(({ read, write }) => {
      const schema = read('order.created.v1');
      schema.properties.data.properties.status = { $ref: 'other.json#/status' };
      write('order.created.v1', schema);
    });
    const refResult = run(schemasDir, badRef);
    assert.equal(refResult.status, 2);
    assert.match(refResult.stderr, /only local \$ref is supported/);
  });

  it('formats a report for a programmatic comparison too', () => {
    const result = compareDirectories(schemasDir, schemasDir);
    assert.equal(result.breaking, 0);
    assert.equal(
      formatReport(result),
      'order.created.v1.json: unchanged\norder.status_changed.v1.json: unchanged\ncompatible: no breaking changes',
    );
  });
});
