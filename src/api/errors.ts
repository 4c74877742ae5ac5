/**
 * errors: the closed set of error codes clients see, and the one place errors are mapped to them.
 *
 * Client errors (QueryError, TimeParseError, malformed requests, GraphQL parse/validation failures, limits)
 * keep their code and message. Every other error is a bug: it is logged by the caller and masked as
 * INTERNAL_SERVER_ERROR with a fixed message, so internals never leak. `toClientError` never throws.
 */
import { QueryError, type QueryErrorCode } from '../queries/QueryError.js';
import { TimeParseError } from '../time/parseTime.js';

export type ClientErrorCode =
  | QueryErrorCode
  | 'BAD_REQUEST'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'GRAPHQL_PARSE_FAILED'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'QUERY_TOO_DEEP'
  | 'QUERY_TOO_COSTLY'
  | 'INTERNAL_SERVER_ERROR';

export interface ClientError {
  readonly code: ClientErrorCode;
  readonly message: string;
  /** HTTP status for REST (GraphQL answers field errors with 200). */
  readonly status: number;
}

const STATUS: Readonly<Record<ClientErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  INVALID_TIME: 400,
  INVALID_HOST: 400,
  INVALID_PORT: 400,
  INVALID_CURSOR: 400,
  NOT_FOUND: 400,
  HISTORY_UNAVAILABLE: 503,
  NOT_READY: 503,
  CLUSTER_REQUIRED: 400,
  UNKNOWN_CLUSTER: 400,
  BAD_REQUEST: 400,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  GRAPHQL_PARSE_FAILED: 400,
  GRAPHQL_VALIDATION_FAILED: 400,
  QUERY_TOO_DEEP: 400,
  QUERY_TOO_COSTLY: 400,
  INTERNAL_SERVER_ERROR: 500,
};

export const MASKED_MESSAGE = 'internal error';

/** An error the API edge raises itself (malformed body, limits). */
export class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly code: ClientErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function statusOf(code: ClientErrorCode): number {
  return STATUS[code];
}

/** Maps any thrown value to what a client may see; `known` is false when the value was masked. */
export function toClientError(err: unknown): ClientError & { known: boolean } {
  if (err instanceof QueryError || err instanceof RequestError) {
    return { code: err.code, message: err.message, status: STATUS[err.code], known: true };
  }
  if (err instanceof TimeParseError) return { code: 'INVALID_TIME', message: err.message, status: 400, known: true };
  return { code: 'INTERNAL_SERVER_ERROR', message: MASKED_MESSAGE, status: 500, known: false };
}
