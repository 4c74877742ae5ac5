/**
 * subscriptionMetrics: the GraphQL subscriptions (WebSocket) on /metrics, read at scrape time from the
 * subscription server's own counters (the composition root passes `stats`):
 *
 *   routetrace_subscription_connections               open WebSocket connections
 *   routetrace_subscriptions_active                   subscriptions streaming now
 *   routetrace_subscription_answers_sent_total        answers sent
 *   routetrace_subscription_changes_coalesced_total   changes merged into a later answer because the
 *                                                     client had not taken the previous one yet
 *   routetrace_subscription_buffered_bytes            bytes written to sockets and not yet sent
 */
import { Counter, Gauge, type Registry } from 'prom-client';

export interface SubscriptionCounters {
  readonly connections: number;
  readonly active: number;
  readonly delivered: number;
  readonly coalesced: number;
  readonly bufferedBytes: number;
}

export function registerSubscriptionMetrics(registry: Registry, stats: () => SubscriptionCounters): void {
  const registers = [registry];
  const gauge = (name: string, help: string, field: keyof SubscriptionCounters) =>
    new Gauge({
      name,
      help,
      registers,
      collect(this: Gauge) {
        this.set(stats()[field]);
      },
    });
  const counter = (name: string, help: string, field: keyof SubscriptionCounters) =>
    new Counter({
      name,
      help,
      registers,
      collect(this: Counter) {
        this.reset();
        this.inc(stats()[field]);
      },
    });
  gauge('routetrace_subscription_connections', 'Open GraphQL subscription (WebSocket) connections', 'connections');
  gauge('routetrace_subscriptions_active', 'GraphQL subscriptions streaming now', 'active');
  gauge('routetrace_subscription_buffered_bytes', 'Bytes written to subscription sockets and not yet sent', 'bufferedBytes');
  counter('routetrace_subscription_answers_sent_total', 'Answers sent to subscriptions', 'delivered');
  counter('routetrace_subscription_changes_coalesced_total', 'Changes merged into a later answer because the client had not taken the previous one', 'coalesced');
}
