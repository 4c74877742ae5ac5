/**
 * serviceDiagnosis: findings that explain a Service port's endpoints — why they are empty, not ready, or
 * unusual — in troubleshooting words: empty endpoints, selector matching no Pod, Pods not ready, port or
 * name mismatches, missing labels (E3–E9, S3–S6, M3–M7, P4, P8).
 *
 * Input: the cluster view, the Service, the Service port and the join/selection already computed. Output: findings
 * only; the route itself is decided by endpointJoin and kubeProxySelect.
 */
import type { EndpointSliceObject, EndpointsObject, PodObject, ServiceObject, ServicePort } from '../model/objects.js';
import type { Finding, ObjectRef } from '../model/route.js';
import {
  MANAGED_BY_LABEL,
  MIRROR_CONTROLLER,
  OVER_CAPACITY_ANNOTATION,
  SLICE_CONTROLLER,
  keyOf,
  nsOf,
  portNameOf,
  protocolOf,
  selectorOf,
  targetPortOf,
  usableSlicePort,
} from './apiDefaults.js';
import { isRestrictedEndpointIP } from './canonicalIP.js';
import type { JoinResult } from './endpointJoin.js';
import { finding, ref } from './findingCatalogue.js';
import type { Selection } from './kubeProxySelect.js';
import { MIRROR_MAX_PER_SUBSET, type MirrorSkip } from './mirrorEndpoints.js';
import { declaredPorts, declaresPortNumber, podReady, resolveNamedPort } from './podFacts.js';
import type { ClusterView, DerivedSlices } from './ClusterView.js';

const podRef = (p: PodObject) => ref('Pod', nsOf(p), p.metadata.name);
const list = (names: string[], max = 5) => (names.length <= max ? names.join(', ') : `${names.slice(0, max).join(', ')} and ${names.length - max} more`);

/** Levenshtein distance, for "did you mean" hints on small name sets. */
function distance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}

export function closestName(target: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(target, c);
    if (d < bestD || (d === bestD && best !== null && c < best)) {
      best = c;
      bestD = d;
    }
  }
  return best !== null && bestD <= Math.max(3, Math.floor(target.length / 2)) ? best : null;
}

/** X2: Pods whose labels match all selector keys but one, with the differing key. */
function nearMisses(pods: readonly PodObject[], selector: Record<string, string>): string[] {
  const keys = Object.keys(selector);
  const out: string[] = [];
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    const differing = keys.filter((k) => labels[k] !== selector[k]);
    if (differing.length === 1) {
      const k = differing[0]!;
      out.push(`${p.metadata.name} has ${labels[k] === undefined ? `no label ${k}` : `${k}=${labels[k]}`}`);
    }
  }
  return out.sort();
}

function podReadyText(p: PodObject): string {
  const c = (p.status?.conditions ?? []).find((x) => x.type === 'Ready');
  if (p.metadata.deletionTimestamp) return `${p.metadata.name} (terminating)`;
  return `${p.metadata.name} (Ready=${c?.status ?? 'unknown'}${p.status?.phase && p.status.phase !== 'Running' ? `, phase ${p.status.phase}` : ''})`;
}

export interface DiagnosisInput {
  readonly view: ClusterView;
  readonly service: ServiceObject;
  readonly port: ServicePort;
  readonly join: JoinResult;
  readonly selection: Selection | null;
  readonly slices: readonly EndpointSliceObject[];
  readonly derived: DerivedSlices | null;
}

