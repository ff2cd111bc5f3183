import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440';
import semver from 'semver';

/**
 * Fix versions lowest first, without repeats. npm and semver-shaped versions sort by semver,
 * PyPI by PEP 440; anything else (Debian epochs, Maven qualifiers, ...) keeps the tool's order
 * rather than guessing at a scheme.
 */
export function sortVersions(versions: readonly string[], ecosystem: string): string[] {
  const unique = [...new Set(versions.map((v) => v.trim()).filter((v) => v !== ''))];
  if (ecosystem === 'PyPI' && unique.every((v) => validPep440(v) !== null)) {
    return unique.sort(comparePep440);
  }
  if (unique.every((v) => semver.valid(v, { loose: true }) !== null)) {
    return unique.sort((a, b) => semver.compare(a, b, { loose: true }));
  }
  return unique;
}
