import type { TrafficSample } from './types.js';

/**
 * Upper bounds (seconds) of the latency histogram: Prometheus' client defaults with 1 ms and
 * 2.5 ms added in front, since a local release answers in well under 5 ms and canary analysis
 * needs resolution there. The last bucket (+Inf) is implicit.
 */
export const LATENCY_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Why an upstream exchange failed; constant strings, the `reason` label of the metrics. */
export type UpstreamErrorReason =
  'connect_refused' | 'connection_reset' | 'timeout' | 'response_aborted' | 'other';

/**
 * Counters of one host+release. The hot path only does `observe`: a status-code map update,
 * a short linear bucket scan and two additions; cumulative sums are built when read.
 */
export class ReleaseStats {
  readonly codes = new Map<number, number>();
  readonly upstreamErrors = new Map<UpstreamErrorReason, number>();
  /** Per-bucket (not cumulative) counts; index LATENCY_BUCKETS.length is +Inf. */
  readonly buckets = new Float64Array(LATENCY_BUCKETS.length + 1);
  requests = 0;
  errors = 0;
  sumSeconds = 0;

  constructor(
    readonly host: string,
    readonly release: string,
  ) {}

  observe(status: number, seconds: number): void {
    this.requests++;
    if (status >= 500) this.errors++;
    this.codes.set(status, (this.codes.get(status) ?? 0) + 1);
    this.sumSeconds += seconds;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
    this.buckets[i]!++;
  }

  upstreamError(reason: UpstreamErrorReason): void {
    this.upstreamErrors.set(reason, (this.upstreamErrors.get(reason) ?? 0) + 1);
  }

  /** Cumulative `{le, count}` pairs, ending with `le: Infinity`. */
  cumulativeBuckets(): { le: number; count: number }[] {
    let running = 0;
    const out: { le: number; count: number }[] = [];
    for (let i = 0; i < this.buckets.length; i++) {
      running += this.buckets[i] as number;
      out.push({ le: LATENCY_BUCKETS[i] ?? Infinity, count: running });
    }
    return out;
  }

  sample(): TrafficSample {
    return {
      requests: this.requests,
      errors: this.errors,
      latencyBuckets: this.cumulativeBuckets(),
      latencySumSeconds: this.sumSeconds,
    };
  }
}

/**
 * All counters by host, then release. Entries are never dropped: counters are cumulative for
 * the life of the proxy, as Prometheus expects, even after a route or release goes away.
 */
export class StatsRegistry {
  private readonly byHost = new Map<string, Map<string, ReleaseStats>>();

  get(host: string, release: string): ReleaseStats {
    let releases = this.byHost.get(host);
    if (!releases) this.byHost.set(host, (releases = new Map()));
    let stats = releases.get(release);
    if (!stats) releases.set(release, (stats = new ReleaseStats(host, release)));
    return stats;
  }

  find(host: string, release: string): ReleaseStats | undefined {
    return this.byHost.get(host)?.get(release);
  }

  /** Every host+release, sorted, so the exposition is stable between scrapes. */
  all(): ReleaseStats[] {
    const out: ReleaseStats[] = [];
    for (const host of [...this.byHost.keys()].sort()) {
      const releases = this.byHost.get(host)!;
      for (const release of [...releases.keys()].sort()) out.push(releases.get(release)!);
    }
    return out;
  }
}

/** A sample with every counter at zero, for a host+release that has seen no traffic. */
export function emptySample(): TrafficSample {
  return new ReleaseStats('', '').sample();
}
