/**
 * GraphQLContext: what every resolver receives: the clusters of the history and their read use cases.
 */
import type { Fleet } from '../../queries/Fleet.js';

export interface GraphQLContext {
  readonly fleet: Fleet;
}
