/**
 * routeService: the Service hop onwards — Service port, ExternalName (T6), headless DNS (T2), slice join
 * (E8/E9), kube-proxy selection (P1–P6) and the Service's findings — producing the RouteAnswer. Callers
 * (the question dispatch in resolve.ts) say how the traffic reached the Service (Hop) and pass any
 * findings and Ingress hop gathered before it (Parts).
 */
import type { ServiceObject, ServicePort } from '../model/objects.js';
import type { EndpointHop, Finding, ForwardQuestion, GatewayHop, IngressHop, RouteAnswer, ServiceHop, Verdict } from '../model/route.js';
import {
  SERVICE_PROXY_NAME_LABEL,
  externalTrafficPolicy,
  internalTrafficPolicy,
  isHeadless,
  keyOf,
  nsOf,
  portNameOf,
  protocolOf,
  selectorOf,
  serviceType,
  sessionAffinity,
  targetPortOf,
} from './apiDefaults.js';
import { canonicalIP, type IPFamily } from './canonicalIP.js';
import { joinEndpoints, sortEndpoints, toJoined, type JoinedEndpoint, type JoinResult } from './endpointJoin.js';
import { finding, orderFindings, ref } from './findingCatalogue.js';
import { kubeProxySelect, type Selection } from './kubeProxySelect.js';
import { diagnoseService } from './serviceDiagnosis.js';
import { clusterIPsOf, findServicePort, portText, primaryFamily } from './servicePort.js';
import type { ClusterView } from './ClusterView.js';

export interface Hop {
  trafficKind: 'internal' | 'external';
  via: string;
  family: IPFamily | null;
  node: string | null;
  zone: string | null;
  protocol: string | undefined;
  viaIngress: boolean;
  /** External traffic from a Pod or the node itself: Cluster semantics whatever the ETP (P4). */
  shortCircuit?: boolean;
}

export interface Parts {
  ingress?: IngressHop | null;
  gateway?: GatewayHop;
  service?: ServiceHop | null;
  externalName?: string | null;
  endpoints?: EndpointHop[];
  backends?: string[];
  verdict: Verdict;
  findings: Finding[];
}

export function answer(question: ForwardQuestion, p: Parts): RouteAnswer {
  return {
    question,
    ingress: p.ingress ?? null,
    ...(p.gateway ? { gateway: p.gateway } : {}),
    service: p.service ?? null,
    externalName: p.externalName ?? null,
    endpoints: p.endpoints ?? [],
    backends: [...new Set(p.backends ?? [])].sort(),
    verdict: p.verdict,
    findings: orderFindings(p.findings),
  };
}

function serviceHop(svc: ServiceObject, sp: ServicePort | null, hop: Hop, portFallback: number | null): ServiceHop {
  const selector = selectorOf(svc);
  return {
    namespace: nsOf(svc),
    name: svc.metadata.name,
    port: sp ? sp.port : portFallback,
    portName: sp ? portNameOf(sp) : null,
    protocol: sp ? protocolOf(sp) : null,
    targetPort: sp ? targetPortOf(sp) : null,
    nodePort: sp?.nodePort ?? null,
    type: serviceType(svc),
    clusterIPs: clusterIPsOf(svc),
    headless: isHeadless(svc),
    selector: selector ? { ...selector } : null,
    trafficKind: hop.trafficKind,
    via: hop.via,
    internalTrafficPolicy: internalTrafficPolicy(svc),
    externalTrafficPolicy: externalTrafficPolicy(svc),
    trafficDistribution: svc.spec?.trafficDistribution ?? null,
    sessionAffinity: sessionAffinity(svc),
  };
}

function endpointHops(endpoints: readonly JoinedEndpoint[], chosen: ReadonlySet<string>, reasons: ReadonlyMap<string, string>): EndpointHop[] {
  return endpoints.map((e) => ({
    address: e.address,
    port: e.port,
    target: e.target,
    conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
    node: e.node,
    zone: e.zone,
    pod: e.pod,
    hostname: e.hostname,
    slice: e.slice,
    selected: chosen.has(e.target),
    reason: reasons.get(e.target) ?? '',
  }));
}

