/**
 * timelineEvent: the event a timeline lists (one change on the route of a Service), its types, and its
 * sort and cursor key. Events are built by makeEvent, whose id is a hash of the event's content, so the
 * same change read twice (another page, another window of history) is the same event.
 *
 * Order: observed time, type (in TIMELINE_EVENT_TYPES order), subject (endpoint address and port name, or
 * the object), id. eventKey is that order as a string; it starts with the observed time, so events of an
 * earlier window of history always sort before those of a later one.
 */
import { createHash } from 'node:crypto';
import type { ObjectRef } from '../model/route.js';

export const TIMELINE_EVENT_TYPES = [
  'SERVICE_CREATED',
  'SERVICE_DELETED',
  'SERVICE_SELECTOR_CHANGED',
  'SERVICE_PORTS_CHANGED',
  'SERVICE_TYPE_CHANGED',
  'INGRESS_RULES_CHANGED',
  'GATEWAY_ROUTE_CHANGED',
  'POD_IP_CHANGED',
  'ENDPOINT_ADDED',
  'ENDPOINT_REMOVED',
  'ENDPOINT_READY',
  'ENDPOINT_NOT_READY',
  'ENDPOINT_TERMINATING',
  'ENDPOINT_PORT_CHANGED',
  'WATCH_GAP',
] as const;
export type TimelineEventType = (typeof TIMELINE_EVENT_TYPES)[number];

export interface TimelineEndpoint {
  readonly address: string;
  readonly port: number | null;
  readonly portName: string;
  readonly protocol: string;
  readonly pod: { readonly namespace: string; readonly name: string } | null;
  readonly node: string | null;
  readonly conditions: { readonly ready: boolean; readonly serving: boolean; readonly terminating: boolean } | null;
}

export interface TimelineEvent {
  readonly id: string;
  readonly type: TimelineEventType;
  readonly changeTime: Date | null;
  readonly observedTime: Date;
  readonly object: ObjectRef;
  readonly source: ObjectRef | null;
  readonly endpoint: TimelineEndpoint | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly gap: { readonly kind: string; readonly from: Date; readonly to: Date; readonly reason: string } | null;
  readonly message: string;
}

const TYPE_RANK = new Map<string, number>(TIMELINE_EVENT_TYPES.map((t, i) => [t, i]));

/** Width of the observed time at the start of a key (zero-padded epoch ms). */
const TIME_WIDTH = 15;

/** Sort and cursor key: observed time, type, subject (endpoint address or object name), id. */
export function eventKey(e: TimelineEvent): string {
  const subject = e.endpoint ? `${e.endpoint.address}|${e.endpoint.portName}` : `${e.object.namespace ?? ''}/${e.object.name}`;
  return `${String(e.observedTime.getTime()).padStart(TIME_WIDTH, '0')}|${String(TYPE_RANK.get(e.type)).padStart(2, '0')}|${subject}|${e.id}`;
}

/** The observed time (epoch ms) a key starts with, or null when the text is not a key. */
export function keyTime(key: string): number | null {
  const m = /^(\d{15})\|/.exec(key);
  return m ? Number(m[1]) : null;
}

function hashId(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export const ref = (kind: string, namespace: string | null, name: string): ObjectRef => ({ kind, namespace, name });

export function makeEvent(e: Omit<TimelineEvent, 'id' | 'observedTime' | 'changeTime'> & { observed: number; change: number | null }): TimelineEvent {
  const { observed, change, ...rest } = e;
  const id = hashId([rest.type, rest.object, rest.source, rest.endpoint && [rest.endpoint.address, rest.endpoint.portName, rest.endpoint.protocol], observed, rest.before, rest.after, rest.gap && [rest.gap.kind, rest.gap.from.getTime(), rest.gap.to.getTime()]]);
  return { id, observedTime: new Date(observed), changeTime: change === null ? null : new Date(change), ...rest };
}

/** Events sorted by eventKey. */
export function sortEvents(events: Iterable<TimelineEvent>): TimelineEvent[] {
  return [...events].map((e) => ({ e, k: eventKey(e) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0)).map((x) => x.e);
}
