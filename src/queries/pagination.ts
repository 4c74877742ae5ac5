/**
 * pagination: cursor pages over an ordered list (Relay-style connections).
 *
 * Items are ordered by a string key that is unique and stable (the same item keeps its key across
 * requests); a cursor is the opaque base64url form of a key, and `after` returns the items whose key sorts
 * after it, so pages stay consistent while new items are appended. Page size: `first` defaults to
 * DEFAULT_PAGE_SIZE and is capped at MAX_PAGE_SIZE; a negative `first` or a cursor that is not ours is a
 * QueryError.
 */
import { QueryError } from './QueryError.js';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface Page<T> {
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: { readonly hasNextPage: boolean; readonly endCursor: string | null };
  readonly totalCount: number;
}

export function encodeCursor(key: string): string {
  return Buffer.from(`c1:${key}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  if (cursor.length > 1000 || !/^[A-Za-z0-9_-]*$/.test(cursor)) throw new QueryError('INVALID_CURSOR', 'after: not a cursor returned by this API');
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('c1:')) throw new QueryError('INVALID_CURSOR', 'after: not a cursor returned by this API');
  return text.slice(3);
}

export function pageSize(first: number | undefined | null): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0) throw new QueryError('BAD_USER_INPUT', `first: ${first} must be a whole number >= 0`);
  return Math.min(first, MAX_PAGE_SIZE);
}

/** One page of `items` (sorted ascending by `keyOf`). */
export function paginate<T>(items: readonly T[], keyOf: (item: T) => string, first: number | undefined | null, after: string | undefined | null): Page<T> {
  const size = pageSize(first);
  let start = 0;
  if (after !== undefined && after !== null && after !== '') {
    const key = decodeCursor(after);
    // binary search: first item whose key sorts after `key`
    let lo = 0, hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keyOf(items[mid]!) <= key) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const slice = items.slice(start, start + size);
  const edges = slice.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  return {
    edges,
    pageInfo: { hasNextPage: start + size < items.length, endCursor: edges.length ? edges[edges.length - 1]!.cursor : null },
    totalCount: items.length,
  };
}
