/**
 * RvLog: events in resourceVersion order, keeping only the newest `limit` of them.
 *
 * `droppedRv` is the version up to which events may be missing (oldest trimmed first, or all of them by
 * `clear`); `after(rv)` returns the retained events with a version above `rv`, oldest first. Used for each
 * kind's watch-replay window and for the simulator's whole change log.
 */
export class RvLog<E extends { readonly rv: number }> {
  private items: E[] = [];
  private start = 0;
  /** Events with rv <= droppedRv may no longer be in the log. */
  droppedRv = 0;

  constructor(private readonly limit: number) {}

  push(event: E): void {
    this.items.push(event);
    if (this.items.length - this.start > this.limit) {
      this.droppedRv = this.items[this.start]!.rv;
      this.start++;
      // Reclaim the trimmed prefix now and then rather than shifting on every push.
      if (this.start > 1024 && this.start * 2 > this.items.length) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
  }

  /** Retained events with a version above `rv`, oldest first (binary search). */
  after(rv: number): E[] {
    let lo = this.start;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.items[mid]!.rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.items.slice(lo);
  }

  /** Drops every event; versions up to `droppedRv` are then missing. */
  clear(droppedRv: number): void {
    this.items = [];
    this.start = 0;
    this.droppedRv = droppedRv;
  }
}
