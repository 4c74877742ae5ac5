/**
 * routeDiff: what differs in the route of host:port/path between two instants (both answered from
 * history, the same way `route(at:)` answers them). Pure comparison of two RouteAnswers plus the reads.
 */
import type { RouteAnswer } from '../model/route.js';
import { QueryError } from './QueryError.js';
import { hostQuestion, type HostRouteInput, type RouteQueries } from './routeQueries.js';

export interface RouteDiff {
  readonly from: { readonly answer: RouteAnswer; readonly at: Date };
  readonly to: { readonly answer: RouteAnswer; readonly at: Date };
  readonly changed: boolean;
  readonly backendsAdded: readonly string[];
  readonly backendsRemoved: readonly string[];
  readonly verdictChanged: boolean;
  readonly ingressChanged: boolean;
  readonly serviceChanged: boolean;
  readonly findingsAdded: readonly { code: string; message: string }[];
  readonly findingsRemoved: readonly { code: string; message: string }[];
  readonly summary: readonly string[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export function compareRoutes(a: RouteAnswer, b: RouteAnswer): Omit<RouteDiff, 'from' | 'to'> {
  const before = new Set(a.backends), after = new Set(b.backends);
  const backendsAdded = b.backends.filter((x) => !before.has(x));
  const backendsRemoved = a.backends.filter((x) => !after.has(x));
  const fKey = (f: { code: string; message: string }) => `${f.code}\u0000${f.message}`;
  const fa = new Set(a.findings.map(fKey)), fb = new Set(b.findings.map(fKey));
  const findingsAdded = b.findings.filter((f) => !fa.has(fKey(f))).map((f) => ({ code: f.code, message: f.message }));
  const findingsRemoved = a.findings.filter((f) => !fb.has(fKey(f))).map((f) => ({ code: f.code, message: f.message }));
  const verdictChanged = a.verdict !== b.verdict;
  const ingressChanged = !same(a.ingress, b.ingress);
  const serviceChanged = !same(a.service, b.service);
  const summary: string[] = [];
  if (verdictChanged) summary.push(`verdict: ${a.verdict} → ${b.verdict}`);
  if (ingressChanged) summary.push(`ingress: ${a.ingress ? `${a.ingress.namespace}/${a.ingress.name} ${a.ingress.host ?? '*'}${a.ingress.path ?? ''}` : 'none'} → ${b.ingress ? `${b.ingress.namespace}/${b.ingress.name} ${b.ingress.host ?? '*'}${b.ingress.path ?? ''}` : 'none'}`);
  if (serviceChanged) summary.push(`service: ${a.service ? `${a.service.namespace}/${a.service.name}:${a.service.port ?? '-'}` : 'none'} → ${b.service ? `${b.service.namespace}/${b.service.name}:${b.service.port ?? '-'}` : 'none'}${a.service && b.service && a.service.name === b.service.name ? ' (spec changed)' : ''}`);
  for (const x of backendsAdded) summary.push(`backend added: ${x}`);
  for (const x of backendsRemoved) summary.push(`backend removed: ${x}`);
  for (const f of findingsAdded) summary.push(`finding added: ${f.code}`);
  for (const f of findingsRemoved) summary.push(`finding removed: ${f.code}`);
  const endpointsChanged = !same(a.endpoints, b.endpoints);
  if (endpointsChanged && backendsAdded.length === 0 && backendsRemoved.length === 0) summary.push('endpoints changed (conditions or non-selected endpoints)');
  return {
    changed: verdictChanged || ingressChanged || serviceChanged || endpointsChanged || backendsAdded.length > 0 || backendsRemoved.length > 0 || findingsAdded.length > 0 || findingsRemoved.length > 0 || a.externalName !== b.externalName,
    backendsAdded,
    backendsRemoved,
    verdictChanged,
    ingressChanged,
    serviceChanged,
    findingsAdded,
    findingsRemoved,
    summary,
  };
}

export function routeDiff(routes: RouteQueries, input: Omit<HostRouteInput, 'at'> & { from: Date; to: Date }): RouteDiff {
  if (input.from.getTime() > input.to.getTime()) throw new QueryError('BAD_USER_INPUT', 'from: must not be after to');
  const q = hostQuestion(input);
  const from = routes.forward(q, input.from);
  const to = routes.forward(q, input.to);
  return { from, to, ...compareRoutes(from.answer, to.answer) };
}
