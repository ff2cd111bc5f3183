import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import semver, { type SemVer } from 'semver';
import type { Ecosystem } from './types.js';

/** How one kind of range orders its versions; `valid` says whether it can read one at all. */
export interface Ordering {
  readonly name: string;
  valid(version: string): boolean;
  /** Negative, zero or positive; only for versions `valid` accepts. */
  compare(a: string, b: string): number;
}

/**
 * SemVer 2.0 precedence (§11) with node-semver: pre-releases sort below their release and
 * are compared, never excluded as in npm's range syntax; build metadata is ignored. Reads
 * versions leniently the way osv-scanner does: a leading `v`, and missing minor or patch
 * parts taken as 0 (`1.2` = `1.2.0`).
 */
export const semverOrdering: Ordering = memoized('SemVer', (version) => {
  const strict = semver.parse(version, { loose: true });
  if (strict) return strict;
  const short = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\s*$/.exec(
    version,
  );
  if (!short) return undefined;
  const [, major, minor = '0', patch = '0', pre = '', build = ''] = short;
  return semver.parse(`${major}.${minor}.${patch}${pre}${build}`) ?? undefined;
});

/** PEP 440 (epochs, pre/post/dev releases, local versions) with @renovatebot/pep440. */
export const pep440Ordering: Ordering = {
  name: 'PEP 440',
  valid: memo((version) => validPep440(version) !== null),
  compare: comparePep440,
};

/** Each ecosystem's own ordering, for its `ECOSYSTEM` ranges and for sorting fixes. */
export const ecosystemOrderings: Readonly<Record<Ecosystem, Ordering>> = {
  npm: semverOrdering,
  PyPI: pep440Ordering,
};

/** The ordering a range of `type` uses for `ecosystem`; undefined for `GIT` and unknown types. */
export function rangeOrdering(ecosystem: Ecosystem, type: string): Ordering | undefined {
  if (type === 'SEMVER') return semverOrdering;
  if (type === 'ECOSYSTEM') return ecosystemOrderings[ecosystem];
  return undefined;
}

/**
 * Versions in the ecosystem's order, for sorting output; versions it cannot read come last,
 * in code-unit order.
 */
export function compareVersions(ecosystem: Ecosystem, a: string, b: string): number {
  const ordering = ecosystemOrderings[ecosystem];
  const readable = [ordering.valid(a), ordering.valid(b)];
  if (readable[0] && readable[1]) return ordering.compare(a, b);
  if (readable[0] !== readable[1]) return readable[0] ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isEcosystem(value: string): value is Ecosystem {
  return value === 'npm' || value === 'PyPI';
}

/**
 * The name as the index keys it: PyPI names are compared after PEP 503 normalisation
 * (`Zope.Interface` = `zope-interface`); npm names are exact.
 */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  return ecosystem === 'PyPI' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name;
}

function memoized(name: string, parse: (version: string) => SemVer | undefined): Ordering {
  const cache = new Map<string, SemVer | undefined>();
  const get = (version: string): SemVer | undefined => {
    if (cache.has(version)) return cache.get(version);
    const parsed = parse(version);
    cache.set(version, parsed);
    return parsed;
  };
  return {
    name,
    valid: (version) => get(version) !== undefined,
    compare: (a, b) => {
      const left = get(a);
      const right = get(b);
      if (!left || !right) throw new TypeError(`not a ${name} version: ${left ? b : a}`);
      return left.compare(right);
    },
  };
}

function memo(test: (version: string) => boolean): (version: string) => boolean {
  const cache = new Map<string, boolean>();
  return (version) => {
    let result = cache.get(version);
    if (result === undefined) cache.set(version, (result = test(version)));
    return result;
  };
}
