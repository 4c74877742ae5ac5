/**
 * executableSchema: schema.graphql with its resolvers (queries and subscriptions), built once and shared
 * by Apollo (HTTP) and graphql-ws (WebSocket), so both speak exactly the same API.
 */
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers.js';
import { subscriptionResolvers } from './subscriptionResolvers.js';

export function executableSchema(typeDefs: string): GraphQLSchema {
  return makeExecutableSchema({ typeDefs, resolvers: [resolvers as never, { Subscription: subscriptionResolvers as never }] });
}
