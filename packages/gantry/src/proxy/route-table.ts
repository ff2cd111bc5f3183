import { GantryError } from '../errors/index.js';
import type { ReleaseStats, StatsRegistry } from './release-stats.js';
import type { ProxyRoute } from './types.js';

/** Readiness of one instance id; one object per id, shared by every route naming it. */
export interface Readiness {
  ready: boolean;
}

/** A target of one compiled route: its address parsed once, at `setRoute` time. */
export class TargetState {
  constructor(
    readonly id: string,
    /** `http://host:port`, the key of the target's upstream connection pool. */
    readonly origin: string,
    readonly readiness: Readiness,
    readonly backend: BackendState,
  ) {}
}

/** One release behind a host, with the state of both round-robins. */
export class BackendState {
  readonly targets: TargetState[] = [];
  /** nginx's `current_weight` for smooth weighted round-robin. */
  current = 0;
  private cursor = 0;
  /** The release as an `x-gantry-release` value, made once instead of on every response. */
  readonly releaseHeader: string;

  constructor(
    readonly release: string,
    readonly weight: number,
    readonly stats: ReleaseStats,
  ) {
    this.releaseHeader = headerSafe(release);
  }

  hasReady(excludeId: string | undefined): boolean {
    for (const target of this.targets)
      if (target.readiness.ready && target.id !== excludeId) return true;
    return false;
  }

  /**
   * Plain round-robin over the ready targets, skipping `excludeId` (the one that just
   * failed); `advance: false` only looks, for a retry.
   */
  nextTarget(excludeId: string | undefined, advance = true): TargetState | undefined {
    const n = this.targets.length;
    for (let step = 0; step < n; step++) {
      const target = this.targets[(this.cursor + step) % n] as TargetState;
      if (target.readiness.ready && target.id !== excludeId) {
        if (advance) this.cursor = (this.cursor + step + 1) % n;
        return target;
      }
    }
    return undefined;
  }
}

/**
 * The routing table of one host, built once per `setRoute` and never mutated afterwards
 * except for the round-robin counters: replacing it is a single Map write, which is what
 * makes a blue-green switch atomic for every request that starts after it.
 */
export class CompiledRoute {
  readonly backends: BackendState[] = [];

  constructor(
    readonly route: ProxyRoute,
    readiness: (id: string) => Readiness,
    stats: StatsRegistry,
  ) {
    for (const backend of route.backends) {
      if (!Number.isFinite(backend.weight) || backend.weight < 0)
        throw new GantryError(
          'GANTRY_INTERNAL',
          `proxy route ${route.host}: release ${backend.release} has weight ${backend.weight}`,
          { hint: 'weights are non-negative numbers; 0 takes a release out of rotation' },
        );
      const state = new BackendState(
        backend.release,
        backend.weight,
        stats.get(route.host, backend.release),
      );
      for (const target of backend.targets) {
        const origin = parseTargetUrl(route.host, target.id, target.url);
        state.targets.push(new TargetState(target.id, origin, readiness(target.id), state));
      }
      this.backends.push(state);
    }
  }

  /**
   * Smooth weighted round-robin (nginx's `ngx_http_upstream_get_peer`): each eligible backend
   * gains its weight, the largest current wins and pays back the total. It spreads picks
   * evenly (10/90 gives exactly 10 of every 100, never 10 in a row) and needs no randomness.
   * A backend without a ready target is not eligible, so the others share its weight.
   */
  pick(): TargetState | undefined {
    let total = 0;
    let best: BackendState | undefined;
    for (const backend of this.backends) {
      if (backend.weight <= 0 || !backend.hasReady(undefined)) continue;
      backend.current += backend.weight;
      total += backend.weight;
      if (best === undefined || backend.current > best.current) best = backend;
    }
    if (best === undefined) return undefined;
    best.current -= total;
    return best.nextTarget(undefined);
  }

  /**
   * Where the one retry after a failed instance goes: the choice `pick` would make next
   * without that instance, but without advancing either round-robin. Otherwise every retry
   * would take a healthy instance's turn, handing the next request to the dead one again,
   * and a dead canary would shift the split between the healthy releases.
   */
  pickForRetry(failedId: string): TargetState | undefined {
    let best: BackendState | undefined;
    for (const backend of this.backends) {
      if (backend.weight <= 0 || !backend.hasReady(failedId)) continue;
      if (best === undefined || backend.current + backend.weight > best.current + best.weight)
        best = backend;
    }
    return best?.nextTarget(failedId, false);
  }
}

/**
 * A release name is free text; characters Node refuses in a header value (controls, code
 * points above U+00FF) are percent-encoded as UTF-8, the rest left readable.
 */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e\x80-\xff]/gu, (c) =>
    [...Buffer.from(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** The target's origin; a path in its URL is ignored, as the request's own path is sent. */
function parseTargetUrl(host: string, id: string, url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'http:')
    throw new GantryError(
      'GANTRY_INTERNAL',
      `proxy route ${host}: target ${id} has URL '${url}', not an http:// URL`,
    );
  return parsed.origin;
}
