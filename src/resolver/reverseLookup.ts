/**
 * reverseLookup: which Services (and through them which Ingress hosts/paths) reach a Pod or an IP.
 *
 * Uses the view's endpoint references by IP (every labelled and derived slice), re-runs the E9 join for
 * each Service port so the answer agrees with forward resolution, and marks whether kube-proxy sends that
 * port's traffic to the target (without client context: Local policies and topology hints can narrow it).
 * For a Pod, Services whose selector matches it but that do not list it are explained (not ready, named
 * port missing). Output is sorted by namespace, name, port.
 */
import type { ServiceObject } from '../model/objects.js';
import type { Finding, ReverseAnswer, ReverseIngressRoute, ReverseQuestion, ReverseServiceRoute } from '../model/route.js';
import { isHeadless, keyOf, nsOf, portNameOf, protocolOf, serviceType, targetPortOf } from './apiDefaults.js';
import { canonicalIP, hostPort, ipFamily } from './canonicalIP.js';
import { joinEndpoints } from './endpointJoin.js';
import { finding, orderFindings, ref } from './findingCatalogue.js';
import { kubeProxySelect } from './kubeProxySelect.js';
import { podIPs, podReady, resolveNamedPort } from './podFacts.js';
import type { ClusterView } from './ClusterView.js';

function entryPoints(svc: ServiceObject, port: number, nodePort: number | null | undefined): string[] {
  const out: string[] = [];
  const ips = svc.spec?.clusterIPs?.length ? svc.spec.clusterIPs : svc.spec?.clusterIP ? [svc.spec.clusterIP] : [];
  for (const raw of ips) {
    const ip = canonicalIP(raw);
    if (ip) out.push(hostPort(ip, port));
  }
  for (const raw of svc.spec?.externalIPs ?? []) {
    const ip = canonicalIP(raw);
    if (ip) out.push(hostPort(ip, port));
  }
  if (serviceType(svc) === 'LoadBalancer') {
    for (const ing of svc.status?.loadBalancer?.ingress ?? []) {
      const ip = canonicalIP(ing.ip);
      if (ip) out.push(hostPort(ip, port));
      else if (ing.hostname) out.push(`${ing.hostname}:${port}`);
    }
  }
  if (nodePort && (serviceType(svc) === 'NodePort' || serviceType(svc) === 'LoadBalancer')) out.push(`<every node>:${nodePort}`);
  return out;
}

