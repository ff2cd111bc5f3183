import { fixedVersionsFor, isAffected } from './affected.js';
import type { OsvDatabase } from './database.js';
import { compareVersions, normalizeName } from './ordering.js';
import { compareStrings } from './sources.js';
import { severityOf } from './severity.js';
import type { Ecosystem, OsvAffected, PackageRef, SourcedRecord, Vulnerability } from './types.js';

/**
 * The known vulnerabilities of the packages, by the OSV spec's evaluation. One result per
 * advisory, package version and file, sorted by package name (ignoring case), ecosystem,
 * version (in the ecosystem's order), advisory id and file.
 * Throws GANTRY_OSV_DB_INVALID when a candidate record holds a version its range type cannot
 * order.
 */
export function matchVulnerabilities(
  db: OsvDatabase,
  packages: readonly PackageRef[],
): Vulnerability[] {
  // Lockfiles of a monorepo repeat packages: each name and version is evaluated once.
  const evaluated = new Map<string, Omit<Vulnerability, 'file'>[]>();
  const results = new Map<string, Vulnerability>();
  for (const pkg of packages) {
    const key = `${pkg.ecosystem}\u0000${normalizeName(pkg.ecosystem, pkg.name)}\u0000${pkg.version}`;
    let found = evaluated.get(key);
    if (!found) {
      found = db.candidates(pkg.ecosystem, pkg.name).flatMap((sourced) => {
        const match = matchRecord(sourced, pkg);
        return match ? [match] : [];
      });
      evaluated.set(key, found);
    }
    for (const vulnerability of found) {
      // The first spelling of a name wins when a file lists a package twice.
      const id = `${key}\u0000${vulnerability.id}\u0000${pkg.file ?? ''}`;
      if (!results.has(id))
        results.set(
          id,
          pkg.file === undefined ? vulnerability : { ...vulnerability, file: pkg.file },
        );
    }
  }
  return [...results.values()].sort(
    (a, b) =>
      compareStrings(sortName(a), sortName(b)) ||
      compareStrings(a.ecosystem, b.ecosystem) ||
      compareVersions(a.ecosystem as Ecosystem, a.version, b.version) ||
      compareStrings(a.id, b.id) ||
      compareStrings(a.file ?? '', b.file ?? '') ||
      compareStrings(a.package, b.package),
  );
}

/** Names sort ignoring case, and PyPI spellings of one name together. */
function sortName(vulnerability: Vulnerability): string {
  return normalizeName(vulnerability.ecosystem as Ecosystem, vulnerability.package).toLowerCase();
}

function matchRecord(
  { record, source }: SourcedRecord,
  pkg: PackageRef,
): Omit<Vulnerability, 'file'> | undefined {
  const name = normalizeName(pkg.ecosystem, pkg.name);
  const entries: OsvAffected[] = (record.affected ?? []).filter(
    (entry) =>
      entry.package?.ecosystem === pkg.ecosystem &&
      normalizeName(pkg.ecosystem, entry.package.name) === name,
  );
  const context = { source, id: record.id };
  if (!isAffected(entries, pkg.ecosystem, pkg.version, context)) return undefined;
  return {
    id: record.id,
    aliases: [...new Set(record.aliases ?? [])],
    package: pkg.name,
    ecosystem: pkg.ecosystem,
    version: pkg.version,
    severity: severityOf(record, entries),
    fixedVersions: fixedVersionsFor(entries, pkg.ecosystem, pkg.version, context),
    ...(record.summary === undefined ? {} : { title: record.summary }),
    source: 'osv',
  };
}
