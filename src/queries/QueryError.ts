/**
 * QueryError: a client mistake or an unavailable data source, found by a read use case.
 *
 * The code set is closed (QueryErrorCode). The API edge (src/api/errors.ts) maps each code to a GraphQL
 * `extensions.code` and an HTTP status; the CLI prints the message. Anything thrown by queries that is not
 * a QueryError is a bug and is masked at the edge.
 */

export const QUERY_ERROR_CODES = [
  'BAD_USER_INPUT',
  'INVALID_TIME',
  'INVALID_HOST',
  'INVALID_PORT',
  'INVALID_CURSOR',
  'NOT_FOUND',
  'HISTORY_UNAVAILABLE',
  'NOT_READY',
  'CLUSTER_REQUIRED',
  'UNKNOWN_CLUSTER',
] as const;

export type QueryErrorCode = (typeof QUERY_ERROR_CODES)[number];

export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