export function reverseLookup(view: ClusterView, q: ReverseQuestion): ReverseAnswer {
  const findings: Finding[] = [];
  let addresses: string[] = [];
  let pod = null as { namespace: string; name: string } | null;
  let node: string | null = null;

  if (q.pod) {
    const p = view.pod(keyOf(q.pod.namespace, q.pod.name));
    if (!p) {
      findings.push(finding('POD_NOT_FOUND', `There is no Pod ${q.pod.name} in namespace ${q.pod.namespace}.`, [ref('Pod', q.pod.namespace, q.pod.name)]));
      return { question: q, target: { addresses: [], pod: null, node: null }, services: [], ingresses: [], findings: orderFindings(findings) };
    }
    addresses = podIPs(p);
    pod = { namespace: nsOf(p), name: p.metadata.name };
    node = p.spec?.nodeName ?? null;
    if (addresses.length === 0) findings.push(finding('POD_NOT_FOUND', `Pod ${pod.namespace}/${pod.name} has no IP yet, so no Service can reach it.`, [ref('Pod', pod.namespace, pod.name)], 'warning'));
  } else if (q.ip !== undefined) {
    const ip = canonicalIP(q.ip);
    if (ip === null) throw new Error(`reverseLookup: ${q.ip} is not an IP address`);
    addresses = [ip];
    const p = view.podsAtIP(ip)[0];
    if (p) {
      pod = { namespace: nsOf(p), name: p.metadata.name };
      node = p.spec?.nodeName ?? null;
    }
  }

  const addressSet = new Set(addresses);
  const serviceKeys = new Set<string>();
  for (const a of addresses) for (const r of view.endpointRefsAt(a)) serviceKeys.add(r.serviceKey);

  const services: ReverseServiceRoute[] = [];
  const ingresses: ReverseIngressRoute[] = [];
  for (const key of [...serviceKeys].sort()) {
    const svc = view.service(key);
    const [ns, name] = [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
    if (!svc) {
      findings.push(finding('SLICE_ORPHAN_LABEL', `An EndpointSlice lists this address for Service ${ns}/${name}, which does not exist.`, [ref('Service', ns, name)]));
      continue;
    }
    if (serviceType(svc) === 'ExternalName') continue;
    const { slices } = view.slicesOf(key);
    let listedOnSomePort = false;
    for (const sp of svc.spec?.ports ?? []) {
      for (const family of [...new Set(addresses.map(ipFamily))]) {
        const join = joinEndpoints(slices, { name: portNameOf(sp), protocol: protocolOf(sp) }, family, view.canonicalAddress);
        const mine = join.endpoints.filter((e) => addressSet.has(e.address));
        if (mine.length === 0) continue;
        listedOnSomePort = true;
        const sel = kubeProxySelect({
          endpoints: join.endpoints,
          trafficKind: 'internal',
          internalTrafficPolicy: 'Cluster',
          externalTrafficPolicy: 'Cluster',
          externallyAccessible: false,
          node: null,
          zone: null,
        });
        const chosen = new Set(isHeadless(svc) ? join.endpoints.filter((e) => e.ready).map((e) => e.target) : sel.chosen.map((e) => e.target));
        for (const e of mine) {
          services.push({
            namespace: ns,
            name,
            port: sp.port,
            portName: portNameOf(sp),
            protocol: protocolOf(sp),
            endpointPort: e.port,
            slice: e.slice,
            conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating },
            receivesTraffic: chosen.has(e.target),
            reason: isHeadless(svc) ? (e.ready ? 'headless: in DNS answers' : 'headless: not ready, not in DNS answers') : (sel.reasons.get(e.target) ?? ''),
            entryPoints: isHeadless(svc) ? [`${name}.${ns}.svc.cluster.local:${sp.port} (DNS)`] : entryPoints(svc, sp.port, sp.nodePort),
          });
        }
        for (const b of view.ingressBackendsOf(key)) {
          if (b.port !== sp.port && b.port !== portNameOf(sp)) continue;
          ingresses.push({ namespace: b.ingress.namespace, name: b.ingress.name, host: b.host, path: b.path, pathType: b.pathType, defaultBackend: b.defaultBackend, service: name, servicePort: sp.port });
        }
      }
    }
    if (!listedOnSomePort) {
      findings.push(finding('ENDPOINT_PORT_NAME_MISMATCH', `EndpointSlices of ${ns}/${name} list this address, but with no port matching a Service port by name and protocol, so no Service traffic reaches it.`, [ref('Service', ns, name)]));
    }
  }

  // Selector Services that match the Pod but do not list it.
  if (pod) {
    const p = view.pod(keyOf(pod.namespace, pod.name))!;
    for (const svc of view.servicesSelecting(pod.namespace, p.metadata.labels ?? {})) {
      const svcName = svc.metadata.name;
      if (serviceKeys.has(keyOf(pod.namespace, svcName)) || serviceType(svc) === 'ExternalName') continue;
      const sRef = ref('Service', pod.namespace, svcName);
      const pRef = ref('Pod', pod.namespace, pod.name);
      const named = (svc.spec?.ports ?? []).map(targetPortOf).filter((t): t is string => typeof t === 'string');
      const missing = named.filter((t, i) => resolveNamedPort(p, t, protocolOf(svc.spec!.ports![i])) === null);
      if (missing.length > 0 && missing.length === (svc.spec?.ports ?? []).length) {
        findings.push(finding('TARGET_PORT_NOT_DECLARED', `Service ${pod.namespace}/${svcName} selects Pod ${pod.name}, but the Pod declares none of its named targetPorts (${missing.join(', ')}).`, [sRef, pRef]));
      } else if (!podReady(p)) {
        findings.push(finding('PODS_NOT_READY', `Service ${pod.namespace}/${svcName} selects Pod ${pod.name}, but the Pod is not ready, so it is not an endpoint.`, [sRef, pRef], 'warning'));
      } else {
        findings.push(finding('NO_ENDPOINTS', `Service ${pod.namespace}/${svcName} selects Pod ${pod.name}, but no EndpointSlice of the Service lists it (the snapshot's slices may be stale).`, [sRef, pRef], 'warning'));
      }
    }
  }
  if (services.length === 0 && addresses.length > 0) {
    findings.push(finding('NOT_AN_ENDPOINT', `No Service's endpoints include ${addresses.join(', ')}: no Service or Ingress traffic reaches ${pod ? `Pod ${pod.namespace}/${pod.name}` : 'this address'}.`, pod ? [ref('Pod', pod.namespace, pod.name)] : []));
  }

  services.sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : a.namespace + '/' + a.name > b.namespace + '/' + b.name ? 1 : a.port - b.port || a.endpointPort - b.endpointPort));
  const seen = new Set<string>();
  const uniqueIngresses = ingresses
    .filter((i) => {
      const k = JSON.stringify(i);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => {
      const ka = `${a.namespace}/${a.name}\u0000${a.host ?? ''}\u0000${a.path ?? ''}\u0000${a.servicePort}`;
      const kb = `${b.namespace}/${b.name}\u0000${b.host ?? ''}\u0000${b.path ?? ''}\u0000${b.servicePort}`;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
  return { question: q, target: { addresses, pod, node }, services, ingresses: uniqueIngresses, findings: orderFindings(findings) };
}
