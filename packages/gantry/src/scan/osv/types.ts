/** The shapes the OSV matcher reads; it writes the report model's `Vulnerability`. */
import type { Severity, Vulnerability } from '../../reports/model.js';

export type { Severity, Vulnerability };

/** The ecosystems Gantry can order versions for, spelled as OSV spells them. */
export type Ecosystem = 'npm' | 'PyPI';

/** One locked package to look up: what an SBOM component carries, at the least. */
export interface PackageRef {
  readonly name: string;
  readonly version: string;
  readonly ecosystem: Ecosystem;
  /** The lockfile or manifest it came from. */
  readonly file?: string;
}

/** One OSV `severity[]` item: a scoring method and its vector. */
export interface OsvSeverity {
  readonly type: string;
  readonly score: string;
}

/** One event of a range; exactly one of the four keys is set (checked on load). */
export interface OsvEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface OsvRange {
  /** `SEMVER`, `ECOSYSTEM` or `GIT`. */
  readonly type: string;
  readonly events: readonly OsvEvent[];
}

export interface OsvAffected {
  readonly package?: { readonly ecosystem: string; readonly name: string };
  readonly severity?: readonly OsvSeverity[];
  readonly ranges?: readonly OsvRange[];
  readonly versions?: readonly string[];
}

/**
 * The parts of an OSV record (https://ossf.github.io/osv-schema/) the matcher uses, after
 * its structure was checked; other fields stay in the object untouched.
 */
export interface OsvRecord {
  readonly id: string;
  readonly modified?: string;
  readonly withdrawn?: string;
  readonly aliases?: readonly string[];
  readonly summary?: string;
  readonly severity?: readonly OsvSeverity[];
  readonly affected?: readonly OsvAffected[];
  readonly database_specific?: { readonly severity?: unknown };
}

/** A record and where it was read from (`dir/GHSA-x.json`, `npm/all.zip:GHSA-x.json`). */
export interface SourcedRecord {
  readonly record: OsvRecord;
  readonly source: string;
}