export function diagnoseService(input: DiagnosisInput): Finding[] {
  const { view, service, port, join, selection, slices, derived } = input;
  const out: Finding[] = [];
  const ns = nsOf(service);
  const name = service.metadata.name;
  const key = keyOf(ns, name);
  const svcRef = ref('Service', ns, name);
  const spName = portNameOf(port);
  const spProto = protocolOf(port);
  const spText = `port ${port.port}${spName ? ` (${spName})` : ''}/${spProto}`;
  const selector = selectorOf(service);
  const target = targetPortOf(port);
  const endpoints = join.endpoints;
  const readyCount = endpoints.filter((e) => e.ready).length;

  if (derived) {
    out.push(
      derived.source.kind === 'Endpoints'
        ? finding(
            selector ? 'ENDPOINTS_DERIVED_FROM_PODS' : 'ENDPOINTS_MIRRORED',
            selector
              ? `The snapshot has no EndpointSlices; the endpoints of ${ns}/${name} are read from its Endpoints object (no terminating information).`
              : `No EndpointSlice is labelled for ${ns}/${name}; its Endpoints object ${derived.source.endpoints.metadata.name} is mirrored to EndpointSlices by the cluster, and those are used.`,
            [svcRef, ref('Endpoints', ns, derived.source.endpoints.metadata.name)],
          )
        : finding('ENDPOINTS_DERIVED_FROM_PODS', `The snapshot has no EndpointSlices; the endpoints of ${ns}/${name} are computed from its selector and Pods as the EndpointSlice controller would.`, [svcRef]),
    );
    if (derived.source.kind === 'Endpoints') out.push(...mirrorSkipFindings(derived.source.endpoints, derived.source.skipped, svcRef));
  }

  // Pods behind a selector.
  let pods: PodObject[] = [];
  if (selector) {
    pods = view.selectPods(ns, selector).filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed');
    const selText = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
    const listedPods = endpoints.filter((e) => e.pod !== null && view.pod(keyOf(e.pod.namespace, e.pod.name)) === undefined);
    if (pods.length === 0 && listedPods.length > 0) {
      // The slices list Pods the snapshot does not hold (Pods were not exported): judge from the endpoints.
      const notReady = listedPods.filter((e) => !e.ready);
      if (notReady.length > 0) {
        const none = notReady.length === listedPods.length;
        out.push(
          finding(
            'PODS_NOT_READY',
            `${none ? 'All' : `${notReady.length} of`} ${listedPods.length} Pod(s) listed for ${ns}/${name} are not ready (the Pod objects are not in the snapshot): ${list(notReady.map((e) => `${e.pod!.name}${e.terminating ? ' (terminating)' : ''}`))}.`,
            [svcRef, ...notReady.map((e) => ref('Pod', e.pod!.namespace, e.pod!.name))],
            none ? 'error' : 'warning',
          ),
        );
      }
    } else if (pods.length === 0 && (endpoints.length === 0 || view.hasPodsIn(ns))) {
      const misses = nearMisses(view.podsIn(ns), selector);
      out.push(
        finding(
          'SELECTOR_MATCHES_NO_PODS',
          `Service ${ns}/${name} selects ${selText}, but no running Pod in namespace ${ns} has these labels, so its endpoints are empty${misses.length ? `; near misses (check the labels for a typo): ${list(misses)}` : ''}.`,
          [svcRef],
        ),
      );
    } else {
      const notReady = pods.filter((p) => !podReady(p) || p.metadata.deletionTimestamp);
      if (notReady.length > 0) {
        const none = notReady.length === pods.length;
        out.push(
          finding(
            'PODS_NOT_READY',
            none
              ? `All ${pods.length} Pod(s) selected by ${ns}/${name} are not ready (failing readiness probes or terminating): ${list(notReady.map(podReadyText))}; they are listed as not-ready endpoints and receive no traffic.`
              : `${notReady.length} of ${pods.length} Pods selected by ${ns}/${name} are not ready and receive no traffic: ${list(notReady.map(podReadyText))}.`,
            [svcRef, ...notReady.map(podRef)],
            none && service.spec?.publishNotReadyAddresses !== true ? 'error' : 'warning',
          ),
        );
      }
      if (typeof target === 'string') {
        const missing = pods.filter((p) => resolveNamedPort(p, target, spProto) === null);
        if (missing.length > 0) {
          const all = missing.length === pods.length;
          out.push(
            finding(
              'TARGET_PORT_NOT_DECLARED',
              `Service ${ns}/${name} ${spText} targets the named port "${target}"/${spProto}, which ${all ? 'no selected Pod declares' : `${missing.length} of ${pods.length} selected Pods do not declare`} (${list(missing.map((p) => `${p.metadata.name}: ${declaredPorts(p).join(' ') || 'no ports'}`))}); ${all ? 'so there is no endpoint for this port' : 'those Pods get no traffic on this port'}.`,
              [svcRef, ...missing.map(podRef)],
              all ? 'error' : 'warning',
            ),
          );
        }
      } else {
        const undeclared = pods.filter((p) => declaredPorts(p).length > 0 && !declaresPortNumber(p, target, spProto));
        if (undeclared.length > 0) {
          out.push(
            finding(
              'NUMERIC_TARGET_PORT_UNDECLARED',
              `Service ${ns}/${name} ${spText} sends to targetPort ${target}, but ${list(undeclared.map((p) => `${p.metadata.name} declares ${declaredPorts(p).join(' ')}`))}; traffic still goes to ${target} (connection refused if nothing listens there).`,
              [svcRef, ...undeclared.map(podRef)],
            ),
          );
        }
      }
    }
  }

  // Empty or unusable endpoints.
  if (endpoints.length === 0) {
    let why: string;
    if (selector) why = pods.length === 0 ? 'its selector matches no Pod' : 'no selected Pod is listed for this port';
    else why = 'it has no selector, so its endpoints come only from EndpointSlices (or mirrored Endpoints) labelled kubernetes.io/service-name=' + name;
    out.push(finding('NO_ENDPOINTS', `Service ${ns}/${name} ${spText} has no endpoints (${why}): connections are refused.`, [svcRef]));
    // E1: a slice port with this name and protocol but no port number is skipped by kube-proxy.
    const numberless = join.slicesWithEndpoints.filter((s) => (s.ports ?? []).some((p) => portNameOf(p) === spName && protocolOf(p) === spProto && !usableSlicePort(p)));
    if (numberless.length > 0) {
      out.push(
        finding(
          'SLICE_PORT_WITHOUT_NUMBER',
          `EndpointSlice${numberless.length > 1 ? 's' : ''} ${list(numberless.map((s) => s.metadata.name))} of ${ns}/${name} ha${numberless.length > 1 ? 've' : 's'} a port named "${spName}"/${spProto}, as the Service port, but without a port number (port unset or 0); kube-proxy skips such a port, so its endpoints get no traffic for ${spText}. Set ports[].port on the slice.`,
          [svcRef, ...numberless.map((s) => ref('EndpointSlice', ns, s.metadata.name))],
        ),
      );
    } else if (join.slicesWithEndpoints.length > 0) {
      out.push(
        finding(
          'ENDPOINT_PORT_NAME_MISMATCH',
          `EndpointSlices of ${ns}/${name} (${list(join.slicesWithEndpoints.map((s) => s.metadata.name))}) have endpoints, but none has a port named "${spName}"/${spProto} (they have ${list([...join.slicePortsSeen])}); kube-proxy joins Service and slice ports by name and protocol, never by number.`,
          [svcRef, ...join.slicesWithEndpoints.map((s) => ref('EndpointSlice', ns, s.metadata.name))],
        ),
      );
    }
    if (!selector) {
      // Unlabelled slices that look meant for this Service (E3, X6).
      for (const s of view.unlabeledSlices(ns)) {
        const nameLike = s.metadata.name === name || s.metadata.name.startsWith(`${name}-`) || s.metadata.name.startsWith(name);
        const portLike = (s.ports ?? []).some((p) => p.port === target || (spName !== '' && portNameOf(p) === spName));
        if (nameLike || portLike) {
          out.push(
            finding(
              'SLICE_MISSING_SERVICE_NAME_LABEL',
              `EndpointSlice ${ns}/${s.metadata.name} looks meant for Service ${name} but lacks the label kubernetes.io/service-name=${name}; without it kube-proxy, DNS and Ingress controllers ignore the slice.`,
              [svcRef, ref('EndpointSlice', ns, s.metadata.name)],
            ),
          );
        }
      }
      // Slices labelled for a Service that does not exist, with a similar name (E3).
      for (const s of view.orphanSlicesIn(ns)) {
        const label = s.metadata.labels?.['kubernetes.io/service-name'] ?? '';
        if (closestName(label, [name]) !== null) {
          out.push(
            finding('SLICE_ORPHAN_LABEL', `EndpointSlice ${ns}/${s.metadata.name} is labelled for Service "${label}", which does not exist; did you mean ${name}?`, [
              svcRef,
              ref('EndpointSlice', ns, s.metadata.name),
            ]),
          );
        }
      }
      // Endpoints that are not mirrored (M4, X5).
      const ep = view.endpointsObject(key);
      const decision = view.mirror(key);
      if (ep && decision && !decision.mirror) {
        if (decision.reason === 'skip-mirror') {
          out.push(finding('ENDPOINTS_SKIP_MIRROR', `Endpoints ${ns}/${name} carries endpointslice.kubernetes.io/skip-mirror=true, so it is not mirrored to EndpointSlices and kube-proxy never sees it.`, [svcRef, ref('Endpoints', ns, name)]));
        } else if (decision.reason === 'leader') {
          out.push(finding('ENDPOINTS_NOT_MIRRORED', `Endpoints ${ns}/${name} is a leader-election lock (control-plane.alpha.kubernetes.io/leader) and is not mirrored.`, [svcRef, ref('Endpoints', ns, name)]));
        }
      } else if (!ep) {
        const orphans = view.endpointsObjectsIn(ns).filter((e) => view.service(keyOf(ns, e.metadata.name)) === undefined).map((e) => e.metadata.name);
        const near = closestName(name, orphans);
        if (near !== null) {
          out.push(
            finding('ENDPOINTS_NAME_MISMATCH', `Endpoints ${ns}/${near} belongs to no Service (an Endpoints object must have exactly the Service's name); did you mean to name it ${name}?`, [svcRef, ref('Endpoints', ns, near)]),
          );
        }
      }
    } else {
      const ep = view.endpointsObject(key);
      const hasAddresses = (ep?.subsets ?? []).some((s) => (s.addresses ?? []).length > 0);
      if (ep && hasAddresses && view.hasEndpointSlices && !derived) {
        out.push(
          finding('ENDPOINTS_IGNORED_SELECTOR', `Endpoints ${ns}/${name} lists addresses, but Service ${name} has a selector: hand-written Endpoints are overwritten by the endpoints controller and not mirrored.`, [svcRef, ref('Endpoints', ns, name)]),
        );
      }
    }
  } else if (readyCount === 0) {
    const fallback = selection?.terminatingFallback ?? endpoints.some((e) => e.serving && e.terminating);
    const notReady = endpoints.filter((e) => !e.ready);
    out.push(
      finding(
        'NO_READY_ENDPOINTS',
        fallback
          ? `Service ${ns}/${name} ${spText} has no ready endpoint; traffic falls back to the ${endpoints.filter((e) => e.serving && e.terminating).length} serving endpoint(s) that are terminating.`
          : `Service ${ns}/${name} ${spText} has ${notReady.length} endpoint(s) but none is ready or serving: connections are refused.`,
        [svcRef],
        fallback ? 'warning' : 'error',
      ),
    );
  }

  // Policy / topology / affinity notes.
  if (selection && endpoints.length > 0) {
    if (selection.policyLocal && selection.outcome === 'dropped') {
      out.push(
        finding(
          'NO_LOCAL_ENDPOINTS',
          `Traffic policy Local: no usable endpoint of ${ns}/${name} runs on the node handling this traffic, so it is dropped (timeout). Endpoints run on: ${list([...new Set(endpoints.map((e) => e.node ?? '(no node)'))].sort())}.`,
          [svcRef],
        ),
      );
    } else if (selection.policyLocal && selection.nodeUnknown) {
      out.push(
        finding(
          'TRAFFIC_POLICY_LOCAL',
          `Traffic policy Local: each node sends this traffic only to endpoints on that node; the backends shown are the union over nodes. Give the client node for one node's answer. Nodes with endpoints: ${list([...new Set(endpoints.map((e) => e.node).filter((n): n is string => n !== null))].sort())}.`,
          [svcRef],
        ),
      );
    }
    if (selection.policyLocal) {
      // Topology hints do not apply under a Local policy.
    } else if (selection.topologyMode !== '') {
      out.push(finding('TOPOLOGY_HINTS', `Topology hints are used (${selection.topologyMode}): only endpoints hinted for the client's ${selection.topologyMode === 'SameNode' ? 'node' : 'zone'} receive traffic.`, [svcRef]));
    } else if (endpoints.some((e) => e.ready && (e.forZones !== null || e.forNodes !== null))) {
      out.push(finding('TOPOLOGY_HINTS', `Endpoints carry topology hints, but they are ignored for this client (not every ready endpoint is hinted, or none is hinted for the client's zone/node): all ready endpoints are used.`, [svcRef]));
    }
  }
  const affinity = service.spec?.sessionAffinity;
  if (affinity === 'ClientIP') {
    const t = service.spec?.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800;
    out.push(finding('SESSION_AFFINITY', `Service ${ns}/${name} has sessionAffinity ClientIP: each client IP sticks to one backend for ${t} s.`, [svcRef]));
  }

  // Selector-less: targetPort is dead (S6); hand-made slices (E7, M8); endpoint IP restrictions (P8).
  if (!selector) {
    const differing = endpoints.filter((e) => e.port !== target);
    if (differing.length > 0) {
      out.push(
        finding(
          'TARGET_PORT_IGNORED',
          `Service ${ns}/${name} has no selector, so its targetPort ${target} is not used: traffic goes to the port in the EndpointSlice (${list([...new Set(differing.map((e) => String(e.port)))])}).`,
          [svcRef],
        ),
      );
    }
    for (const e of endpoints) {
      if (isRestrictedEndpointIP(e.address)) {
        out.push(finding('ENDPOINT_ADDRESS_RESTRICTED', `Endpoint ${e.address} is a loopback or link-local address; such endpoints are not allowed for Services.`, [svcRef, ref('EndpointSlice', ns, e.slice)]));
      } else if (view.servicesAtIP(e.address).some((x) => x.kind === 'clusterIP')) {
        out.push(
          finding('ENDPOINT_ADDRESS_RESTRICTED', `Endpoint ${e.address} is another Service's ClusterIP; kube-proxy cannot chain virtual IPs, so this endpoint does not work.`, [svcRef, ref('EndpointSlice', ns, e.slice)]),
        );
      }
    }
  }
  if (!derived) {
    for (const s of slices) {
      const managedBy = s.metadata.labels?.[MANAGED_BY_LABEL];
      const sRef = ref('EndpointSlice', ns, s.metadata.name);
      if (managedBy === undefined) {
        if (!selector) out.push(finding('SLICE_NO_MANAGED_BY', `EndpointSlice ${s.metadata.name} has no ${MANAGED_BY_LABEL} label (recommended for hand-made slices, e.g. "staff").`, [sRef]));
      } else if (managedBy === SLICE_CONTROLLER) {
        const owned = (s.metadata.ownerReferences ?? []).some((o) => o.kind === 'Service' && o.name === name && (!o.uid || !service.metadata.uid || o.uid === service.metadata.uid));
        if (selector && !owned) {
          out.push(
            finding('SLICE_RESERVED_MANAGER', `EndpointSlice ${s.metadata.name} claims ${MANAGED_BY_LABEL}=${SLICE_CONTROLLER} but is not owned by Service ${name}; the EndpointSlice controller will delete it.`, [sRef]),
          );
        }
      } else if (managedBy === MIRROR_CONTROLLER) {
        const decision = view.mirror(key);
        if (!decision || !decision.mirror) {
          out.push(finding('SLICE_RESERVED_MANAGER', `EndpointSlice ${s.metadata.name} claims ${MANAGED_BY_LABEL}=${MIRROR_CONTROLLER} but no mirrorable Endpoints ${name} exists; the mirroring controller will delete it.`, [sRef]));
        }
      }
    }
  }
  const ep = view.endpointsObject(key);
  if (ep?.metadata.annotations?.[OVER_CAPACITY_ANNOTATION]) {
    out.push(
      finding('ENDPOINTS_OVER_CAPACITY', `Endpoints ${ns}/${name} is marked ${OVER_CAPACITY_ANNOTATION}=${ep.metadata.annotations[OVER_CAPACITY_ANNOTATION]}: it was truncated at 1000 addresses (EndpointSlices are not affected${derived ? ', but this answer is derived from the truncated Endpoints' : ''}).`, [svcRef, ref('Endpoints', ns, name)]),
    );
  }
  return out;
}

