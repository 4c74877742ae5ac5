/**
 * answerStream: the answers of one subscription as an async iterator, recomputed when the state changes
 * and delivered only when they differ from the last one delivered.
 *
 * The queue is bounded at one pending item per subscription, and it holds a flag, not an answer: a change
 * marks the stream dirty, and the answer is computed when the consumer pulls the next item. graphql-ws
 * pulls the next item only after the previous message was written to the socket, so a slow client never
 * makes answers pile up in memory: the changes it could not take meanwhile are coalesced into the one
 * answer it gets next (counted in `stats.coalesced`). A computation that throws becomes an item carrying
 * the error (the field resolver rethrows it as a GraphQL error); the stream goes on.
 */
import type { LiveChangeFeed } from './LiveChangeFeed.js';

/** One delivered item: an answer, or the error computing it raised. */
export type StreamItem<T> = { readonly value: T } | { readonly error: unknown };

export interface StreamStats {
  /** Streams open now. */
  active: number;
  /** Changes that arrived while the previous one had not been taken yet (merged into one answer). */
  coalesced: number;
  /** Items delivered to consumers. */
  delivered: number;
}

export function newStreamStats(): StreamStats {
  return { active: 0, coalesced: 0, delivered: 0 };
}

function errorKey(err: unknown): string {
  const code = (err as { code?: unknown; extensions?: { code?: unknown } })?.code ?? (err as { extensions?: { code?: unknown } })?.extensions?.code;
  return `error:${String(code)}:${err instanceof Error ? err.message : String(err)}`;
}

/**
 * `compute` answers for the current state; `fingerprint` says when two answers are the same (answers
 * with equal fingerprints are delivered once). The first item is the current answer.
 */
export function answerStream<T>(feed: LiveChangeFeed, compute: () => T, fingerprint: (value: T) => string, stats: StreamStats): AsyncIterableIterator<StreamItem<T>> {
  let dirty = true;
  let finished = false;
  let lastKey: string | undefined;
  let wake: (() => void) | undefined;
  stats.active++;
  const unsubscribe = feed.subscribe(() => {
    if (dirty) stats.coalesced++;
    dirty = true;
    wake?.();
  });
  const finish = (): IteratorResult<StreamItem<T>> => {
    if (!finished) {
      finished = true;
      stats.active--;
      unsubscribe();
      wake?.();
    }
    return { value: undefined, done: true };
  };
  const iterator: AsyncIterableIterator<StreamItem<T>> = {
    async next() {
      while (!finished) {
        if (dirty) {
          dirty = false;
          let item: StreamItem<T>;
          let key: string;
          try {
            const value = compute();
            item = { value };
            key = `value:${fingerprint(value)}`;
          } catch (error) {
            item = { error };
            key = errorKey(error);
          }
          if (key === lastKey) continue;
          lastKey = key;
          stats.delivered++;
          return { value: item, done: false };
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      return { value: undefined, done: true };
    },
    async return() {
      return finish();
    },
    async throw(err?: unknown) {
      finish();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
