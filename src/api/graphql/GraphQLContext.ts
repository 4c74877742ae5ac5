/**
 * GraphQLContext: what every resolver receives: the shared read use cases. One per request (HTTP) or
 * per subscription (WebSocket); subscriptions also get the live change feed and the stream counters.
 */
import type { Queries } from '../../queries/Queries.js';
import type { LiveChangeFeed } from '../subscriptions/LiveChangeFeed.js';
import type { StreamStats } from '../subscriptions/answerStream.js';
import type { SharedAnswers } from '../subscriptions/SharedAnswers.js';

export interface GraphQLContext {
  readonly queries: Queries;
  readonly live?: { readonly feed: LiveChangeFeed; readonly stats: StreamStats; readonly answers: SharedAnswers };
}
