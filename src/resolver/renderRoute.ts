/**
 * renderRoute: the human form of an answer — the path drawn hop by hop (client → Ingress or Gateway → Service →
 * EndpointSlice → Pods) with the findings under it. Pure text; the JSON form is the answer itself.
 */
import { clientOriginText } from '../model/clientOrigin.js';
import type { EndpointHop, Finding, GatewayHop, ReverseAnswer, RouteAnswer } from '../model/route.js';

const ARROW = '  │\n  ▼';

function questionText(a: RouteAnswer): string {
  const q = a.question;
  if (q.kind === 'service') return `Service ${q.namespace}/${q.name}${q.port !== undefined ? ` port ${q.port}` : ''}`;
  const l7 = a.ingress !== null || a.gateway !== undefined;
  const port = q.port ?? (l7 ? 80 : undefined);
  const scheme = l7 ? (port === 443 ? 'https://' : 'http://') : '';
  return `${q.method && l7 ? `${q.method} ` : ''}${scheme}${q.host}${port !== undefined ? `:${port}` : ''}${l7 ? (q.path ?? '/') : ''}`;
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

function gatewayLines(g: GatewayHop): string[] {
  const l = g.listener;
  const lines = [ARROW, `Gateway ${g.namespace}/${g.name}  listener ${l.name} (${l.protocol} ${l.port}${l.hostname ? ` ${l.hostname}` : ''})${g.gatewayClass ? `  class ${g.gatewayClass}` : ''}`];
  if (g.route) {
    const m = g.rule?.match;
    const what = !m ? '' : m.grpc ? `  method ${m.grpc.service ?? '*'}/${m.grpc.method ?? '*'} (${m.grpc.type})` : `  path ${m.path?.value ?? '/'} (${m.path?.type ?? 'PathPrefix'})`;
    const extra = m ? [m.method ? `method ${m.method}` : '', m.headers.length ? `${m.headers.length} header match(es)` : '', m.queryParams.length ? `${m.queryParams.length} query match(es)` : ''].filter(Boolean).join(', ') : '';
    lines.push(`  ${g.route.kind} ${g.route.namespace}/${g.route.name}  rule ${g.rule ? `${g.rule.index}${g.rule.name ? ` (${g.rule.name})` : ''}` : '-'}${what}${extra ? `  ${extra}` : ''}`);
  }
  for (const b of g.backends) {
    lines.push(`  backend ${b.kind} ${b.namespace}/${b.name}${b.port !== null ? `:${b.port}` : ''}  weight ${b.weight} (${Math.round(b.share * 1000) / 10}%)  ${b.status}${b.backends.length ? ` → ${b.backends.join(',')}` : ''}`);
  }
  for (const m of g.mirrors) lines.push(`  mirror ${m.kind} ${m.namespace}/${m.name}${m.port !== null ? `:${m.port}` : ''}  ${m.percent}%`);
  if (g.rewrite) lines.push(`  URL rewrite:${g.rewrite.hostname ? ` host ${g.rewrite.hostname}` : ''}${g.rewrite.path ? ` path ${g.rewrite.path}` : ''}`);
  if (g.redirect) {
    const r = g.redirect;
    lines.push(`  redirect ${r.statusCode}:${r.scheme ? ` scheme ${r.scheme}` : ''}${r.hostname ? ` host ${r.hostname}` : ''}${r.port !== null ? ` port ${r.port}` : ''}${r.path ? ` path ${r.path}` : ''}`);
  }
  return lines;
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
  if (a.gateway) lines.push(...gatewayLines(a.gateway));
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
    redirected: a.gateway?.redirect ? `redirected by the gateway (HTTP ${a.gateway.redirect.statusCode})` : 'redirected by the gateway',
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
