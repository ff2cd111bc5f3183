/**
 * Masked ranges are kept as a flat array `[start0, end0, start1, end1, …]` of half-open
 * intervals in absolute text offsets: sorted, and merged whenever they overlap or touch,
 * so that one maximal run of secret text becomes exactly one `***`.
 */
export type Ranges = number[];

/**
 * Adds [start, end) to ranges whose ends are all ≤ end, which holds while scanning
 * left to right. A long match can swallow several earlier ranges (e.g. `cd` and then
 * `abcdef`), hence the loop.
 */
export function addRange(ranges: Ranges, start: number, end: number): void {
  while (ranges.length > 0 && ranges[ranges.length - 1]! >= start) {
    start = Math.min(start, ranges[ranges.length - 2]!);
    ranges.length -= 2;
  }
  ranges.push(start, end);
}

/** Merges two range lists of any order (used only after a rebuild, so simplicity wins). */
export function mergeRanges(a: Ranges, b: Ranges): Ranges {
  const pairs: Array<[number, number]> = [];
  for (const list of [a, b])
    for (let i = 0; i < list.length; i += 2) pairs.push([list[i]!, list[i + 1]!]);
  pairs.sort((x, y) => x[0] - y[0]);
  const merged: Ranges = [];
  for (const [start, end] of pairs) {
    const last = merged.length - 1;
    if (last > 0 && merged[last]! >= start) merged[last] = Math.max(merged[last]!, end);
    else merged.push(start, end);
  }
  return merged;
}

/** Replaces each range of `text` (offsets relative to `base`) with the mask. */
export function applyRanges(
  text: string,
  base: number,
  ranges: Ranges,
  replacement: string,
): string {
  let out = '';
  let cursor = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    out += text.slice(cursor, ranges[i]! - base) + replacement;
    cursor = ranges[i + 1]! - base;
  }
  return out + text.slice(cursor);
}
