/**
 * formatError: the one mapping of GraphQL errors to what clients see (Apollo's formatError hook).
 *
 * Kept as they are: errors Apollo and graphql-js raise for bad requests (parse, validation, variable
 * coercion, operation resolution), whose extensions.code is one of KEPT_CODES; our limits
 * (QUERY_TOO_DEEP/COSTLY); scalar input errors (INVALID_TIME, INVALID_PORT). Mapped: errors thrown by
 * resolvers that are client errors (QueryError, TimeParseError) get their stable code. Masked: everything
 * else becomes INTERNAL_SERVER_ERROR "internal error", and is passed to `onMasked` for the log.
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { MASKED_MESSAGE, toClientError } from '../errors.js';

const KEPT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COSTLY',
  'INVALID_TIME',
  'INVALID_PORT',
]);

const SPECIFIC_CODES = new Set(['QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY', 'INVALID_TIME', 'INVALID_PORT']);

export function makeFormatError(onMasked: (error: unknown) => void) {
  return function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
    const original = unwrapResolverError(error);
    const client = toClientError(original);
    if (client.known) {
      return { message: client.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: client.code } };
    }
    // Apollo re-codes validation and variable errors (GRAPHQL_VALIDATION_FAILED, BAD_USER_INPUT); the more
    // precise code our rules and scalars gave is on the error they wrap.
    const inner = (error as { originalError?: { extensions?: Record<string, unknown> } } | null)?.originalError?.extensions?.['code'];
    const outer = formatted.extensions?.['code'];
    const code = typeof inner === 'string' && SPECIFIC_CODES.has(inner) ? inner : outer;
    if (typeof code === 'string' && KEPT_CODES.has(code) && original === error) {
      return { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), extensions: { code } };
    }
    onMasked(original);
    return { message: MASKED_MESSAGE, ...(formatted.path ? { path: formatted.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