/** Service → port → endpoints → backends, with findings. */
export function resolveService(view: ClusterView, q: ForwardQuestion, svc: ServiceObject, portRef: number | string | undefined, hop: Hop, pre: Parts): RouteAnswer {
  const ns = nsOf(svc);
  const name = svc.metadata.name;
  const svcRef = ref('Service', ns, name);
  const findings = [...pre.findings];
  const base = { ingress: pre.ingress ?? null };
  const type = serviceType(svc);

  if (type === 'ExternalName') {
    const sp = findServicePort(svc, portRef, hop.protocol);
    const target = svc.spec?.externalName ?? null;
    findings.push(
      finding(
        'EXTERNAL_NAME',
        `Service ${ns}/${name} is of type ExternalName: cluster DNS answers with a CNAME to ${target ?? '(no externalName set)'}; nothing is proxied and selector and ports are ignored.`,
        [svcRef],
      ),
    );
    return answer(q, { ...base, service: serviceHop(svc, sp, hop, typeof portRef === 'number' ? portRef : null), externalName: target, verdict: 'dns', findings });
  }

  // T2: a headless Service needs no port for DNS; a client may dial any port on the addresses.
  const sp =
    findServicePort(svc, portRef, hop.protocol) ??
    (isHeadless(svc) && !hop.viaIngress && typeof portRef === 'number' ? { port: portRef, protocol: hop.protocol ?? 'TCP' } : null);
  if (!sp) {
    const ports = (svc.spec?.ports ?? []).map(portText);
    const asked = `port ${typeof portRef === 'number' ? portRef : `"${portRef}"`}${hop.protocol ? `/${hop.protocol}` : ''}`;
    const byTarget = typeof portRef === 'number' ? (svc.spec?.ports ?? []).find((p) => targetPortOf(p) === portRef) : undefined;
    const byNodePort = typeof portRef === 'number' ? (svc.spec?.ports ?? []).find((p) => p.nodePort === portRef) : undefined;
    const targetHint = byTarget
      ? hop.viaIngress
        ? ` ${portRef} is a targetPort: an Ingress backend must name the Service port (${byTarget.port}); some controllers also accept the targetPort, the API does not.`
        : ` ${portRef} is the targetPort (the port on the Pods); the Service listens on ${byTarget.port}.`
      : byNodePort
        ? ` ${portRef} is a nodePort: it is open on the node IPs, not on the Service's cluster IP (which listens on ${byNodePort.port}).`
        : '';
    findings.push(
      finding(
        hop.viaIngress ? 'INGRESS_BACKEND_PORT_NOT_FOUND' : 'SERVICE_PORT_NOT_FOUND',
        portRef === undefined
          ? `Service ${ns}/${name} has ${ports.length ? `several ports (${ports.join(', ')}); name one` : 'no ports'}.`
          : `Service ${ns}/${name} has no ${asked}; its ports are ${ports.length ? ports.join(', ') : 'none'}.${targetHint}`,
        [svcRef],
      ),
    );
    return answer(q, { ...base, service: serviceHop(svc, null, hop, typeof portRef === 'number' ? portRef : null), verdict: 'not-found', findings });
  }

  const service = serviceHop(svc, sp, hop, null);
  const spKey = { name: portNameOf(sp), protocol: protocolOf(sp) };
  const { slices, derived } = view.slicesOf(keyOf(ns, name));

  // T2: headless, asked by DNS name or Service reference: DNS returns ready addresses, no translation.
  if (isHeadless(svc) && !hop.viaIngress) {
    const records = new Map<string, JoinedEndpoint>();
    for (const s of slices) {
      for (const e of s.endpoints ?? []) {
        const ip = canonicalIP(e.addresses?.[0]);
        if (ip === null || records.has(ip)) continue;
        records.set(ip, toJoined(e, ip, sp.port, s.metadata.name, ns));
      }
    }
    const all = sortEndpoints([...records.values()]);
    const ready = all.filter((e) => e.ready);
    const joined = joinEndpoints(slices, spKey, primaryFamily(svc), view.canonicalAddress);
    const translated = [...new Set(joined.endpoints.map((e) => e.port))].filter((p) => p !== sp.port);
    findings.push(
      finding(
        'HEADLESS',
        `Service ${ns}/${name} is headless (clusterIP None): no virtual IP and no kube-proxy rules; its DNS name returns the ${ready.length} ready endpoint address(es) and the client connects to them directly on port ${sp.port}.${translated.length ? ` The EndpointSlice port for "${spKey.name}" is ${translated.join(', ')} (advertised in SRV records), but a client dialling port ${sp.port} is not translated.` : ''}`,
        [svcRef],
      ),
    );
    const reasons = new Map(all.map((e) => [e.target, e.ready ? 'ready: in DNS answers' : 'not ready: not in DNS answers']));
    const join: JoinResult = { endpoints: all, slicesWithEndpoints: [], slicePortsSeen: [], findings: [] };
    findings.push(...diagnoseService({ view, service: svc, port: sp, join, selection: null, slices, derived }));
    return answer(q, {
      ...base,
      service,
      endpoints: endpointHops(all, new Set(ready.map((e) => e.target)), reasons),
      backends: ready.map((e) => e.target),
      verdict: ready.length ? 'dns' : 'rejected',
      findings,
    });
  }

  const family = hop.family ?? primaryFamily(svc);
  const join = joinEndpoints(slices, spKey, family, view.canonicalAddress);
  findings.push(...join.findings);
  const accessible = type === 'NodePort' || type === 'LoadBalancer' || (svc.spec?.externalIPs?.length ?? 0) > 0;
  // The node's zone only matters to zone hints (P4), so it is looked up only when an endpoint carries them.
  const hinted = join.endpoints.some((e) => e.forZones !== null);
  const zone = hop.zone ?? (hop.node !== null && hinted ? (view.zoneOfNode(hop.node) ?? null) : null);
  const selection: Selection = kubeProxySelect({
    endpoints: join.endpoints,
    trafficKind: hop.trafficKind,
    internalTrafficPolicy: hop.viaIngress && isHeadless(svc) ? 'Cluster' : internalTrafficPolicy(svc),
    externalTrafficPolicy: externalTrafficPolicy(svc),
    externallyAccessible: accessible,
    shortCircuit: hop.shortCircuit === true,
    node: hop.node,
    zone,
  });
  if (hop.shortCircuit && hop.trafficKind === 'external' && accessible && externalTrafficPolicy(svc) === 'Local') {
    findings.push(
      finding('EXTERNAL_POLICY_BYPASSED', `externalTrafficPolicy Local does not apply: kube-proxy sends traffic from a Pod or from the node itself to ${hop.via} to any endpoint of ${ns}/${name}, as if sent to the cluster IP.`, [svcRef]),
    );
  }
  findings.push(...diagnoseService({ view, service: svc, port: sp, join, selection, slices, derived }));

  let verdict: Verdict = selection.outcome;
  let backends = selection.chosen.map((e) => e.target);
  if (isHeadless(svc)) {
    findings.push(finding('HEADLESS', `Service ${ns}/${name} is headless: the Ingress controller sends to the endpoints directly (there is no virtual IP).`, [svcRef]));
  }
  const proxyName = svc.metadata.labels?.[SERVICE_PROXY_NAME_LABEL];
  if (proxyName !== undefined) {
    findings.push(
      finding('SERVICE_PROXY_SKIPPED', `Service ${ns}/${name} is labelled ${SERVICE_PROXY_NAME_LABEL}=${proxyName}: kube-proxy ignores it and another proxy handles its traffic; the endpoints are listed, but where that proxy sends traffic is not known.`, [svcRef]),
    );
    verdict = 'unhandled';
    backends = [];
  }
  if (hop.trafficKind === 'external' && !hop.shortCircuit && type === 'LoadBalancer' && externalTrafficPolicy(svc) === 'Local' && hop.node !== null) {
    const readyLocal = join.endpoints.some((e) => e.ready && e.node === hop.node);
    if (!readyLocal) {
      findings.push(
        finding('HEALTH_CHECK_FAILS', `externalTrafficPolicy Local: node ${hop.node} has no ready local endpoint of ${ns}/${name}, so its health check (healthCheckNodePort ${svc.spec?.healthCheckNodePort ?? '?'}) answers 503 and the load balancer should not send it traffic.`, [svcRef]),
      );
    }
  }
  const chosen = new Set(backends);
  return answer(q, { ...base, service, endpoints: endpointHops(join.endpoints, chosen, selection.reasons), backends, verdict, findings });
}
