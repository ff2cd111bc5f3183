/** One running instance of a release: a local process listening on a loopback port. */
export interface Target {
  /** Stable instance id; readiness (`setReady`) is keyed by it across all routes. */
  readonly id: string;
  /** Base URL of the instance, e.g. `http://127.0.0.1:41234`. Only `http:` is supported. */
  readonly url: string;
}

/** The instances of one release and the share of the host's traffic it should get. */
export interface WeightedBackend {
  /** Release name; becomes the `release` label of the metrics and `x-gantry-release`. */
  readonly release: string;
  /** Relative weight (non-negative integer). 0 takes the release out of rotation. */
  readonly weight: number;
  readonly targets: readonly Target[];
}

/** Everything the proxy does for one host, replaced as a whole by `setRoute`. */
export interface ProxyRoute {
  /** Host name without port, e.g. `staging.localhost`; matched case-insensitively. */
  readonly host: string;
  readonly backends: readonly WeightedBackend[];
}

export interface ProxyOptions {
  /** Port of the proxy listener; 0 picks any free port (read it back from `port`). */
  readonly port: number;
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string;
  /**
   * Port of a separate admin listener serving `GET /metrics` (Prometheus text) and
   * `GET /healthz`; kept off the proxy port so an app can never shadow it. Undefined = none,
   * 0 = any free port.
   */
  readonly metricsPort?: number;
  /**
   * How long an upstream may stay silent (no connect, no response bytes) before the proxy
   * gives up: 504 if nothing was sent to the client yet, otherwise the response is cut.
   * Like nginx's `proxy_read_timeout`. Default 60 000 ms. undici checks it on a coarse
   * clock, so it may fire up to about a second late.
   */
  readonly upstreamTimeoutMs?: number;
  /**
   * How long `stop()` lets in-flight requests finish before it closes their connections.
   * Default 5 000 ms.
   */
  readonly drainTimeoutMs?: number;
}

/** Cumulative counters for one host+release, as the analysis side reads them. */
export interface TrafficSample {
  /** Completed requests (any status). */
  readonly requests: number;
  /** Responses >= 500, including the proxy's own 502/503/504 for upstream failures. */
  readonly errors: number;
  /** Cumulative histogram buckets; `le` in seconds, the last `le` is `Infinity`. */
  readonly latencyBuckets: readonly { readonly le: number; readonly count: number }[];
  readonly latencySumSeconds: number;
}