/** M6 and M5: addresses of a mirrored Endpoints object that the mirroring controller leaves out. */
function mirrorSkipFindings(ep: EndpointsObject, skipped: readonly MirrorSkip[], svcRef: ObjectRef): Finding[] {
  const out: Finding[] = [];
  const epRef = ref('Endpoints', nsOf(ep), ep.metadata.name);
  const shown = (ips: readonly string[]) => `${ips.slice(0, 10).join(', ')}${ips.length > 10 ? ` and ${ips.length - 10} more` : ''}`;
  for (const s of skipped) {
    if (s.overCapacity.length > 0) {
      const ready = s.overCapacity.filter((a) => a.ready).map((a) => a.ip);
      const notReady = s.overCapacity.filter((a) => !a.ready).map((a) => a.ip);
      out.push(
        finding(
          'ENDPOINTS_MIRROR_CAPACITY',
          `Endpoints ${nsOf(ep)}/${ep.metadata.name} subset ${s.subset} lists more than ${MIRROR_MAX_PER_SUBSET} addresses; the mirroring controller mirrors the first ${MIRROR_MAX_PER_SUBSET} (ready addresses first, in listed order) and skips ${s.overCapacity.length} (event TooManyAddressesToMirror), which get no traffic: ${[ready.length ? `ready ${shown(ready)}` : '', notReady.length ? `not ready ${shown(notReady)}` : ''].filter(Boolean).join('; ')}.`,
          [svcRef, epRef],
        ),
      );
    }
    if (s.invalid.length > 0) {
      out.push(finding('ENDPOINT_ADDRESS_INVALID', `Endpoints ${nsOf(ep)}/${ep.metadata.name} subset ${s.subset} lists ${shown(s.invalid.map((x) => JSON.stringify(x)))}, not IP addresses; the mirroring controller skips them (event InvalidIPAddress).`, [svcRef, epRef]));
    }
  }
  return out;
}
