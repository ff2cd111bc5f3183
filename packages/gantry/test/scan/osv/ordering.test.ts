import { describe, expect, it } from 'vitest';
import type { Ecosystem, PackageRef } from '../../../src/scan/osv/index.js';
import { range, record, scan } from './helpers.js';

/** Pairs `[lower, higher]`: each ordered chain follows its specification's own example. */
const ascending: Record<Ecosystem, [string, string][]> = {
  npm: [
    // SemVer 2.0 §11: 1.0.0-alpha < 1.0.0-alpha.1 < ... < 1.0.0-rc.1 < 1.0.0.
    ['1.0.0-alpha', '1.0.0-alpha.1'],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta'],
    ['1.0.0-alpha.beta', '1.0.0-beta'],
    ['1.0.0-beta', '1.0.0-beta.2'],
    ['1.0.0-beta.2', '1.0.0-beta.11'],
    ['1.0.0-beta.11', '1.0.0-rc.1'],
    ['1.0.0-rc.1', '1.0.0'],
    ['1.9.0', '1.10.0'],
    ['1.10.0', '1.10.1-0'],
    ['1.999.999', '2.0.0-0'],
    ['0.0.0', '0.0.1'],
    // Read leniently, as osv-scanner does: a leading v, missing parts as 0.
    ['v1.2.2', '1.2.3'],
    ['1.2', '1.2.1'],
    ['1', '1.0.1'],
  ],
  PyPI: [
    // PEP 440's summary of permitted suffixes and relative ordering, in order.
    ['1.0.dev456', '1.0a1'],
    ['1.0a1', '1.0a2.dev456'],
    ['1.0a2.dev456', '1.0a12.dev456'],
    ['1.0a12.dev456', '1.0a12'],
    ['1.0a12', '1.0b1.dev456'],
    ['1.0b1.dev456', '1.0b2'],
    ['1.0b2', '1.0b2.post345.dev456'],
    ['1.0b2.post345.dev456', '1.0b2.post345'],
    ['1.0b2.post345', '1.0rc1.dev456'],
    ['1.0rc1.dev456', '1.0rc1'],
    ['1.0rc1', '1.0'],
    ['1.0', '1.0+abc.5'],
    ['1.0+abc.5', '1.0+abc.7'],
    ['1.0+abc.7', '1.0+5'],
    ['1.0+5', '1.0.post456.dev34'],
    ['1.0.post456.dev34', '1.0.post456'],
    ['1.0.post456', '1.0.15'],
    ['1.0.15', '1.1.dev1'],
    // Epochs outrank the release; numeric, not lexical, release parts.
    ['2013.10', '1!1.0'],
    ['1!1.0', '1!1.0.post1'],
    ['1.9', '1.10'],
    ['1.0.0', '1.0.0.1'],
  ],
};

/** Spellings each ordering takes as the same version. */
const equal: Record<Ecosystem, [string, string][]> = {
  npm: [
    ['1.0.0+build.1', '1.0.0+build.2'],
    ['1.2', '1.2.0'],
    ['v1.2.3', '1.2.3'],
  ],
  PyPI: [
    ['1.0', '1.0.0'],
    ['1.0c1', '1.0rc1'],
    ['1.0-1', '1.0.post1'],
    ['1.0alpha1', '1.0a1'],
    ['v1.0', '1.0'],
    ['0!1.0', '1.0'],
  ],
};

/**
 * Each pair is checked through the matcher, the only place orderings are used: with
 * `introduced: lower, fixed: higher` the lower version is affected and the higher is not;
 * with `last_affected: lower` likewise. Equal versions make `introduced: a, fixed: b` empty.
 */
function check(ecosystem: Ecosystem, pairs: [string, string][], same: boolean) {
  const records = pairs.flatMap(([lower, higher], i) => [
    record(`FIXED-${i}`, ecosystem, `pkg-${i}`, {
      ranges: [range('ECOSYSTEM', { introduced: lower }, { fixed: higher })],
    }),
    record(`LAST-${i}`, ecosystem, `pkg-${i}`, {
      ranges: [range('ECOSYSTEM', { introduced: '0' }, { last_affected: lower })],
    }),
  ]);
  const packages: PackageRef[] = pairs.flatMap(([lower, higher], i) => [
    { name: `pkg-${i}`, version: lower, ecosystem },
    { name: `pkg-${i}`, version: higher, ecosystem },
  ]);
  const found = new Set(scan(records, packages).map((v) => `${v.id} ${v.package} ${v.version}`));
  pairs.forEach(([lower, higher], i) => {
    expect
      .soft(found.has(`FIXED-${i} pkg-${i} ${lower}`), `${lower} in [${lower}, ${higher})`)
      .toBe(!same);
    expect
      .soft(found.has(`FIXED-${i} pkg-${i} ${higher}`), `${higher} in [${lower}, ${higher})`)
      .toBe(false);
    expect
      .soft(found.has(`LAST-${i} pkg-${i} ${lower}`), `${lower} <= last_affected ${lower}`)
      .toBe(true);
    expect
      .soft(found.has(`LAST-${i} pkg-${i} ${higher}`), `${higher} <= last_affected ${lower}`)
      .toBe(same);
  });
}

describe('version ordering', () => {
  for (const ecosystem of ['npm', 'PyPI'] as const) {
    it(`orders ${ecosystem} versions`, () => check(ecosystem, ascending[ecosystem], false));
    it(`takes equal ${ecosystem} spellings as one version`, () =>
      check(ecosystem, equal[ecosystem], true));
  }

  it('orders npm pre-releases below their release without excluding them (unlike npm ranges)', () => {
    const records = [
      record('GHSA-pre', 'npm', 'next', {
        ranges: [range('SEMVER', { introduced: '13.4.0' }, { fixed: '14.1.1' })],
      }),
    ];
    const versions = ['13.4.0-canary.1', '13.4.0', '14.1.1-canary.3', '14.1.1', '14.1.2-rc.0'];
    const found = scan(
      records,
      versions.map((version) => ({ name: 'next', version, ecosystem: 'npm' })),
    ).map((v) => v.version);
    expect(found).toEqual(['13.4.0', '14.1.1-canary.3']);
  });

  it('compares SEMVER ranges by SemVer even for PyPI, and skips versions SemVer cannot read', () => {
    const records = [
      record('PYSEC-semver', 'PyPI', 'pkg', {
        ranges: [range('SEMVER', { introduced: '1.0.0' }, { fixed: '1.0.1' })],
      }),
    ];
    const versions = ['1.0.0', '1.0.1-rc.1', '1.0.0.post1', '1.0.1'];
    const found = scan(
      records,
      versions.map((version) => ({ name: 'pkg', version, ecosystem: 'PyPI' })),
    ).map((v) => v.version);
    // 1.0.1-rc.1 is a SemVer pre-release of 1.0.1; 1.0.0.post1 is no SemVer version at all.
    expect(found).toEqual(['1.0.0', '1.0.1-rc.1']);
  });
});
