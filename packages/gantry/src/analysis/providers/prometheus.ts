import { providerFailure, type MetricProvider, type Reading } from './provider.js';

export interface PrometheusProviderOptions {
  /** Per query; default 5 s, so a hung Prometheus is an error measurement, not a stuck rollout. */
  readonly timeoutMs?: number;
}

/** The parts of the HTTP API's answer we read (https://prometheus.io/docs/prometheus/latest/querying/api/). */
interface QueryResponse {
  readonly status?: string;
  readonly errorType?: string;
  readonly error?: string;
  readonly data?: { readonly resultType?: string; readonly result?: unknown };
}

/**
 * Runs an instant query (`GET {address}/api/v1/query`). A vector becomes a list of numbers,
 * one per series, as Argo Rollouts does (hence `result[0]` in conditions); a scalar becomes
 * a number; an empty vector, `[]`. Anything else is an error reading, never a throw.
 */
export function createPrometheusProvider(
  spec: { readonly address: string; readonly query: string },
  options: PrometheusProviderOptions = {},
): MetricProvider {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const base = spec.address.replace(/\/+$/, '');
  const url = `${base}/api/v1/query?query=${encodeURIComponent(spec.query)}`;
  const failure = (why: string) => providerFailure(`prometheus at ${base}`, why);
  return {
    kind: 'prometheus',
    async measure(signal: AbortSignal): Promise<Reading> {
      const timeout = AbortSignal.timeout(timeoutMs);
      let response: Response;
      let body: QueryResponse | undefined;
      try {
        response = await fetch(url, {
          signal: AbortSignal.any([signal, timeout]),
          headers: { accept: 'application/json' },
        });
        const text = await response.text();
        try {
          body = JSON.parse(text) as QueryResponse;
        } catch {
          if (response.ok) return failure(`the answer is not JSON: ${text.slice(0, 200)}`);
        }
      } catch (error) {
        if (timeout.aborted) return failure(`no answer within ${timeoutMs} ms`);
        const cause = (error as { cause?: { message?: string } }).cause?.message;
        return failure(
          `${error instanceof Error ? error.message : String(error)}${cause ? `: ${cause}` : ''}`,
        );
      }
      // Prometheus answers a bad query with 400 and a JSON error; show its words, they say what to fix.
      if (body?.status === 'error' || !response.ok) {
        const detail = body?.error
          ? `${body.errorType ?? 'error'}: ${body.error}`
          : 'no error message';
        return failure(`HTTP ${response.status}: ${detail}`);
      }
      return readResult(body?.data, failure);
    },
  };
}

function readResult(data: QueryResponse['data'], failure: (why: string) => Reading): Reading {
  const result = data?.result;
  switch (data?.resultType) {
    case 'scalar':
      return Array.isArray(result)
        ? { ok: true, value: sampleValue(result[1]) }
        : failure('a malformed scalar');
    case 'vector':
      if (!Array.isArray(result)) return failure('a malformed vector');
      return {
        ok: true,
        value: result.map((s) => sampleValue((s as { value?: unknown[] }).value?.[1])),
      };
    default:
      return failure(
        `the query returned a ${data?.resultType ?? 'missing'} result; analysis needs an instant vector or a scalar`,
      );
  }
}

/** Sample values travel as strings so that NaN and ±Inf survive JSON. */
export function sampleValue(raw: unknown): number {
  switch (raw) {
    case 'NaN':
      return NaN;
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  }
}
