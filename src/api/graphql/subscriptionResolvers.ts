/**
 * subscriptionResolvers: the Subscription fields of schema.graphql. Each subscribes to an answerStream
 * over the live change feed that recomputes the matching Query field for now; `resolve` unwraps an item
 * (an error item becomes the field's error, the stream goes on). A malformed argument fails the
 * subscription at once (the first answer is computed while subscribing).
 */
import type { SubscriptionResolvers } from '../../generated/graphql/resolvers.js';
import { answerStream, type StreamItem } from '../subscriptions/answerStream.js';
import type { GraphQLContext } from './GraphQLContext.js';
import type { RouteAnswerParent } from './parents.js';

const orNull = <T>(v: T | null | undefined): T | null => v ?? null;

function live(ctx: GraphQLContext): NonNullable<GraphQLContext['live']> {
  if (!ctx.live) throw new Error('subscriptionResolvers: subscriptions need the live change feed in the context');
  return ctx.live;
}

function unwrap<T>(item: StreamItem<T>): T {
  if ('error' in item) throw item.error;
  return item.value;
}

/**
 * Computes once (so bad arguments fail the subscription), then streams. `key` names the question:
 * subscriptions with the same key share one computation per state (SharedAnswers).
 */
function streamOf<T>(ctx: GraphQLContext, key: string, compute: () => T, fingerprint: (v: T) => string): AsyncIterableIterator<StreamItem<T>> {
  const { feed, stats, answers } = live(ctx);
  const shared = () => answers.get(key, compute);
  shared();
  return answerStream(feed, shared, fingerprint, stats);
}

export const subscriptionResolvers: SubscriptionResolvers<GraphQLContext> = {
  routeChanged: {
    subscribe(_p, a, ctx) {
      const question = { host: a.host, port: orNull(a.port), path: orNull(a.path), protocol: orNull(a.protocol), ingressClass: orNull(a.ingressClass), clientNode: null, clientZone: null };
      return streamOf(
        ctx,
        `route ${JSON.stringify(question)}`,
        (): RouteAnswerParent => {
          const r = ctx.fleet.primary.routes.route({ ...question, at: undefined });
          return { ...r.answer, at: r.at, cluster: ctx.fleet.watchedCluster };
        },
        ({ at: _at, ...answer }) => JSON.stringify(answer),
      ) as never;
    },
    resolve: (item: StreamItem<RouteAnswerParent>) => unwrap(item),
  },
  endpointsChanged: {
    subscribe(_p, a, ctx) {
      const question = { namespace: a.service.namespace, name: a.service.name, port: orNull(a.port), at: undefined };
      return streamOf(ctx, `endpoints ${JSON.stringify(question)}`, () => ctx.fleet.primary.routes.endpoints(question).answer, (v) => JSON.stringify(v)) as never;
    },
    resolve: (item: StreamItem<unknown>) => unwrap(item) as never,
  },
};
