import { setTimeout as delay } from 'node:timers/promises';
import { probeHttp } from './http-probe.js';
import { readinessDefaults, UPTIME_READY_MS, type Readiness } from './spec.js';

export interface HealthEvents {
  /** The process serves traffic: first readiness, or recovery after 'unready'. */
  ready(reason: string): void;
  /** `failureThreshold` probes in a row failed after the process had been ready. */
  unready(reason: string): void;
}

/**
 * Watches one run of an instance's process: readiness until it first answers, then liveness
 * for as long as it runs. Failures before the first success do not count — a server that is
 * still importing its app is not unhealthy, only not ready yet, and `waitReady`'s deadline
 * decides how long that may take. Probes are sequential, never overlapping.
 */
export class HealthMonitor {
  private readonly controller = new AbortController();
  private last: string | undefined;

  constructor(
    private readonly readiness: Readiness | undefined,
    private readonly events: HealthEvents,
  ) {
    void this.run(this.controller.signal);
  }

  /** The outcome of the latest probe, for an error message when readiness never came. */
  get lastProbe(): string | undefined {
    return this.last;
  }

  stop(): void {
    this.controller.abort();
  }

  private async run(signal: AbortSignal): Promise<void> {
    const readiness = this.readiness;
    if (readiness === undefined) {
      if (await sleep(UPTIME_READY_MS, signal)) {
        this.events.ready(`up for ${UPTIME_READY_MS} ms (no readiness check)`);
      }
      return;
    }
    const startingMs = readiness.intervalMs ?? readinessDefaults.startingIntervalMs;
    const liveMs = readiness.intervalMs ?? readinessDefaults.liveIntervalMs;
    const timeoutMs = readiness.timeoutMs ?? readinessDefaults.timeoutMs;
    const threshold = Math.max(1, readiness.failureThreshold ?? readinessDefaults.failureThreshold);
    // undefined until the first success; then whether it is currently reported ready.
    let healthy: boolean | undefined;
    let failures = 0;
    do {
      const result = await probeHttp(readiness.url, timeoutMs, signal);
      if (signal.aborted) return;
      this.last = result.detail;
      if (result.ok) {
        failures = 0;
        if (healthy !== true) this.events.ready(result.detail);
        healthy = true;
      } else if (healthy === true && ++failures >= threshold) {
        healthy = false;
        this.events.unready(`${failures} probes failed in a row; last: ${result.detail}`);
      }
      // Back to the quick interval while unready, so a recovered server rejoins the proxy soon.
    } while (await sleep(healthy === true ? liveMs : startingMs, signal));
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
