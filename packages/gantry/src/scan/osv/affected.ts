import { invalid } from './record.js';
import { compareVersions, rangeOrdering, type Ordering } from './ordering.js';
import type { Ecosystem, OsvAffected, OsvEvent, OsvRange } from './types.js';

/** Which record an evaluation is about, for the error when one of its versions is unreadable. */
export interface RecordContext {
  readonly source: string;
  readonly id: string;
}

/**
 * The OSV spec's `IsVulnerable` for one package (https://ossf.github.io/osv-schema/#evaluation):
 * affected when the version is listed in any entry's `versions` (exact string, as the spec
 * says) or lies within any of its `ECOSYSTEM` or `SEMVER` ranges. `GIT` ranges need the
 * repository's commit graph and are skipped.
 */
export function isAffected(
  entries: readonly OsvAffected[],
  ecosystem: Ecosystem,
  version: string,
  context: RecordContext,
): boolean {
  return entries.some(
    (entry) =>
      (entry.versions?.includes(version) ?? false) ||
      (entry.ranges ?? []).some((range) => inRange(range, ecosystem, version, context)),
  );
}

/**
 * The `fixed` events of the package's ranges that are a way out for `version`: above it in
 * the range's ordering and not themselves affected by the record. Lowest first, by the
 * ecosystem's ordering.
 */
export function fixedVersionsFor(
  entries: readonly OsvAffected[],
  ecosystem: Ecosystem,
  version: string,
  context: RecordContext,
): string[] {
  const fixes = new Set<string>();
  for (const entry of entries)
    for (const range of entry.ranges ?? []) {
      const ordering = rangeOrdering(ecosystem, range.type);
      if (!ordering?.valid(version)) continue;
      for (const event of sortedEvents(range, ordering, context))
        if (event.fixed !== undefined && ordering.compare(event.fixed, version) > 0)
          fixes.add(event.fixed);
    }
  return [...fixes]
    .filter((fix) => !isAffected(entries, ecosystem, fix, context))
    .sort((a, b) => compareVersions(ecosystem, a, b));
}

function inRange(
  range: OsvRange,
  ecosystem: Ecosystem,
  version: string,
  context: RecordContext,
): boolean {
  const ordering = rangeOrdering(ecosystem, range.type);
  // An installed version this ordering cannot read can only match the `versions` list.
  if (!ordering?.valid(version)) return false;
  const events = sortedEvents(range, ordering, context);
  if (!beforeLimits(events, ordering, version)) return false;
  let vulnerable = false;
  for (const event of events) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || ordering.compare(version, event.introduced) >= 0)
        vulnerable = true;
    } else if (event.fixed !== undefined) {
      if (ordering.compare(version, event.fixed) >= 0) vulnerable = false;
    } else if (event.last_affected !== undefined) {
      if (ordering.compare(version, event.last_affected) > 0) vulnerable = false;
    }
  }
  return vulnerable;
}

/** No `limit` events means an implicit `"*"`; otherwise the version must be below one of them. */
function beforeLimits(events: readonly OsvEvent[], ordering: Ordering, version: string): boolean {
  let limited = false;
  for (const { limit } of events) {
    if (limit === undefined) continue;
    limited = true;
    if (limit.includes('*') || ordering.compare(version, limit) < 0) return true;
  }
  return !limited;
}

const sortedCache = new WeakMap<OsvRange, readonly OsvEvent[]>();

/**
 * The range's events in version order (`introduced: "0"` first, `limit: "*"` last; equal
 * versions keep the record's order), each version checked readable once per range.
 */
function sortedEvents(range: OsvRange, ordering: Ordering, context: RecordContext) {
  const cached = sortedCache.get(range);
  if (cached) return cached;
  const keyed = range.events.map((event) => {
    const value = eventVersion(event);
    const special = event.introduced === '0' ? -1 : event.limit?.includes('*') ? 1 : 0;
    if (special === 0 && !ordering.valid(value))
      throw invalid(
        `${context.source} (${context.id})`,
        `'${value}' in an affected[].ranges[] of type ${range.type} is not a ${ordering.name} version`,
      );
    return { event, value, special };
  });
  const sorted = keyed
    .sort(
      (a, b) =>
        a.special - b.special ||
        (a.special === 0 && b.special === 0 ? ordering.compare(a.value, b.value) : 0),
    )
    .map(({ event }) => event);
  sortedCache.set(range, sorted);
  return sorted;
}

function eventVersion(event: OsvEvent): string {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '';
}
