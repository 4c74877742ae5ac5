/**
 * LiveChangeFeed: tells listeners that the live state changed, at most once per `intervalMs`.
 *
 * It reads a key of the state that differs after every change (LiveSnapshot's version and readiness) on
 * a timer that runs only while someone listens, and calls each listener once per tick in which the key
 * moved. Many
 * changes between two ticks are one notification: listeners recompute from the current state, so
 * nothing is lost by coalescing. Listeners must not throw (a throw is a bug and reaches the caller of
 * the tick, the timer).
 */
export type ChangeListener = () => void;

/** Identifies a state: equal (===) keys, same state. */
export type StateKey = number | string;

export const DEFAULT_FEED_INTERVAL_MS = 250;

export class LiveChangeFeed {
  private readonly listeners = new Set<ChangeListener>();
  private timer: NodeJS.Timeout | undefined;
  private seen: StateKey;

  constructor(
    private readonly version: () => StateKey,
    private readonly intervalMs: number = DEFAULT_FEED_INTERVAL_MS,
  ) {
    if (!(intervalMs > 0)) throw new Error(`LiveChangeFeed: intervalMs must be > 0, got ${intervalMs}`);
    this.seen = version();
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    if (!this.timer) {
      this.seen = this.version();
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimer();
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Removes every listener and stops the timer. */
  stop(): void {
    this.listeners.clear();
    this.stopTimer();
  }

  private tick(): void {
    const v = this.version();
    if (v === this.seen) return;
    this.seen = v;
    for (const l of [...this.listeners]) l();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
