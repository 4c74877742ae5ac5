/**
 * resolve: the forward question → RouteAnswer (§0 pipeline). Pure: reads the cluster only through a ClusterView.
 *
 * Host questions are read in this order: an IP that is a Service's ClusterIP, external IP or load-balancer
 * ingress IP; a node IP (Node addresses, else Pods' hostIP) with a nodePort; a Pod IP (direct); an Ingress controller's
 * status IP (only rules without host apply); a load-balancer hostname; a cluster DNS name
 * (`svc.ns.svc.cluster.local`, `svc.ns.svc`, or `svc.ns` when that Service exists); otherwise an Ingress host
 * on port 80/443 (§1). Gateway API Gateways come first for their own addresses, and for a host name when an
 * attached route serves it (else when no Ingress rule names it): gateway/resolveGateway.ts. Service questions name the Service and a port number or name. From the Service on,
 * routeService does the rest (port, ExternalName, headless, slices, kube-proxy, findings).
 *
 * The client (clientPlacement) decides the node kube-proxy answers on and how external addresses are
 * treated: a client outside the cluster cannot reach a ClusterIP or cluster DNS name (CLIENT_CANNOT_REACH);
 * traffic from a Pod or a node to a load-balancer or external IP, and from a node to its own
 * nodeIP:nodePort (or from any Pod to any nodeIP:nodePort, kube-proxy's local-traffic detection by cluster
 * CIDR), gets Cluster semantics whatever the externalTrafficPolicy (pkg/proxy/iptables/proxier.go). From an
 * Ingress controller on, the client is the controller, whose node is not known.
 */
import type { ForwardQuestion, HostQuestion, IngressHop, RouteAnswer } from '../model/route.js';
import { keyOf, nsOf, protocolOf } from './apiDefaults.js';
import { canonicalIP, hostPort, ipFamily } from './canonicalIP.js';
import { finding, orderFindings, ref } from './findingCatalogue.js';
import { resolveGateway } from './gateway/resolveGateway.js';
import { normalizeHost, selectIngressBackend } from './ingressSelect.js';
import { answer, resolveService, type Hop, type Parts } from './routeService.js';
import { placeClient, type Placement } from './clientPlacement.js';
import { closestName } from './serviceDiagnosis.js';
import { findServicePort } from './servicePort.js';
import type { ClusterView } from './ClusterView.js';

function serviceNotFound(view: ClusterView, q: ForwardQuestion, ns: string, name: string, pre: Parts, how: string): RouteAnswer {
  const near = closestName(name, view.serviceNames(ns));
  const findings = [...pre.findings];
  findings.push(finding('SERVICE_NOT_FOUND', `There is no Service ${name} in namespace ${ns}${how}.${near ? ` Did you mean ${near}?` : ''}`, [ref('Service', ns, name)]));
  return answer(q, { ...pre, verdict: 'not-found', findings });
}

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_FULL = new RegExp(`^(${LABEL})\\.(${LABEL})\\.svc(\\.cluster\\.local)?$`);
const DNS_SHORT = new RegExp(`^(${LABEL})\\.(${LABEL})$`);

/** Splits "host:port" / "[v6]:port" / "[v6]" (port only when the question has none). */
function splitHostPort(raw: string, port: number | undefined): { host: string; port: number | undefined } {
  const s = raw.trim();
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(s);
  if (bracket) return { host: bracket[1]!, port: port ?? (bracket[2] ? Number(bracket[2]) : undefined) };
  const m = /^([^:]+):(\d+)$/.exec(s);
  if (m) return { host: m[1]!, port: port ?? Number(m[2]) };
  return { host: s, port };
}

/** An internal address (ClusterIP, cluster DNS name) asked from outside the cluster: no route (P2). */
function unreachableFromOutside(q: ForwardQuestion, what: string, place: Placement): RouteAnswer {
  return answer(q, {
    verdict: 'not-found',
    findings: [...place.findings, finding('CLIENT_CANNOT_REACH', `${what} is reachable only from Pods and nodes of the cluster; a client outside it reaches Services through a nodePort, an external IP, a load balancer or an Ingress.`, [])],
  });
}

