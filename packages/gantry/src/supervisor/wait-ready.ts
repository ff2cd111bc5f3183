import type { GantryError } from '../errors/index.js';
import type { InstanceState, StateListener } from './state-notifier.js';

/** What `waitForReady` needs from an instance. */
export interface ReadyWaitable {
  readonly state: InstanceState;
  onState(listener: StateListener): () => void;
}

export interface ReadyErrors {
  /** The deadline passed first (GANTRY_RELEASE_UNHEALTHY). */
  notReady(timeoutMs: number): GantryError;
  /** The instance gave up restarting (GANTRY_RELEASE_CRASHED). */
  crashed(): GantryError;
  /** It was stopped before it got there (GANTRY_RELEASE_UNHEALTHY). */
  stopped(): GantryError;
}

/**
 * Resolves once the instance is 'ready'. 'starting', 'restarting' and 'unready' are on the way
 * there and keep waiting — a crash that is restarted in time is not the caller's concern; the
 * deadline is. Settles immediately when the answer is already known.
 */
export function waitForReady(
  instance: ReadyWaitable,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  errors: ReadyErrors,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const outcome = (state: InstanceState): (() => void) | undefined => {
      if (state === 'ready') return () => resolve();
      if (state === 'failed') return () => reject(errors.crashed());
      if (state === 'stopping' || state === 'stopped') return () => reject(errors.stopped());
      return undefined;
    };
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const now = outcome(instance.state);
    if (now !== undefined) {
      now();
      return;
    }
    const finish = (settle: () => void): void => {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    const unsubscribe = instance.onState((state) => {
      const settle = outcome(state);
      if (settle !== undefined) finish(settle);
    });
    const timer = setTimeout(() => finish(() => reject(errors.notReady(timeoutMs))), timeoutMs);
    const onAbort = (): void => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
