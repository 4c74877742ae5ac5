/**
 * FaultGate: the request-level faults of the simulated API server.
 *
 *  - `failFor(status, ms)`: every API request (not the /_sim control endpoint) answers `status`
 *    (500, 503 or 429, as a Status object; 429/503 with `Retry-After: 1`) until `ms` have passed. Open
 *    watch streams are not affected (cut them separately).
 *  - `pause()`: API requests are held unanswered (and, through the WatchHub, watch events are held)
 *    until `resume()`, which serves the held requests in arrival order.
 */
import { ApiError } from './ApiError.js';

const REASONS = { 500: 'InternalError', 503: 'ServiceUnavailable', 429: 'TooManyRequests' } as const;

export type FaultStatus = keyof typeof REASONS;

export class FaultGate {
  private failUntil = 0;
  private failStatus: FaultStatus = 503;
  private held: (() => void)[] = [];
  paused = false;

  failFor(status: FaultStatus, ms: number): void {
    if (!(status in REASONS)) throw new Error(`FaultGate: unsupported status ${status}`);
    this.failStatus = status;
    this.failUntil = Date.now() + ms;
  }

  clearFailures(): void {
    this.failUntil = 0;
  }

  /** The error to answer with now, if a failure window is active. */
  failure(): ApiError | undefined {
    if (Date.now() >= this.failUntil) return undefined;
    const s = this.failStatus;
    const retry = s === 500 ? undefined : { retryAfterSeconds: 1 };
    return new ApiError(s, REASONS[s], s === 429 ? 'Too many requests, please try again later.' : s === 503 ? 'The server is currently unable to handle the request' : 'Internal error occurred: injected fault', retry);
  }

  /** Runs `fn` now, or when resumed if paused. */
  admit(fn: () => void): void {
    if (this.paused) this.held.push(fn);
    else fn();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const held = this.held;
    this.held = [];
    for (const fn of held) fn();
  }

  /** Drops held requests (server shutdown or restart). */
  dropHeld(): void {
    this.held = [];
  }
}
