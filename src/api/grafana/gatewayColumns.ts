/**
 * gatewayColumns: the Gateway API columns of the Grafana route tables (simPod JSON and Infinity): which
 * Gateway and listener took the request, which route rule matched, and the weighted backends as text
 * ("shop/checkout-v1:80 90% | shop/checkout-v2:80 10%"). All null when the route did not go through a Gateway.
 */
import type { RouteAnswer } from '../../model/route.js';
import { RequestError } from '../errors.js';

export interface GatewayCells {
  readonly gateway: string | null;
  readonly listener: string | null;
  readonly gatewayRoute: string | null;
  readonly gatewayRule: string | null;
  readonly weights: string | null;
}

export const GATEWAY_COLUMNS: readonly [keyof GatewayCells, 'string'][] = [['gateway', 'string'], ['listener', 'string'], ['gatewayRoute', 'string'], ['gatewayRule', 'string'], ['weights', 'string']];

export function gatewayCells(answer: RouteAnswer): GatewayCells {
  const g = answer.gateway;
  if (!g) return { gateway: null, listener: null, gatewayRoute: null, gatewayRule: null, weights: null };
  const m = g.rule?.match;
  return {
    gateway: `${g.namespace}/${g.name}`,
    listener: `${g.listener.name} (${g.listener.protocol} ${g.listener.port}${g.listener.hostname ? ` ${g.listener.hostname}` : ''})`,
    gatewayRoute: g.route ? `${g.route.kind} ${g.route.namespace}/${g.route.name}` : null,
    gatewayRule: g.rule ? `${g.rule.index}${g.rule.name ? ` (${g.rule.name})` : ''}${m?.path ? ` ${m.path.type} ${m.path.value}` : m?.grpc ? ` ${m.grpc.service ?? '*'}/${m.grpc.method ?? '*'}` : ''}` : null,
    weights: g.backends.length ? g.backends.map((b) => `${b.namespace}/${b.name}${b.port !== null ? `:${b.port}` : ''} ${Math.round(b.share * 1000) / 10}%${b.status === 'resolved' ? '' : ` (${b.status})`}`).join(' | ') : null,
  };
}

/** Request headers given as a JSON object, or as its JSON text (Infinity passes URL parameters). */
export function headersField(v: unknown, where: string): Record<string, string> | null {
  if (v === undefined || v === null || v === '') return null;
  let o = v;
  if (typeof v === 'string') {
    try {
      o = JSON.parse(v);
    } catch {
      throw new RequestError('BAD_REQUEST', `${where}: payload field 'headers': expected a JSON object of strings`);
    }
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o) || Object.values(o).some((x) => typeof x !== 'string')) {
    throw new RequestError('BAD_REQUEST', `${where}: payload field 'headers': expected a JSON object of strings`);
  }
  return o as Record<string, string>;
}
