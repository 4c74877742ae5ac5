/**
 * scalars: DateTime, JSON and IntOrString as schema.graphql describes them. Input errors are GraphQLErrors
 * with a stable `extensions.code` (INVALID_TIME, INVALID_PORT), which graphql-js reports as validation or
 * variable errors: never a server error.
 */
import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped, type ValueNode } from 'graphql';
import { parseTime, TimeParseError } from '../../time/parseTime.js';

function timeInput(value: unknown): Date {
  if (typeof value !== 'string' && typeof value !== 'number') {
    throw new GraphQLError('DateTime: expected an RFC 3339 string, epoch milliseconds or a relative time like -15m', { extensions: { code: 'INVALID_TIME' } });
  }
  try {
    return parseTime(value);
  } catch (e) {
    if (e instanceof TimeParseError) throw new GraphQLError(`DateTime: ${e.message}`, { extensions: { code: 'INVALID_TIME' } });
    throw e;
  }
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize(value) {
    const d = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : null;
    if (!d || Number.isNaN(d.getTime())) throw new Error('DateTime.serialize: not a time');
    return d.toISOString();
  },
  parseValue: timeInput,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.STRING) return timeInput(ast.value);
    if (ast.kind === Kind.INT) return timeInput(Number(ast.value));
    throw new GraphQLError('DateTime: expected a string or an integer', { extensions: { code: 'INVALID_TIME' } });
  },
});

export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

function intOrString(value: unknown): number | string {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && value.length <= 63) return value;
  throw new GraphQLError('IntOrString: expected a whole number or a port name', { extensions: { code: 'INVALID_PORT' } });
}

export const IntOrStringScalar = new GraphQLScalarType<number | string, number | string>({
  name: 'IntOrString',
  serialize: (value) => {
    if (typeof value === 'number' || typeof value === 'string') return value;
    throw new Error('IntOrString.serialize: not a number or string');
  },
  parseValue: intOrString,
  parseLiteral(ast) {
    if (ast.kind === Kind.INT) return intOrString(Number(ast.value));
    if (ast.kind === Kind.STRING) return intOrString(ast.value);
    throw new GraphQLError('IntOrString: expected a whole number or a port name', { extensions: { code: 'INVALID_PORT' } });
  },
});
