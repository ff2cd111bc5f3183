import type { HttpCheck } from '../model.js';

/** Whether `status` is what a check expects: an exact code (`200`) or a class (`2xx`). */
export function statusMatches(expect: string, status: number): boolean {
  if (expect.endsWith('xx')) return Math.floor(status / 100) === Number(expect[0]);
  return status === Number(expect);
}

/**
 * Runs the smoke checks against each instance directly (not through the proxy, which would
 * only reach the instances it routes to): every instance must answer every check. Returns
 * the first problem in words, or undefined when all passed.
 */
export async function runSmokeChecks(
  targets: readonly { readonly id: string; readonly url: string }[],
  checks: readonly HttpCheck[],
  signal: AbortSignal,
  timeoutMs = 5000,
): Promise<string | undefined> {
  for (const target of targets)
    for (const check of checks) {
      const url = new URL(check.path, target.url);
      try {
        const response = await fetch(url, {
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          redirect: 'manual',
        });
        await response.body?.cancel();
        if (!statusMatches(check.expect, response.status))
          return `${target.id}: GET ${check.path} answered ${response.status}, expected ${check.expect}`;
      } catch (error) {
        if (signal.aborted) throw error;
        return `${target.id}: GET ${check.path} failed: ${(error as Error).message}`;
      }
    }
  return undefined;
}
