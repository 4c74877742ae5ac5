/**
 * GraphQLContext: what every resolver receives: the clusters of the history and their read use cases. One
 * per request (HTTP) or per subscription (WebSocket); subscriptions also get the live change feed and the
 * stream counters (they follow the watched cluster's live state: `fleet.primary`).
 */
import type { Fleet } from '../../queries/Fleet.js';
import type { LiveChangeFeed } from '../subscriptions/LiveChangeFeed.js';
import type { StreamStats } from '../subscriptions/answerStream.js';
import type { SharedAnswers } from '../subscriptions/SharedAnswers.js';

export interface GraphQLContext {
  readonly fleet: Fleet;
  readonly live?: { readonly feed: LiveChangeFeed; readonly stats: StreamStats; readonly answers: SharedAnswers };
}
