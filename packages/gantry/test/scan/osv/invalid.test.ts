import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOsvDatabase, matchVulnerabilities } from '../../../src/scan/osv/index.js';
import { gantryError, range, record, tempDir, writeTree, zipOf } from './helpers.js';

const good = record('GHSA-good', 'npm', 'pkg', { ranges: [range('SEMVER', { introduced: '0' })] });

/** Loads a database of one bad file beside a good one; returns the error message. */
function loadError(bad: unknown, name = 'GHSA-bad.json'): string {
  const dir = writeTree(tempDir(), { 'GHSA-good.json': good, [`nested/${name}`]: bad });
  const error = gantryError(() => loadOsvDatabase(dir));
  expect(error.code).toBe('GANTRY_OSV_DB_INVALID');
  expect(error.message).toContain(path.join(dir, 'nested', name));
  // Records about other packages than the scanned ones are checked all the same.
  const scoped = gantryError(() =>
    loadOsvDatabase(dir, { packages: [{ ecosystem: 'npm', name: 'unrelated' }] }),
  );
  expect(scoped.message).toBe(error.message);
  return error.message;
}

describe('malformed OSV databases', () => {
  it('names a missing path, an empty directory and a file that is no export', () => {
    const dir = tempDir();
    const missing = gantryError(() => loadOsvDatabase(path.join(dir, 'nope')));
    expect([missing.code, missing.message]).toEqual([
      'GANTRY_OSV_DB_INVALID',
      `${path.join(dir, 'nope')}: no such file or directory`,
    ]);
    expect(gantryError(() => loadOsvDatabase(dir)).message).toBe(
      `${dir}: holds no OSV records (no *.json files and no all.zip export)`,
    );
    writeTree(dir, { 'osv.tar.gz': 'x' });
    expect(gantryError(() => loadOsvDatabase(path.join(dir, 'osv.tar.gz'))).message).toContain(
      'is neither an OSV all.zip export nor an OSV JSON file',
    );
  });

  it('names the file of a record that is not JSON or not an OSV record', () => {
    expect(loadError('{"id": "GHSA-bad", "affected": [')).toMatch(/not valid JSON/);
    expect(loadError([good])).toMatch(/an OSV record must be a JSON object/);
    expect(loadError({ summary: 'no id' })).toMatch(/id: must be a non-empty string/);
    expect(loadError({ id: 'GHSA-bad', aliases: 'CVE-1' })).toMatch(
      /\(GHSA-bad\): aliases: must be an array of strings/,
    );
    expect(loadError({ id: 'GHSA-bad', affected: { package: {} } })).toMatch(
      /affected: must be an array/,
    );
    expect(loadError({ id: 'GHSA-bad', affected: [{ package: { ecosystem: 'npm' } }] })).toMatch(
      /affected\[0\]\.package: must be an object with string ecosystem and name/,
    );
    expect(loadError({ id: 'GHSA-bad', severity: [{ type: 'CVSS_V3' }] })).toMatch(
      /severity\[0\]: must be an object with string type and score/,
    );
    expect(
      loadError({
        id: 'GHSA-bad',
        affected: [{ package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ events: [] }] }],
      }),
    ).toMatch(/affected\[0\]\.ranges\[0\]: must be an object with a string type/);
  });

  it('rejects events with two kinds or a non-string version', () => {
    const withEvents = (...events: object[]) =>
      record('GHSA-bad', 'npm', 'pkg', { ranges: [{ type: 'SEMVER', events }] });
    expect(loadError(withEvents({ introduced: '1.0.0', fixed: '1.0.2' }))).toMatch(
      /affected\[0\]\.ranges\[0\]\.events\[0\]: must have exactly one of introduced, fixed, last_affected, limit/,
    );
    expect(loadError(withEvents({ introduced: '0' }, {}))).toMatch(
      /events\[1\]: must have exactly one/,
    );
    expect(loadError(withEvents({ introduced: 0 }))).toMatch(
      /events\[0\]\.introduced: must be a non-empty string/,
    );
  });

  it('names the zip entry of a malformed record, and a zip that is no zip', () => {
    const dir = writeTree(tempDir(), {
      'npm/all.zip': zipOf({ 'GHSA-good.json': good, 'GHSA-bad.json': '{"id": ' }),
    });
    const zip = path.join(dir, 'npm', 'all.zip');
    expect(gantryError(() => loadOsvDatabase(dir)).message).toMatch(
      `${zip}:GHSA-bad.json: not valid JSON`,
    );
    writeTree(dir, { 'npm/all.zip': 'PK this is not a zip archive' });
    const error = gantryError(() => loadOsvDatabase(zip));
    expect([error.code, error.message.startsWith(`${zip}: not a readable zip archive`)]).toEqual([
      'GANTRY_OSV_DB_INVALID',
      true,
    ]);
  });

  it('refuses an export layout without an npm or PyPI export', () => {
    const dir = writeTree(tempDir(), {
      'Go/all.zip': zipOf({}),
      'Maven/all.zip': zipOf({}),
    });
    expect(gantryError(() => loadOsvDatabase(dir)).message).toBe(
      `${dir}: holds OSV exports for Go, Maven but none for npm or PyPI`,
    );
  });

  it('names the record whose range holds a version its ordering cannot read, when it is a candidate', () => {
    const dir = writeTree(tempDir(), {
      'GHSA-odd.json': record('GHSA-odd', 'PyPI', 'pkg', {
        ranges: [range('ECOSYSTEM', { introduced: '0' }, { fixed: 'not a version!' })],
      }),
    });
    const db = loadOsvDatabase(dir);
    // Only packages the record is about read its versions.
    expect(
      matchVulnerabilities(db, [{ name: 'other', version: '1.0', ecosystem: 'PyPI' }]),
    ).toEqual([]);
    const error = gantryError(() =>
      matchVulnerabilities(db, [{ name: 'pkg', version: '1.0', ecosystem: 'PyPI' }]),
    );
    expect([error.code, error.message]).toEqual([
      'GANTRY_OSV_DB_INVALID',
      `${path.join(dir, 'GHSA-odd.json')} (GHSA-odd): 'not a version!' in an affected[].ranges[] of type ECOSYSTEM is not a PEP 440 version`,
    ]);
  });
});
