/**
 * renderRoute: the human form of an answer — the path drawn hop by hop (client → Ingress → Service →
 * EndpointSlice → Pods) with the findings under it. Pure text; the JSON form is the answer itself.
 */
import { clientOriginText } from '../model/clientOrigin.js';
import type { EndpointHop, Finding, ReverseAnswer, RouteAnswer } from '../model/route.js';

const ARROW = '  │\n  ▼';

function questionText(a: RouteAnswer): string {
  const q = a.question;
  if (q.kind === 'service') return `Service ${q.namespace}/${q.name}${q.port !== undefined ? ` port ${q.port}` : ''}`;
  const port = q.port ?? (a.ingress ? 80 : undefined);
  const scheme = a.ingress ? (port === 443 ? 'https://' : 'http://') : '';
  return `${scheme}${q.host}${port !== undefined ? `:${port}` : ''}${a.ingress ? (q.path ?? '/') : ''}`;
}

function clientText(a: RouteAnswer): string {
  const q = a.question;
  const parts = [q.client ? clientOriginText(q.client) : '', q.clientNode ? `node ${q.clientNode}` : '', q.clientZone ? `zone ${q.clientZone}` : ''].filter(Boolean);
  return `client${parts.length ? ` (${parts.join(', ')})` : ''}  →  ${questionText(a)}`;
}

function endpointLine(e: EndpointHop, last: boolean): string {
  const who = e.pod ? `Pod ${e.pod.namespace}/${e.pod.name}` : 'endpoint';
  const state = e.conditions.ready ? 'ready' : e.conditions.serving && e.conditions.terminating ? 'terminating (serving)' : e.conditions.terminating ? 'terminating' : 'not ready';
  const where = [e.node ? `node ${e.node}` : '', e.zone ? `zone ${e.zone}` : ''].filter(Boolean).join(', ');
  const mark = e.selected ? '──▶' : '──✗';
  return `  ${last ? '└' : '├'}${mark} ${who}  ${e.target}  ${state}${where ? `  (${where})` : ''}${e.selected ? '' : `  — ${e.reason}`}`;
}

export function renderFindings(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return ['Findings: none'];
  const lines = ['Findings:'];
  for (const f of findings) lines.push(`  ${f.severity.toUpperCase().padEnd(7)} ${f.code} [${f.rule}]: ${f.message}`);
  return lines;
}

export function renderRoute(a: RouteAnswer): string {
  const lines: string[] = [clientText(a)];
  if (a.ingress) {
    const i = a.ingress;
    const rule = i.defaultBackend ? 'defaultBackend' : `host ${i.host ?? '*'}  path ${i.path} (${i.pathType})`;
    lines.push(ARROW);
    lines.push(`Ingress ${i.namespace}/${i.name}  ${rule}${i.ingressClass ? `  class ${i.ingressClass}` : ''}${i.tls ? `  TLS ${i.tls.secretName ?? '(no secret)'}` : ''}`);
    if (i.backend.service) lines.push(`  backend: Service ${i.backend.service} port ${i.backend.port ?? '?'}`);
    else if (i.backend.resource) lines.push(`  backend: resource ${i.backend.resource}`);
  }
  if (a.service) {
    const s = a.service;
    lines.push(ARROW);
    const ips = [s.type, s.headless ? 'headless' : s.clusterIPs.join(', '), s.nodePort ? `nodePort ${s.nodePort}` : ''].filter(Boolean).join(' ');
    const port = s.port !== null ? `  port ${s.port}${s.portName ? ` (${s.portName})` : ''}${s.protocol ? `/${s.protocol}` : ''}${s.targetPort !== null ? ` → targetPort ${s.targetPort}` : ''}` : '';
    lines.push(`Service ${s.namespace}/${s.name}  (${ips})${port}`);
    const notes = [`via ${s.via}`];
    if (s.trafficKind === 'internal' && s.internalTrafficPolicy !== 'Cluster') notes.push(`internalTrafficPolicy ${s.internalTrafficPolicy}`);
    if (s.trafficKind === 'external' && s.externalTrafficPolicy !== 'Cluster') notes.push(`externalTrafficPolicy ${s.externalTrafficPolicy}`);
    if (s.trafficDistribution) notes.push(`trafficDistribution ${s.trafficDistribution}`);
    if (s.sessionAffinity.type !== 'None') notes.push(`sessionAffinity ${s.sessionAffinity.type} ${s.sessionAffinity.timeoutSeconds ?? ''}s`);
    lines.push(`  ${notes.join('; ')}`);
  }
  if (a.externalName) {
    lines.push(ARROW);
    lines.push(`DNS CNAME ${a.externalName}  (nothing is proxied)`);
  }
  if (a.endpoints.length > 0) {
    const bySlice = new Map<string, EndpointHop[]>();
    for (const e of a.endpoints) {
      const list = bySlice.get(e.slice);
      if (list) list.push(e);
      else bySlice.set(e.slice, [e]);
    }
    lines.push(ARROW);
    for (const [slice, eps] of [...bySlice.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
      lines.push(`EndpointSlice ${a.service?.namespace ?? ''}/${slice}`);
      eps.forEach((e, i) => lines.push(endpointLine(e, i === eps.length - 1)));
    }
  }
  if (a.service && !a.externalName) {
    // The line `kubectl describe service` prints: the addresses that receive the traffic, or <none>.
    lines.push(`Endpoints: ${a.backends.length > 0 ? a.backends.join(',') : '<none>'}`);
  }
  lines.push('');
  const outcome: Record<RouteAnswer['verdict'], string> = {
    forwarded: `forwarded to ${a.backends.length} backend(s): ${a.backends.join(', ')}`,
    rejected: 'rejected: no usable endpoint (connection refused)',
    dropped: 'dropped: no local endpoint (connection times out)',
    dns: a.externalName ? `DNS answers with a CNAME to ${a.externalName}` : `DNS answers with ${a.backends.length} address(es): ${a.backends.join(', ')}`,
    'not-found': 'no route',
    unhandled: 'handed to something routetrace cannot follow',
  };
  lines.push(`Result: ${outcome[a.verdict]}`);
  lines.push(...renderFindings(a.findings));
  return lines.join('\n') + '\n';
}

export function renderReverse(a: ReverseAnswer): string {
  const t = a.target;
  const who = t.pod ? `Pod ${t.pod.namespace}/${t.pod.name} (${t.addresses.join(', ') || 'no IP'})` : t.addresses.join(', ');
  const lines = [`${who}${t.node ? ` on node ${t.node}` : ''} is reached by:`];
  if (a.services.length === 0) lines.push('  no Service');
  for (const s of a.services) {
    lines.push(`  Service ${s.namespace}/${s.name} port ${s.port}${s.portName ? ` (${s.portName})` : ''}/${s.protocol} → ${s.endpointPort}  [${s.receivesTraffic ? 'receives traffic' : 'no traffic'}: ${s.reason}]`);
    if (s.entryPoints.length) lines.push(`    via ${s.entryPoints.join(', ')}`);
    for (const i of a.ingresses.filter((x) => x.namespace === s.namespace && x.service === s.name && x.servicePort === s.port)) {
      lines.push(`    Ingress ${i.namespace}/${i.name}  ${i.defaultBackend ? 'defaultBackend' : `${i.host ?? '*'} ${i.path} (${i.pathType})`}`);
    }
  }
  lines.push('');
  lines.push(...renderFindings(a.findings));
  return lines.join('\n') + '\n';
}