/** External entry points (LB IP, external IP, LB hostname): the node and the ETP short-circuit for the client (P3, P4). */
function externalEntry(place: Placement): { node: string | null; shortCircuit: boolean } {
  if (place.kind === 'pod' || place.kind === 'node') return { node: place.node, shortCircuit: true };
  return { node: place.node, shortCircuit: false };
}

function resolveHost(view: ClusterView, q: HostQuestion, place: Placement): RouteAnswer {
  const { host, port } = splitHostPort(q.host, q.port);
  const ip = canonicalIP(host);
  const clientNode = place.node;
  const clientZone = place.zone;
  if (ip !== null) {
    const gw = resolveGateway(view, q, ip, port ?? 80, ip);
    if (gw) return gw.answer;
    const entries = view.servicesAtIP(ip);
    if (entries.length > 0) {
      const entry = entries.find((e) => findServicePort(e.service, port, q.protocol) !== null) ?? entries[0]!;
      const kindText = entry.kind === 'clusterIP' ? 'ClusterIP' : entry.kind === 'externalIP' ? 'external IP' : 'load-balancer IP';
      if (entry.kind === 'clusterIP' && place.kind === 'external') return unreachableFromOutside(q, `ClusterIP ${ip}`, place);
      const ext = externalEntry(place);
      const pre: Parts = { verdict: 'forwarded', findings: [...place.findings] };
      if (entry.kind === 'loadBalancer' && entry.ipMode === 'Proxy') {
        pre.findings.push(
          finding('LB_NOT_CAPTURED', `Load-balancer IP ${ip} has ipMode Proxy: kube-proxy does not capture it; the load balancer forwards to the nodes, where the Service's external rules apply.`, [ref('Service', nsOf(entry.service), entry.service.metadata.name)]),
        );
      }
      const hop: Hop = {
        trafficKind: entry.kind === 'clusterIP' ? 'internal' : 'external',
        via: `${kindText} ${ip}`,
        family: ipFamily(ip),
        node: entry.kind === 'clusterIP' ? clientNode : ext.node,
        zone: clientZone,
        protocol: q.protocol,
        viaIngress: false,
        shortCircuit: entry.kind !== 'clusterIP' && ext.shortCircuit,
      };
      return resolveService(view, q, entry.service, port, hop, pre);
    }
    const node = view.nodeAtIP(ip);
    if (node !== undefined) {
      const candidates = port === undefined ? [] : view.servicesAtNodePort(port).filter((c) => !q.protocol || protocolOf(c.port) === q.protocol);
      const c = candidates.find((x) => protocolOf(x.port) === 'TCP') ?? candidates[0];
      if (!c) {
        return answer(q, {
          verdict: 'not-found',
          findings: [
            finding('NODE_PORT_NOT_FOUND', `${ip} is node ${node}, but no NodePort or LoadBalancer Service uses nodePort ${port ?? '(no port given)'}.`, [ref('Node', null, node)]),
          ],
        });
      }
      // The node that owns the IP handles the traffic. A Pod's traffic counts as local on every node (kube-proxy's
      // default local-traffic detection by cluster CIDR); a node's own traffic only on itself (src-type LOCAL).
      const shortCircuit = place.kind === 'pod' || (place.kind === 'node' && place.node === node);
      const hop: Hop = {
        trafficKind: 'external',
        via: `node ${node} (${ip}) nodePort ${port}`,
        family: ipFamily(ip),
        node,
        zone: clientZone !== null && (place.node === null || place.node === node) ? clientZone : null,
        protocol: protocolOf(c.port),
        viaIngress: false,
        shortCircuit,
      };
      return resolveService(view, q, c.service, c.port.port, hop, { verdict: 'forwarded', findings: [...place.findings] });
    }
    const pods = view.podsAtIP(ip);
    if (pods.length > 0) {
      const pod = pods[0]!;
      const target = port !== undefined ? hostPort(ip, port) : ip;
      return answer(q, {
        backends: port !== undefined ? [target] : [],
        verdict: 'forwarded',
        findings: [finding('DIRECT_POD_IP', `${ip} is the IP of Pod ${nsOf(pod)}/${pod.metadata.name}: traffic goes straight to the Pod, no Service is involved.`, [ref('Pod', nsOf(pod), pod.metadata.name)])],
      });
    }
    if (view.isIngressAddress(ip)) {
      // The Ingress controller's own address: the request carries no host name, so only rules without host apply.
      return resolveIngress(view, q, ip, port, place);
    }
    return answer(q, { verdict: 'not-found', findings: [finding('SERVICE_NOT_FOUND', `No Service, node, Pod or Ingress in the snapshot has the IP ${ip}.`, [])] });
  }

  const name = normalizeHost(host);
  const lbServices = view.servicesAtLBHostname(name);
  if (lbServices.length > 0) {
    const svc = lbServices.find((s) => findServicePort(s, port, q.protocol) !== null) ?? lbServices[0]!;
    const pre: Parts = {
      verdict: 'forwarded',
      findings: [finding('LB_NOT_CAPTURED', `${name} is the load-balancer hostname of Service ${nsOf(svc)}/${svc.metadata.name}: kube-proxy does not capture hostname-only load-balancer ingresses; the load balancer forwards to the nodes, where the Service's external rules apply.`, [ref('Service', nsOf(svc), svc.metadata.name)])],
    };
    const ext = externalEntry(place);
    pre.findings.push(...place.findings);
    return resolveService(view, q, svc, port, { trafficKind: 'external', via: `load-balancer hostname ${name}`, family: null, node: ext.node, zone: clientZone, protocol: q.protocol, viaIngress: false, shortCircuit: ext.shortCircuit }, pre);
  }
  const full = DNS_FULL.exec(name);
  const short = full ? null : DNS_SHORT.exec(name);
  const dnsHop: Hop = { trafficKind: 'internal', via: `DNS name ${name}`, family: null, node: clientNode, zone: clientZone, protocol: q.protocol, viaIngress: false };
  if (full) {
    const svcName = full[1]!;
    const ns = full[3]!;
    const svc = view.service(keyOf(ns, svcName));
    if (!svc) return serviceNotFound(view, q, ns, svcName, { verdict: 'not-found', findings: [...place.findings] }, ` (the DNS name ${name} does not resolve)`);
    if (place.kind === 'external') return unreachableFromOutside(q, `The cluster DNS name ${name}`, place);
    return resolveService(view, q, svc, port, dnsHop, { verdict: 'forwarded', findings: [...place.findings] });
  }
  if (short) {
    const svc = view.service(keyOf(short[3]!, short[1]!));
    if (svc && place.kind === 'external') return unreachableFromOutside(q, `The cluster DNS name ${name}`, place);
    if (svc) return resolveService(view, q, svc, port, dnsHop, { verdict: 'forwarded', findings: [...place.findings] });
  }

  const gw = resolveGateway(view, q, name, port ?? 80, null);
  if (gw) {
    const ingressRules = ingressServesHost(view, name);
    if (gw.hostRouted || !ingressRules) {
      if (!ingressRules) return gw.answer;
      const extra = finding('GATEWAY_AND_INGRESS', `Ingress rules also name ${name}; the answer follows the Gateway route (DNS decides whether clients reach the Gateway or the Ingress controller).`, []);
      return { ...gw.answer, findings: orderFindings([...gw.answer.findings, extra]) };
    }
  }
  return resolveIngress(view, q, name, port, place);
}

