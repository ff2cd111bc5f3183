import type { ResultValue } from '../condition-eval.js';

/**
 * What a provider returns for one measurement. Provider trouble (Prometheus down, a bad
 * query) is a reading with `ok: false`, never a throw: Argo counts it as an error
 * measurement and only gives up after `consecutiveErrorLimit` of them in a row.
 */
export type Reading =
  | {
      readonly ok: true;
      readonly value: ResultValue;
      /** The window saw no requests (local provider); the metric's `noTraffic` decides. */
      readonly noTraffic?: boolean;
    }
  | { readonly ok: false; readonly message: string };

/** A source of measurements for one metric; created once per analysis run. */
export interface MetricProvider {
  readonly kind: string;
  /** Takes one measurement; `signal` aborts it when the run ends. */
  measure(signal: AbortSignal): Promise<Reading>;
}

/** The message of a failed reading, with the error code the docs describe. */
export function providerFailure(kind: string, why: string): Reading {
  return { ok: false, message: `GANTRY_ANALYSIS_PROVIDER_FAILED: ${kind}: ${why}` };
}
