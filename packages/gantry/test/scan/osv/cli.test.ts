import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, tempDir, writeTree } from './helpers.js';

// The real bundle (rebuilt by the global setup); GANTRY_BIN points at a private build.
const bin =
  process.env['GANTRY_BIN'] ?? path.resolve(import.meta.dirname, '../../../dist/bin/gantry.mjs');
const db = path.join(fixtures, 'db');

function gantry(cwd: string, args: string[], env: Record<string, string> = {}) {
  const { GANTRY_OSV_DB: _unset, ...inherited } = process.env;
  return spawnSync(process.execPath, [bin, 'scan', 'deps', ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', ...env },
  });
}

const lock = (packages: Record<string, string>) =>
  JSON.stringify({
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': {
        name: 'app',
        version: '1.0.0',
        dependencies: Object.fromEntries(Object.keys(packages).map((n) => [n, '*'])),
      },
      ...Object.fromEntries(
        Object.entries(packages).map(([name, version]) => [
          `node_modules/${name}`,
          {
            version,
            resolved: `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${version}.tgz`,
          },
        ]),
      ),
    },
  });

function project(): string {
  return writeTree(tempDir(), {
    'package-lock.json': lock({
      lodash: '4.17.20',
      vm2: '3.9.19',
      debug: '4.3.4',
      '@babel/traverse': '7.23.0',
    }),
    'requirements.txt': 'Django==3.2.3\nrequests==2.31.0\nzope.interface==4.7.2\n',
  });
}

describe('gantry scan deps', () => {
  it('prints a table of the vulnerable packages, writes --json and exits 1', () => {
    const dir = project();
    const result = gantry(dir, ['--db', db, '--json', 'vulns.json']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe(
      [
        'PACKAGE          VERSION  ADVISORY             SEVERITY  FIXED IN',
        'vm2              3.9.19   GHSA-cchq-frgv-rjh5  critical  -',
        '@babel/traverse  7.23.0   GHSA-67hx-6x53-jw92  high      7.23.2',
        'lodash           4.17.20  GHSA-35jh-r3h4-6jhm  high      4.17.21',
        'zope.interface   4.7.2    PYSEC-2024-501       high      5.0.0',
        'Django           3.2.3    PYSEC-2021-98        unknown   3.2.4',
        '',
        '5 known vulnerabilities in 5 of 7 packages: 1 critical, 3 high, 1 unknown.',
        '',
      ].join('\n'),
    );
    const json = JSON.parse(readFileSync(path.join(dir, 'vulns.json'), 'utf8'));
    expect(
      json.vulnerabilities.map((v: { id: string; file: string }) => `${v.id} ${v.file}`),
    ).toEqual([
      'GHSA-67hx-6x53-jw92 package-lock.json',
      'PYSEC-2021-98 requirements.txt',
      'GHSA-35jh-r3h4-6jhm package-lock.json',
      'GHSA-cchq-frgv-rjh5 package-lock.json',
      'PYSEC-2024-501 requirements.txt',
    ]);
    expect(json.vulnerabilities[2]).toEqual({
      id: 'GHSA-35jh-r3h4-6jhm',
      aliases: ['CVE-2021-23337'],
      package: 'lodash',
      ecosystem: 'npm',
      version: '4.17.20',
      severity: 'high',
      fixedVersions: ['4.17.21'],
      title: 'Command Injection in lodash',
      source: 'osv',
      file: 'package-lock.json',
    });
  });

  it('filters by --severity, reads GANTRY_OSV_DB, and exits 0 when nothing is left', () => {
    const dir = project();
    const critical = gantry(path.dirname(dir), ['--severity', 'CRITICAL,medium', dir], {
      GANTRY_OSV_DB: db,
    });
    expect(critical.status).toBe(1);
    expect(critical.stdout).toContain(
      '1 known vulnerability in 1 of 7 packages: 1 critical; 4 more not in --severity CRITICAL,medium.',
    );
    const low = gantry(dir, ['--severity', 'low', '--json', '-'], { GANTRY_OSV_DB: db });
    expect(low.status).toBe(0);
    expect(JSON.parse(low.stdout)).toEqual({ vulnerabilities: [] });
    expect(low.stderr).toBe(
      'No known vulnerabilities in 7 packages (16 OSV records); 5 more not in --severity low.\n',
    );
  });

  it('exits 0 for a clean project', () => {
    const dir = writeTree(tempDir(), {
      'package-lock.json': lock({ lodash: '4.17.21', ms: '2.1.3' }),
    });
    const result = gantry(dir, ['--db', db]);
    expect([result.status, result.stdout]).toEqual([
      0,
      'No known vulnerabilities in 2 packages (16 OSV records).\n',
    ]);
  });

  it('exits 2 on usage errors and 1 with GANTRY_OSV_DB_INVALID for a bad database', () => {
    const dir = project();
    const noDb = gantry(dir, []);
    expect([noDb.status, noDb.stderr]).toEqual([
      2,
      expect.stringContaining('needs an OSV database [GANTRY_USAGE]'),
    ]);
    const badLevel = gantry(dir, ['--db', db, '--severity', 'severe']);
    expect([badLevel.status, badLevel.stderr]).toEqual([
      2,
      expect.stringContaining("--severity expects levels, got 'severe'"),
    ]);
    expect(gantry(dir, ['--db', db, 'a', 'b']).status).toBe(2);
    const unwritable = gantry(dir, ['--db', db, '--json', path.join(dir, 'no', 'such', 'v.json')]);
    expect([unwritable.status, unwritable.stderr]).toEqual([
      2,
      expect.stringContaining('cannot write --json'),
    ]);
    const help = gantry(dir, ['--help']);
    expect([help.status, help.stdout]).toEqual([
      0,
      expect.stringContaining('Usage: gantry scan deps'),
    ]);
    const missing = gantry(dir, ['--db', path.join(dir, 'osv')]);
    expect([missing.status, missing.stderr]).toEqual([
      1,
      expect.stringContaining(
        `${path.join(dir, 'osv')}: no such file or directory [GANTRY_OSV_DB_INVALID]`,
      ),
    ]);
    expect(missing.stdout).toBe('');
  });
});
