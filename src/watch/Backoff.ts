/**
 * Backoff: exponential restart delays with jitter, for watchers that must reconnect to an API server.
 *
 * Attempt n (0-based) waits a random time in [base·2ⁿ/2, base·2ⁿ] capped at `maxMs` ("equal jitter": never
 * zero, so a failing server is not hammered, and never in lock-step across watchers). `reset()` after a
 * period of health starts again from `baseMs`. Pure apart from the injected random source.
 */
export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** Returns a number in [0, 1); defaults to Math.random. */
  readonly random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly random: () => number;

  constructor(private readonly options: BackoffOptions) {
    if (!(options.baseMs > 0) || !(options.maxMs >= options.baseMs)) {
      throw new Error(`Backoff: need 0 < baseMs <= maxMs, got ${options.baseMs}, ${options.maxMs}`);
    }
    this.random = options.random ?? Math.random;
  }

  /** The delay before the next attempt; each call counts one attempt. */
  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}
