/** One cumulative histogram bucket: observations <= `le` seconds. */
export interface Bucket {
  readonly le: number;
  readonly count: number;
}

/**
 * The q-quantile of a cumulative histogram, computed exactly as PromQL's
 * `histogram_quantile` (prometheus/promql/quantile.go, `bucketQuantile`): find the bucket
 * the rank falls in and interpolate linearly inside it, assuming observations are spread
 * evenly. Local and Prometheus analyses therefore agree on the same traffic.
 *
 * NaN when there are no observations or the last bucket is not +Inf; if the rank falls in
 * the +Inf bucket, the highest finite bound is returned (nothing better is known).
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  if (sorted.at(-1)?.le !== Infinity) return NaN;
  // Buckets with the same bound are merged, and counts made monotonic: a scrape can race
  // with an observation, leaving a higher bucket a little behind a lower one.
  const merged: { le: number; count: number }[] = [];
  for (const b of sorted) {
    const last = merged.at(-1);
    if (last && last.le === b.le) last.count += b.count;
    else merged.push({ le: b.le, count: b.count });
  }
  let max = -Infinity;
  for (const b of merged) {
    max = Math.max(max, b.count);
    b.count = max;
  }
  if (merged.length < 2) return NaN;
  const observations = merged[merged.length - 1]?.count ?? 0;
  if (observations === 0) return NaN;
  let rank = q * observations;
  const b = merged.findIndex((bucket, i) => i === merged.length - 1 || bucket.count >= rank);
  if (b === merged.length - 1) return merged[merged.length - 2]?.le ?? NaN;
  const bucket = merged[b] as Bucket;
  if (b === 0 && bucket.le <= 0) return bucket.le;
  let start = 0;
  let count = bucket.count;
  const previous = merged[b - 1];
  if (previous) {
    start = previous.le;
    count -= previous.count;
    rank -= previous.count;
  }
  return start + (bucket.le - start) * (rank / count);
}
