/**
 * Queries: the read use cases of routetrace in one object, shared by GraphQL, REST and the CLI.
 *
 * Built over a ClusterState (live snapshot and/or history). Point-in-time questions (route,
 * routeToService, reverse, service(s), endpoints, ingresses, pod) are RouteQueries; interval questions are
 * timeline, routeDiff and history. Adapters call these and only translate shapes; argument checks and
 * error codes live here (QueryError).
 */
import type { ClusterState } from './ClusterState.js';
import { objectHistory } from './objectHistory.js';
import { routeDiff, type RouteDiff } from './routeDiff.js';
import { RouteQueries, type HostRouteInput } from './routeQueries.js';
import { TimelineQueries, type TimelineInput, type TimelineResult } from './timeline.js';

export class Queries {
  readonly routes: RouteQueries;
  private readonly timelines: TimelineQueries;

  constructor(readonly state: ClusterState) {
    this.routes = new RouteQueries(state);
    this.timelines = new TimelineQueries(state, this.routes);
  }

  timeline(input: TimelineInput): Promise<TimelineResult> {
    return this.timelines.timeline(input);
  }

  routeDiff(input: Omit<HostRouteInput, 'at'> & { from: Date; to: Date }): RouteDiff {
    return routeDiff(this.routes, input);
  }

  history(input: Parameters<typeof objectHistory>[1]): ReturnType<typeof objectHistory> {
    return objectHistory(this.state, input);
  }
}