/** Whether Ingress rules name this host exactly or by a wildcard (I3). */
function ingressServesHost(view: ClusterView, name: string): boolean {
  const dot = name.indexOf('.');
  return view.rulesForHost(name).length > 0 || (dot > 0 && view.rulesForWildcard(name.slice(dot)).length > 0);
}

/** An Ingress host (or the controller's address) on port 80/443 through the Ingress rules (§1). */
function resolveIngress(view: ClusterView, q: HostQuestion, name: string, port: number | undefined, place: Placement): RouteAnswer {
  const ingressPort = port ?? 80;
  if (ingressPort !== 80 && ingressPort !== 443) {
    return answer(q, {
      verdict: 'not-found',
      findings: [finding('NO_INGRESS_RULE_MATCH', `${name} is not a Service address or cluster DNS name, and Ingress controllers take requests only on port 80 (HTTP) and 443 (HTTPS), not ${ingressPort}.`, [])],
    });
  }
  const sel = selectIngressBackend(view, name, q.path, ingressPort, { ingressClass: q.ingressClass, controller: q.ingressController });
  const findings = [...place.findings, ...sel.findings];
  if (!sel.match) return answer(q, { verdict: 'not-found', findings });
  const ing = sel.match.kind === 'rule' ? sel.match.path.ingress : sel.match.ingress;
  const backend = sel.match.kind === 'rule' ? sel.match.path.backend : ing.obj.spec!.defaultBackend!;
  const ingressHop: IngressHop = {
    namespace: ing.namespace,
    name: ing.name,
    host: sel.match.kind === 'rule' ? sel.match.path.host : null,
    path: sel.match.kind === 'rule' ? sel.match.path.path : null,
    pathType: sel.match.kind === 'rule' ? sel.match.path.pathType : null,
    defaultBackend: sel.match.kind === 'default',
    ingressClass: ing.className,
    backend: {
      service: backend.service?.name ?? null,
      port: backend.service?.port?.number ?? backend.service?.port?.name ?? null,
      resource: backend.resource ? `${backend.resource.apiGroup ? `${backend.resource.apiGroup}/` : ''}${backend.resource.kind}/${backend.resource.name}` : null,
    },
    tls: sel.tls,
  };
  const ingRef = ref('Ingress', ing.namespace, ing.name);
  if (!backend.service) {
    findings.push(
      finding(
        'INGRESS_RESOURCE_BACKEND',
        backend.resource
          ? `Ingress ${ing.namespace}/${ing.name} sends this request to the resource ${ingressHop.backend.resource}, which only its controller understands.`
          : `Ingress ${ing.namespace}/${ing.name} has a backend with neither service nor resource.`,
        [ingRef],
      ),
    );
    return answer(q, { ingress: ingressHop, verdict: 'unhandled', findings });
  }
  const svc = view.service(keyOf(ing.namespace, backend.service.name));
  if (!svc) {
    const near = closestName(backend.service.name, view.serviceNames(ing.namespace));
    findings.push(
      finding(
        'INGRESS_BACKEND_SERVICE_NOT_FOUND',
        `Ingress ${ing.namespace}/${ing.name} sends ${ingressHop.path ?? 'unmatched requests'} to Service ${backend.service.name}, which does not exist in namespace ${ing.namespace} (backends must be in the Ingress's namespace): the controller answers 503.${near ? ` Did you mean ${near}?` : ''}`,
        [ingRef, ref('Service', ing.namespace, backend.service.name)],
      ),
    );
    return answer(q, { ingress: ingressHop, verdict: 'not-found', findings });
  }
  const portRef = backend.service.port?.number ?? backend.service.port?.name ?? undefined;
  if (portRef === undefined) {
    findings.push(finding('INGRESS_BACKEND_PORT_NOT_FOUND', `Ingress ${ing.namespace}/${ing.name} names Service ${backend.service.name} without a port number or name.`, [ingRef]));
    return answer(q, { ingress: ingressHop, verdict: 'not-found', findings });
  }
  // From the controller on, the client is the controller, wherever it runs: a stated client origin does not say.
  const viaNode = place.kind === 'unknown' ? place.node : null;
  const hop: Hop = { trafficKind: 'internal', via: `Ingress ${ing.namespace}/${ing.name}`, family: null, node: viaNode, zone: viaNode === null ? null : place.zone, protocol: 'TCP', viaIngress: true };
  return resolveService(view, q, svc, portRef, hop, { ingress: ingressHop, verdict: 'forwarded', findings });
}

/** Answers one forward question against a cluster view (an index built by buildIndex, or history at an instant). */
export function resolve(view: ClusterView, q: ForwardQuestion): RouteAnswer {
  const place = placeClient(view, q);
  if (q.kind === 'service') {
    const svc = view.service(keyOf(q.namespace, q.name));
    if (!svc) return serviceNotFound(view, q, q.namespace, q.name, { verdict: 'not-found', findings: [...place.findings] }, '');
    if (place.kind === 'external') return unreachableFromOutside(q, `Service ${q.namespace}/${q.name} (its cluster IP and DNS name)`, place);
    const hop: Hop = {
      trafficKind: 'internal',
      via: 'Service reference',
      family: null,
      node: place.node,
      zone: place.zone,
      protocol: q.protocol,
      viaIngress: false,
    };
    return resolveService(view, q, svc, q.port, hop, { verdict: 'forwarded', findings: [...place.findings] });
  }
  return resolveHost(view, q, place);
}
