/** The lifecycle of an instance; see `Instance` for what each state means to the controller. */
export type InstanceState =
  'starting' | 'ready' | 'unready' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export type StateListener = (state: InstanceState, reason: string) => void;

/**
 * An instance's current state and its listeners. Every listener sees every transition, in the
 * order they happened — also when a listener reacts by causing the next one (calling `stop()`
 * on 'unready' moves the instance to 'stopping' while the other listeners have not heard of
 * 'unready' yet): transitions made during delivery are queued behind it.
 */
export class StateNotifier {
  private current: InstanceState;
  private currentReason: string;
  private readonly listeners = new Set<StateListener>();
  private readonly queue: Array<[InstanceState, string]> = [];
  private delivering = false;

  constructor(initial: InstanceState, reason: string) {
    this.current = initial;
    this.currentReason = reason;
  }

  get state(): InstanceState {
    return this.current;
  }

  get reason(): string {
    return this.currentReason;
  }

  subscribe(listener: StateListener): () => void {
    // A wrapper, so subscribing the same function twice gives two independent subscriptions.
    const entry: StateListener = (state, reason) => listener(state, reason);
    this.listeners.add(entry);
    return () => {
      this.listeners.delete(entry);
    };
  }

  /** Moves to `next` (a no-op when already there) and tells every listener. */
  set(next: InstanceState, reason: string): void {
    if (next === this.current) return;
    this.current = next;
    this.currentReason = reason;
    this.queue.push([next, reason]);
    if (this.delivering) return;
    this.delivering = true;
    try {
      for (let item = this.queue.shift(); item !== undefined; item = this.queue.shift()) {
        for (const listener of [...this.listeners]) {
          // One that unsubscribed during this delivery has asked not to hear more.
          if (this.listeners.has(listener)) deliver(listener, item[0], item[1]);
        }
      }
    } finally {
      this.delivering = false;
    }
  }
}

/**
 * A listener that throws must not leave the instance half-way through a transition, nor keep
 * the others from hearing about it; its error still surfaces, as an uncaught exception, the way
 * a throwing EventEmitter listener's would.
 */
function deliver(listener: StateListener, state: InstanceState, reason: string): void {
  try {
    listener(state, reason);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
