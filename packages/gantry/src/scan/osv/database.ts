import { isEcosystem, normalizeName } from './ordering.js';
import { invalid, parseRecord } from './record.js';
import { compareStrings, visitRecords } from './sources.js';
import type { Ecosystem, OsvRecord, SourcedRecord } from './types.js';

export interface LoadOptions {
  /**
   * The packages that will be matched. Every record is still read and checked, but only
   * those with an `affected[]` entry for one of these are kept: on a large database that
   * spares most of the memory and garbage collection.
   */
  readonly packages?: Iterable<{ readonly ecosystem: Ecosystem; readonly name: string }>;
}

/**
 * OSV records indexed by ecosystem and package name (PyPI names PEP 503-normalised), for the
 * ecosystems Gantry matches. Withdrawn records are left out; a record read twice (the same
 * advisory in two ecosystems' exports) is kept once, the copy with the latest `modified`.
 */
export class OsvDatabase {
  constructor(
    /** The files and zip exports the records were read from. */
    readonly sources: readonly string[],
    /** How many distinct records (by id) were read, withdrawn and unrelated ones included. */
    readonly size: number,
    private readonly index: ReadonlyMap<string, readonly SourcedRecord[]>,
  ) {}

  /** The records with an `affected[]` entry for this package, in id order. */
  candidates(ecosystem: Ecosystem, name: string): readonly SourcedRecord[] {
    return this.index.get(indexKey(ecosystem, normalizeName(ecosystem, name))) ?? [];
  }
}

/**
 * Reads an OSV database from `dbPath`: an ecosystem's `all.zip` export (or a directory
 * holding one), a directory in OSV's export layout (`npm/all.zip`, `PyPI/all.zip`, ...; only
 * the npm and PyPI exports are read), or a directory of OSV JSON files, searched recursively.
 * Throws GANTRY_OSV_DB_INVALID naming the file or zip entry of any malformed record.
 */
export function loadOsvDatabase(dbPath: string, options: LoadOptions = {}): OsvDatabase {
  const wanted = options.packages
    ? new Set(
        [...options.packages].map((p) => indexKey(p.ecosystem, normalizeName(p.ecosystem, p.name))),
      )
    : undefined;
  const seen = new Set<string>();
  const kept = new Map<string, SourcedRecord>();
  const sources = visitRecords(dbPath, (text, source) => {
    const record = parseRecord(text, source);
    seen.add(record.id);
    if (wanted && !keysOf(record).some((key) => wanted.has(key))) return;
    const previous = kept.get(record.id);
    if (!previous || isNewer(record, previous.record)) kept.set(record.id, { record, source });
  });
  if (seen.size === 0)
    throw invalid(dbPath, 'holds no OSV records (no *.json files and no all.zip export)');
  return new OsvDatabase(sources, seen.size, buildIndex([...kept.values()]));
}

function buildIndex(records: readonly SourcedRecord[]): Map<string, SourcedRecord[]> {
  const index = new Map<string, SourcedRecord[]>();
  const byId = [...records].sort((a, b) => compareStrings(a.record.id, b.record.id));
  for (const sourced of byId) {
    if (sourced.record.withdrawn !== undefined) continue;
    for (const key of keysOf(sourced.record)) {
      const list = index.get(key);
      if (list) list.push(sourced);
      else index.set(key, [sourced]);
    }
  }
  return index;
}

/** The index keys of the npm and PyPI packages a record affects, each once. */
function keysOf(record: OsvRecord): string[] {
  const keys = new Set<string>();
  for (const { package: pkg } of record.affected ?? [])
    if (pkg && isEcosystem(pkg.ecosystem))
      keys.add(indexKey(pkg.ecosystem, normalizeName(pkg.ecosystem, pkg.name)));
  return [...keys];
}

function isNewer(record: OsvRecord, than: OsvRecord): boolean {
  const a = Date.parse(record.modified ?? '');
  const b = Date.parse(than.modified ?? '');
  return !Number.isNaN(a) && (Number.isNaN(b) || a > b);
}

function indexKey(ecosystem: Ecosystem, normalizedName: string): string {
  return `${ecosystem}\u0000${normalizedName}`;
}
