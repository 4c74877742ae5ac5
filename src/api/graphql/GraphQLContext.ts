/**
 * GraphQLContext: what every resolver receives: the shared read use cases. One per request.
 */
import type { Queries } from '../../queries/Queries.js';

export interface GraphQLContext {
  readonly queries: Queries;
}
