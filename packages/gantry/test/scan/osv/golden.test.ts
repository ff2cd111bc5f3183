import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Vulnerability as ModelVulnerability } from '../../../src/reports/model.js';
import {
  loadOsvDatabase,
  matchVulnerabilities,
  type PackageRef,
} from '../../../src/scan/osv/index.js';
import { fixtureRecords, fixtures, tempDir, writeTree, zipOf } from './helpers.js';

const packages = JSON.parse(
  readFileSync(path.join(fixtures, 'packages.json'), 'utf8'),
) as PackageRef[];
const expected = JSON.parse(readFileSync(path.join(fixtures, 'expected.json'), 'utf8')) as unknown;

/** Records by the ecosystems they affect, as OSV's per-ecosystem exports hold them. */
function exportOf(ecosystem: string): Uint8Array {
  const entries: Record<string, unknown> = {};
  for (const [id, record] of fixtureRecords())
    if (record.affected?.some((a) => a.package?.ecosystem === ecosystem))
      entries[`${id}.json`] = record;
  return zipOf(entries);
}

describe('OSV matching, golden', () => {
  it('matches the fixture lockfile packages against a directory of OSV JSON files', () => {
    const db = loadOsvDatabase(path.join(fixtures, 'db'));
    // Every record read counts, the withdrawn one and the Go one included.
    expect(db.size).toBe(16);
    const results = matchVulnerabilities(db, packages);
    // The results are what the report model and the gate read.
    const forTheGate: readonly ModelVulnerability[] = results;
    expect(forTheGate).toEqual(expected);
  });

  it('keeps only the records about the given packages, with the same results', () => {
    const db = loadOsvDatabase(path.join(fixtures, 'db'), { packages });
    expect(db.size).toBe(16);
    expect(matchVulnerabilities(db, packages)).toEqual(expected);
    // Records about other packages were read, checked and dropped.
    const lodashOnly = loadOsvDatabase(path.join(fixtures, 'db'), {
      packages: [{ ecosystem: 'npm', name: 'lodash' }],
    });
    expect(lodashOnly.candidates('npm', 'lodash').map((r) => r.record.id)).toEqual([
      'GHSA-35jh-r3h4-6jhm',
    ]);
    expect(lodashOnly.candidates('npm', 'semver')).toEqual([]);
    expect(matchVulnerabilities(lodashOnly, packages).map((v) => v.id)).toEqual([
      'GHSA-35jh-r3h4-6jhm',
      'GHSA-35jh-r3h4-6jhm',
    ]);
  });

  it('reads the same records from one all.zip export', () => {
    const entries: Record<string, unknown> = {};
    for (const [id, record] of fixtureRecords()) entries[`${id}.json`] = record;
    const dir = writeTree(tempDir(), { 'all.zip': zipOf(entries) });
    const zip = path.join(dir, 'all.zip');
    const db = loadOsvDatabase(zip);
    expect(db.sources).toEqual([zip]);
    expect(matchVulnerabilities(db, packages)).toEqual(expected);
    // A directory holding an all.zip is that export; loose JSON beside it is not read again.
    writeTree(dir, { 'GHSA-35jh-r3h4-6jhm.json': fixtureRecords().get('GHSA-35jh-r3h4-6jhm') });
    expect(loadOsvDatabase(dir).sources).toEqual([zip]);
  });

  it("reads OSV's export layout, only the npm and PyPI exports", () => {
    const dir = writeTree(tempDir(), {
      'npm/all.zip': exportOf('npm'),
      'PyPI/all.zip': exportOf('PyPI'),
      'Go/all.zip': 'not read: Gantry matches npm and PyPI only',
      'ecosystems.txt': 'Go\nPyPI\nnpm\n',
    });
    const db = loadOsvDatabase(dir);
    expect(db.sources).toEqual([
      path.join(dir, 'npm', 'all.zip'),
      path.join(dir, 'PyPI', 'all.zip'),
    ]);
    expect(matchVulnerabilities(db, packages)).toEqual(expected);
  });
});
