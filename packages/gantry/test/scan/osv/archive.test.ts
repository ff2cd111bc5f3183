import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  loadOsvDatabase,
  matchVulnerabilities,
  type PackageRef,
} from '../../../src/scan/osv/index.js';
import { fixtureRecords, fixtures, gantryError, tempDir, writeTree } from './helpers.js';

const archives = path.join(fixtures, 'archives');
const packages: PackageRef[] = [
  { name: 'lodash', version: '4.17.20', ecosystem: 'npm' },
  { name: 'Django', version: '3.1', ecosystem: 'PyPI' },
];
const found = (zip: string) =>
  matchVulnerabilities(loadOsvDatabase(zip), packages).map(
    (v) => `${v.id} ${v.package} ${v.version} ${v.fixedVersions.join(',')}`,
  );
const both = [
  'PYSEC-2021-98 Django 3.1 3.1.12,3.2.4',
  'GHSA-35jh-r3h4-6jhm lodash 4.17.20 4.17.21',
];

describe('zip exports', () => {
  // Two fixture records zipped by other writers: Info-ZIP (`zip -fz`, with an archive
  // comment), CPython's zipfile (what osv.dev's exporter uses) forced to ZIP64, and
  // CPython's zipfile writing to a pipe (data descriptors, no sizes in local headers).
  for (const name of ['info-zip-zip64.zip', 'python-zip64.zip', 'python-streamed.zip'])
    it(`reads ${name}`, () => expect(found(path.join(archives, name))).toEqual(both));

  it('finds the central directory through the ZIP64 end record, as exports past 65,535 entries need', () => {
    const zip = path.join(tempDir(), 'all.zip');
    const bytes = readFileSync(path.join(archives, 'python-zip64.zip'));
    const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    // What a writer puts in the classic record when the real values do not fit.
    bytes.writeUInt16LE(0xffff, end + 8);
    bytes.writeUInt16LE(0xffff, end + 10);
    bytes.writeUInt32LE(0xffffffff, end + 12);
    bytes.writeUInt32LE(0xffffffff, end + 16);
    writeFileSync(zip, bytes);
    expect(found(zip)).toEqual(both);
  });

  it('reads stored entries and skips entries that are not JSON', () => {
    const records = fixtureRecords();
    const dir = writeTree(tempDir(), {
      'all.zip': zipSync(
        {
          'GHSA-35jh-r3h4-6jhm.json': strToU8(JSON.stringify(records.get('GHSA-35jh-r3h4-6jhm'))),
          'PYSEC-2021-98.json': strToU8(JSON.stringify(records.get('PYSEC-2021-98'))),
          'README.md': strToU8('not a record'),
        },
        { level: 0 },
      ),
    });
    expect(found(dir)).toEqual(both);
  });

  it('names the entry whose data is damaged or compressed with an unsupported method', () => {
    const dir = tempDir();
    const zip = path.join(dir, 'all.zip');
    copyFileSync(path.join(archives, 'python-zip64.zip'), zip);
    const bytes = readFileSync(zip);
    // Garble the deflate stream of the first entry (its data starts after a 30-byte header,
    // the name and the extra field).
    const data = 30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28);
    bytes.fill(0xff, data, data + 40);
    writeFileSync(zip, bytes);
    const damaged = gantryError(() => loadOsvDatabase(zip));
    expect([damaged.code, damaged.message]).toEqual([
      'GANTRY_OSV_DB_INVALID',
      expect.stringMatching(/all\.zip:GHSA-35jh-r3h4-6jhm\.json: cannot be unzipped \(.+\)$/),
    ]);

    const central = readFileSync(path.join(archives, 'python-zip64.zip'));
    const header = central.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    central.writeUInt16LE(12, header + 10); // bzip2
    writeFileSync(zip, central);
    expect(gantryError(() => loadOsvDatabase(zip)).message).toBe(
      `${zip}:GHSA-35jh-r3h4-6jhm.json: cannot be unzipped (compression method 12 is not supported (only stored and deflate))`,
    );
  });

  it('refuses a truncated archive', () => {
    const zip = path.join(tempDir(), 'all.zip');
    const bytes = readFileSync(path.join(archives, 'python-streamed.zip'));
    writeFileSync(zip, bytes.subarray(0, bytes.length - 30));
    const error = gantryError(() => loadOsvDatabase(zip));
    expect([error.code, error.message.startsWith(`${zip}: not a readable zip archive (`)]).toEqual([
      'GANTRY_OSV_DB_INVALID',
      true,
    ]);
  });
});
