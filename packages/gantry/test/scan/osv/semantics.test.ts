import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadOsvDatabase,
  matchVulnerabilities,
  severityForScore,
  type PackageRef,
} from '../../../src/scan/osv/index.js';
import { range, record, scan, tempDir, writeTree, zipOf } from './helpers.js';

const npm = (name: string, version: string, file?: string): PackageRef => ({
  name,
  version,
  ecosystem: 'npm',
  ...(file === undefined ? {} : { file }),
});
const pypi = (name: string, version: string): PackageRef => ({ name, version, ecosystem: 'PyPI' });
const versionsOf = (found: { version: string }[]) => found.map((v) => v.version);

describe('OSV range evaluation', () => {
  it('applies limit events: below any limit, "*" as infinity, none as an implicit "*"', () => {
    const records = [
      record('L-ONE', 'npm', 'one', {
        ranges: [range('ECOSYSTEM', { introduced: '1.0.0' }, { limit: '2.0.0' })],
      }),
      // Two limits widen the range to below either of them.
      record('L-TWO', 'npm', 'two', {
        ranges: [range('ECOSYSTEM', { introduced: '0' }, { limit: '1.5.0' }, { limit: '3.0.0' })],
      }),
      record('L-STAR', 'npm', 'star', {
        ranges: [range('ECOSYSTEM', { introduced: '1.0.0' }, { limit: '*' })],
      }),
      record('L-FIX', 'npm', 'fix', {
        ranges: [
          range('ECOSYSTEM', { limit: '3.0.0' }, { introduced: '1.0.0' }, { fixed: '2.0.0' }),
        ],
      }),
    ];
    const versions = ['0.9.0', '1.0.0', '1.9.9', '2.0.0', '2.9.9', '3.0.0', '9.0.0'];
    const found = scan(
      records,
      ['one', 'two', 'star', 'fix'].flatMap((name) => versions.map((v) => npm(name, v))),
    );
    const of = (name: string) => versionsOf(found.filter((v) => v.package === name));
    expect(of('one')).toEqual(['1.0.0', '1.9.9']);
    expect(of('two')).toEqual(['0.9.0', '1.0.0', '1.9.9', '2.0.0', '2.9.9']);
    expect(of('star')).toEqual(['1.0.0', '1.9.9', '2.0.0', '2.9.9', '3.0.0', '9.0.0']);
    expect(of('fix')).toEqual(['1.0.0', '1.9.9']);
  });

  it('sorts events before walking them, whatever order the record lists them in', () => {
    const found = scan(
      [
        record('UNSORTED', 'npm', 'pkg', {
          ranges: [
            range(
              'ECOSYSTEM',
              { fixed: '3.2.5' },
              { introduced: '3.0.0' },
              { fixed: '1.0.2' },
              { introduced: '1.0.0' },
            ),
          ],
        }),
      ],
      ['0.1.0', '1.0.0', '1.0.2', '2.0.0', '3.1.0', '3.2.5'].map((v) => npm('pkg', v)),
    );
    expect(versionsOf(found)).toEqual(['1.0.0', '3.1.0']);
    expect(found.map((v) => v.fixedVersions)).toEqual([['1.0.2', '3.2.5'], ['3.2.5']]);
  });

  it('treats last_affected as inclusive and reports no fix for it', () => {
    const found = scan(
      [
        record('LAST', 'PyPI', 'pillow', {
          ranges: [range('ECOSYSTEM', { introduced: '0' }, { last_affected: '9.0' })],
        }),
      ],
      ['8.4.0', '9.0.0', '9.0.post1', '9.0.1'].map((v) => pypi('Pillow', v)),
    );
    expect(versionsOf(found)).toEqual(['8.4.0', '9.0.0']);
    expect(found.every((v) => v.fixedVersions.length === 0)).toBe(true);
  });

  it('matches explicit versions by exact string, and ignores entries with neither ranges nor versions', () => {
    const found = scan(
      [
        record('LISTED', 'PyPI', 'jinja2', { versions: ['2.10', '2.10.1'] }),
        record('EMPTY', 'PyPI', 'jinja2', {}),
      ],
      ['2.10', '2.10.0', '2.10.1', '2.11'].map((v) => pypi('Jinja2', v)),
    );
    expect(found.map((v) => `${v.id} ${v.version}`)).toEqual(['LISTED 2.10', 'LISTED 2.10.1']);
  });

  it('skips GIT ranges without giving up on the ranges after them', () => {
    const git = {
      type: 'GIT',
      repo: 'https://github.com/owner/repo',
      events: [{ introduced: '0' }, { fixed: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678' }],
    };
    const found = scan(
      [
        record('GIT-ONLY', 'npm', 'pkg', { ranges: [git] }),
        record('GIT-FIRST', 'npm', 'pkg', {
          ranges: [git, range('ECOSYSTEM', { introduced: '0' }, { fixed: '2.0.0' })],
        }),
      ],
      [npm('pkg', '1.0.0')],
    );
    expect(found.map((v) => v.id)).toEqual(['GIT-FIRST']);
  });

  it('reads an installed version its ordering cannot parse against the versions list only', () => {
    const found = scan(
      [
        record('ODD', 'npm', 'pkg', {
          ranges: [range('SEMVER', { introduced: '0' })],
          versions: ['github:owner/pkg#main'],
        }),
      ],
      [npm('pkg', 'github:owner/pkg#main'), npm('pkg', 'not-a-version'), npm('pkg', '1.0.0')],
    );
    expect(versionsOf(found)).toEqual(['1.0.0', 'github:owner/pkg#main']);
  });
});

describe('OSV package identity', () => {
  it('normalises PyPI names on both sides (PEP 503) and keeps npm names exact', () => {
    const records = [
      record('PY', 'PyPI', 'Zope_Interface', {
        ranges: [range('ECOSYSTEM', { introduced: '0' }, { fixed: '5.0' })],
      }),
      record('JS', 'npm', 'lodash', { ranges: [range('SEMVER', { introduced: '0' })] }),
    ];
    const found = scan(records, [
      pypi('zope.interface', '4.7.0'),
      pypi('zope--interface', '4.7.1'),
      pypi('ZOPE.INTERFACE', '4.7.2'),
      pypi('zopeinterface', '4.7.2'),
      // The same package in the same file under another spelling is reported once.
      pypi('zope_interface', '4.7.2'),
      npm('Lodash', '1.0.0'),
      npm('lodash', '1.0.0'),
      { name: 'lodash', version: '1.0.0', ecosystem: 'PyPI' },
    ]);
    expect(found.map((v) => `${v.id} ${v.ecosystem} ${v.package} ${v.version}`)).toEqual([
      'JS npm lodash 1.0.0',
      'PY PyPI zope.interface 4.7.0',
      'PY PyPI zope--interface 4.7.1',
      'PY PyPI ZOPE.INTERFACE 4.7.2',
    ]);
  });

  it('reports a package once per file, and once for a file that lists it twice', () => {
    const records = [
      record('DUP', 'npm', 'pkg', { ranges: [range('SEMVER', { introduced: '0' })] }),
    ];
    const found = scan(records, [
      npm('pkg', '1.0.0', 'b/package-lock.json'),
      npm('pkg', '1.0.0', 'a/package-lock.json'),
      npm('pkg', '1.0.0', 'a/package-lock.json'),
      npm('pkg', '1.0.0'),
    ]);
    expect(found.map((v) => v.file)).toEqual([
      undefined,
      'a/package-lock.json',
      'b/package-lock.json',
    ]);
  });

  it('keeps one copy of a record found twice: the latest modified, withdrawn or not', () => {
    const affected = { ranges: [range('ECOSYSTEM', { introduced: '0' })] };
    const old = record('GHSA-twice', 'npm', 'pkg', affected, {
      modified: '2023-01-01T00:00:00Z',
      summary: 'old summary',
    });
    const fresh = record('GHSA-twice', 'npm', 'pkg', affected, {
      modified: '2024-06-01T00:00:00Z',
      summary: 'new summary',
    });
    const withdrawn = record('GHSA-twice', 'npm', 'pkg', affected, {
      modified: '2024-07-01T00:00:00Z',
      withdrawn: '2024-07-01T00:00:00Z',
    });
    // The same advisory in two ecosystems' exports, the newer copy second.
    const dir = writeTree(tempDir(), {
      'npm/all.zip': zipOf({ 'GHSA-twice.json': old }),
      'PyPI/all.zip': zipOf({ 'GHSA-twice.json': fresh }),
    });
    const found = matchVulnerabilities(loadOsvDatabase(dir), [npm('pkg', '1.0.0')]);
    expect(found.map((v) => v.title)).toEqual(['new summary']);
    expect(scan([fresh, old], [npm('pkg', '1.0.0')]).map((v) => v.title)).toEqual(['new summary']);
    expect(scan([fresh, withdrawn, old], [npm('pkg', '1.0.0')])).toEqual([]);
  });
});

describe('OSV fixed versions', () => {
  it('lists the fixes above the installed version, lowest first, leaving out fixes that are affected themselves', () => {
    const found = scan(
      [
        {
          id: 'GHSA-fixes',
          modified: '2024-01-01T00:00:00Z',
          affected: [
            {
              package: { ecosystem: 'PyPI', name: 'pkg' },
              ranges: [
                range('ECOSYSTEM', { introduced: '2.0' }, { fixed: '2.10' }),
                range(
                  'ECOSYSTEM',
                  { introduced: '0' },
                  { fixed: '1.2' },
                  { introduced: '1.3' },
                  { fixed: '1.4' },
                ),
              ],
            },
            // 1.2 was released broken again: not a way out.
            { package: { ecosystem: 'PyPI', name: 'pkg' }, versions: ['1.2'] },
          ],
        },
      ],
      [pypi('pkg', '1.1'), pypi('pkg', '2.9')],
    );
    expect(found.map((v) => [v.version, v.fixedVersions])).toEqual([
      ['1.1', ['1.4', '2.10']],
      ['2.9', ['2.10']],
    ]);
  });
});

describe('OSV severity', () => {
  const withSeverity = (id: string, extra: object, entrySeverity?: object[]) =>
    record(
      id,
      'npm',
      id.toLowerCase(),
      {
        ranges: [range('SEMVER', { introduced: '0' })],
        ...(entrySeverity ? { severity: entrySeverity } : {}),
      },
      extra,
    );
  const cvss31 = (vector: string) => ({ type: 'CVSS_V3', score: `CVSS:3.1/${vector}` });

  it('maps CVSS base scores onto the scale at 9, 7, 4 and above 0', () => {
    expect(
      [10, 9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map((score) => `${score} ${severityForScore(score)}`),
    ).toEqual([
      '10 critical',
      '9 critical',
      '8.9 high',
      '7 high',
      '6.9 medium',
      '4 medium',
      '3.9 low',
      '0.1 low',
      '0 info',
    ]);
  });

  it('takes the highest score of all vectors, then GitHub severity, then unknown', () => {
    const records = [
      // CVSS v3.1 7.5 and v4.0 9.3: the v4.0 score wins.
      withSeverity('BOTH', {
        severity: [
          cvss31('AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H'),
          {
            type: 'CVSS_V4',
            score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
          },
        ],
        database_specific: { severity: 'LOW' },
      }),
      withSeverity('V2', { severity: [{ type: 'CVSS_V2', score: 'AV:N/AC:M/Au:N/C:P/I:N/A:N' }] }),
      withSeverity('ZERO', { severity: [cvss31('AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')] }),
      withSeverity('GHSA', { database_specific: { severity: 'MODERATE' } }),
      withSeverity('BROKEN', {
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:X' }],
        database_specific: { severity: 'LOW' },
      }),
      withSeverity('UBUNTU', { severity: [{ type: 'Ubuntu', score: 'high' }] }),
      withSeverity('NONE', {}),
      // A package's own severity outranks the record's.
      withSeverity('OWN', { database_specific: { severity: 'LOW' } }, [
        cvss31('AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'),
      ]),
    ];
    const names = ['both', 'v2', 'zero', 'ghsa', 'broken', 'ubuntu', 'none', 'own'];
    const found = scan(
      records,
      names.map((name) => npm(name, '1.0.0')),
    );
    expect(Object.fromEntries(found.map((v) => [v.id, v.severity]))).toEqual({
      BOTH: 'critical',
      V2: 'medium',
      ZERO: 'info',
      GHSA: 'medium',
      BROKEN: 'low',
      UBUNTU: 'unknown',
      NONE: 'unknown',
      OWN: 'critical',
    });
  });
});

describe('OSV output', () => {
  it('carries id, aliases, title and source, and sorts by package, version and id', () => {
    const dir = path.join(import.meta.dirname, 'fixtures', 'db');
    const db = loadOsvDatabase(dir);
    const found = matchVulnerabilities(db, [npm('lodash', '4.17.20'), npm('debug', '2.6.8')]);
    expect(found).toEqual([
      {
        id: 'GHSA-9vvw-cc9w-f27h',
        aliases: ['CVE-2017-16137'],
        package: 'debug',
        ecosystem: 'npm',
        version: '2.6.8',
        severity: 'medium',
        fixedVersions: ['2.6.9', '3.1.0', '3.2.7', '4.3.1'],
        title: 'Regular Expression Denial of Service in debug',
        source: 'osv',
      },
      {
        id: 'GHSA-35jh-r3h4-6jhm',
        aliases: ['CVE-2021-23337'],
        package: 'lodash',
        ecosystem: 'npm',
        version: '4.17.20',
        severity: 'high',
        fixedVersions: ['4.17.21'],
        title: 'Command Injection in lodash',
        source: 'osv',
      },
    ]);
  });
});
