/**
 * defaulting: what the API server does to an object on create/update before storing it, per kind —
 * field defaults (Service type/ports/protocols/clusterIP/nodePorts, Pod scheduling and status, Namespace
 * phase), immutability of allocated fields, and the validation errors (422 Invalid) clients rely on.
 *
 * Pods: this simulator has no kubelet. A Pod created without a status is scheduled and started at once:
 * nodeName/hostIP from a simulated node, a Pod IP, phase Running and all conditions True. A Pod written
 * with a status keeps it, except that conditions whose status changed (or that are new) without a new
 * lastTransitionTime get the current time. Updates without a status keep the stored one.
 */
import { ApiError } from './ApiError.js';
import type { Allocators } from './Allocators.js';
import type { SimObject } from './Store.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export function validateName(obj: SimObject): void {
  const name = obj.metadata.name;
  const rule = obj.kind === 'Service' || obj.kind === 'Namespace' ? DNS1035_LABEL : DNS1123_SUBDOMAIN;
  const max = obj.kind === 'Service' || obj.kind === 'Namespace' ? 63 : 253;
  if (!name) throw ApiError.invalid(obj.kind, '', 'metadata.name: Required value: name or generateName is required');
  if (name.length > max || !rule.test(name)) {
    throw ApiError.invalid(obj.kind, name, `metadata.name: Invalid value: "${name}": must consist of lower case alphanumeric characters or '-'`);
  }
}

/** Applies defaults and checks; `old` is the stored object on update. Mutates and returns `obj`. */
export function defaultObject(obj: SimObject, old: SimObject | undefined, alloc: Allocators, now: Date): SimObject {
  switch (obj.kind) {
    case 'Service':
      return defaultService(obj, old, alloc);
    case 'Pod':
      return defaultPod(obj, old, alloc, now);
    case 'Namespace':
      obj.spec = { finalizers: ['kubernetes'], ...asObj(obj.spec) };
      obj.status = { phase: 'Active', ...asObj(obj.status) };
      obj.metadata.labels = { ...(obj.metadata.labels ?? {}), 'kubernetes.io/metadata.name': obj.metadata.name };
      return obj;
    case 'EndpointSlice': {
      if (typeof obj['addressType'] !== 'string') throw ApiError.invalid('EndpointSlice', obj.metadata.name, 'addressType: Required value');
      const ports = Array.isArray(obj['ports']) ? (obj['ports'] as Obj[]) : undefined;
      if (ports) obj['ports'] = ports.map((p) => ({ name: '', protocol: 'TCP', ...p }));
      if (!Array.isArray(obj['endpoints'])) obj['endpoints'] = [];
      return obj;
    }
    case 'Endpoints': {
      const subsets = Array.isArray(obj['subsets']) ? (obj['subsets'] as Obj[]) : undefined;
      if (subsets) {
        obj['subsets'] = subsets.map((s) => ({ ...s, ...(Array.isArray(s['ports']) ? { ports: (s['ports'] as Obj[]).map((p) => ({ protocol: 'TCP', ...p })) } : {}) }));
      }
      return obj;
    }
    case 'Ingress':
      if (!obj.status) obj.status = old?.status ?? { loadBalancer: {} };
      return obj;
    case 'GatewayClass':
    case 'Gateway':
    case 'HTTPRoute':
    case 'GRPCRoute':
      // Status is a subresource: a spec update keeps the controller's status.
      if (!obj.status && old?.status) obj.status = old.status;
      return obj;
    default:
      return obj;
  }
}

function defaultService(obj: SimObject, old: SimObject | undefined, alloc: Allocators): SimObject {
  const spec = { ...asObj(obj.spec) };
  const oldSpec = old ? asObj(old.spec) : undefined;
  const name = obj.metadata.name;
  const type = (spec['type'] as string | undefined) ?? 'ClusterIP';
  spec['type'] = type;
  if (!['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'].includes(type)) {
    throw ApiError.invalid('Service', name, `spec.type: Unsupported value: "${type}"`);
  }
  if (type === 'ExternalName') {
    if (!spec['externalName']) throw ApiError.invalid('Service', name, 'spec.externalName: Required value');
  } else {
    const requested = spec['clusterIP'] as string | undefined;
    const oldIP = oldSpec?.['clusterIP'] as string | undefined;
    if (oldIP && requested && requested !== oldIP) throw ApiError.invalid('Service', name, 'spec.clusterIPs[0]: Invalid value: field is immutable');
    let ip = requested || oldIP;
    if (!ip) ip = alloc.clusterIP();
    else if (ip !== 'None' && ip !== oldIP && alloc.clusterIPs.has(ip)) {
      throw ApiError.invalid('Service', name, `spec.clusterIPs: Invalid value: []string{"${ip}"}: failed to allocate IP ${ip}: provided IP is already allocated`);
    }
    spec['clusterIP'] = ip;
    spec['clusterIPs'] = [ip];
    if (ip !== 'None') {
      spec['ipFamilies'] = (spec['ipFamilies'] as string[] | undefined) ?? (ip.includes(':') ? ['IPv6'] : ['IPv4']);
    } else spec['ipFamilies'] = (spec['ipFamilies'] as string[] | undefined) ?? ['IPv4'];
    spec['ipFamilyPolicy'] = spec['ipFamilyPolicy'] ?? 'SingleStack';
    spec['internalTrafficPolicy'] = spec['internalTrafficPolicy'] ?? 'Cluster';
  }
  spec['sessionAffinity'] = spec['sessionAffinity'] ?? 'None';
  const ports = Array.isArray(spec['ports']) ? (spec['ports'] as Obj[]) : [];
  if (ports.length === 0 && type !== 'ExternalName' && spec['clusterIP'] !== 'None') {
    throw ApiError.invalid('Service', name, 'spec.ports: Required value');
  }
  if (ports.length > 1 && ports.some((p) => !p['name'])) throw ApiError.invalid('Service', name, 'spec.ports[0].name: Required value');
  const oldPorts = Array.isArray(oldSpec?.['ports']) ? (oldSpec!['ports'] as Obj[]) : [];
  const needsNodePort = type === 'NodePort' || (type === 'LoadBalancer' && spec['allocateLoadBalancerNodePorts'] !== false);
  spec['ports'] = ports.map((p, i) => {
    if (typeof p['port'] !== 'number' || p['port'] < 1 || p['port'] > 65535) throw ApiError.invalid('Service', name, `spec.ports[${i}].port: Invalid value`);
    const q: Obj = { ...p, protocol: p['protocol'] ?? 'TCP' };
    if (type !== 'ExternalName' && (q['targetPort'] === undefined || q['targetPort'] === null || q['targetPort'] === 0 || q['targetPort'] === '')) q['targetPort'] = q['port'];
    if (needsNodePort) {
      const prevPort = oldPorts.find((o) => o['port'] === p['port'] && (o['protocol'] ?? 'TCP') === q['protocol'])?.['nodePort'] as number | undefined;
      if (typeof q['nodePort'] === 'number') {
        if (q['nodePort'] !== prevPort && alloc.nodePorts.has(q['nodePort'])) {
          throw ApiError.invalid('Service', name, `spec.ports[${i}].nodePort: Invalid value: ${q['nodePort']}: provided port is already allocated`);
        }
      } else q['nodePort'] = prevPort ?? alloc.nodePort();
    } else delete q['nodePort'];
    return q;
  });
  if (needsNodePort || type === 'LoadBalancer') spec['externalTrafficPolicy'] = spec['externalTrafficPolicy'] ?? 'Cluster';
  obj.spec = spec;
  if (!obj.status) obj.status = old?.status ?? { loadBalancer: {} };
  return obj;
}

/**
 * What the kubelet does for condition timestamps: a condition whose status changed (or is new) gets
 * lastTransitionTime = now unless the writer set a new one; an unchanged condition keeps its time.
 */
function stampTransitions(status: Obj, oldStatus: Obj | undefined, now: string): Obj {
  if (!Array.isArray(status['conditions'])) return status;
  const oldConds = Array.isArray(oldStatus?.['conditions']) ? (oldStatus!['conditions'] as Obj[]) : [];
  const conditions = (status['conditions'] as Obj[]).map((c) => {
    const prev = oldConds.find((o) => o['type'] === c['type']);
    if (prev && prev['status'] === c['status']) return c['lastTransitionTime'] ? c : { ...c, lastTransitionTime: prev['lastTransitionTime'] ?? now };
    if (c['lastTransitionTime'] && c['lastTransitionTime'] !== prev?.['lastTransitionTime']) return c;
    return { ...c, lastTransitionTime: now };
  });
  return { ...status, conditions };
}

function defaultPod(obj: SimObject, old: SimObject | undefined, alloc: Allocators, now: Date): SimObject {
  const spec = { ...asObj(obj.spec) };
  const name = obj.metadata.name;
  const containers = Array.isArray(spec['containers']) ? (spec['containers'] as Obj[]) : [];
  if (containers.length === 0) throw ApiError.invalid('Pod', name, 'spec.containers: Required value');
  const withProto = (cs: Obj[]) =>
    cs.map((c) => (Array.isArray(c['ports']) ? { ...c, ports: (c['ports'] as Obj[]).map((p) => ({ ...p, protocol: p['protocol'] ?? 'TCP' })) } : c));
  spec['containers'] = withProto(containers);
  if (Array.isArray(spec['initContainers'])) spec['initContainers'] = withProto(spec['initContainers'] as Obj[]);
  spec['restartPolicy'] = spec['restartPolicy'] ?? 'Always';
  spec['dnsPolicy'] = spec['dnsPolicy'] ?? 'ClusterFirst';
  spec['terminationGracePeriodSeconds'] = spec['terminationGracePeriodSeconds'] ?? 30;
  const oldSpec = old ? asObj(old.spec) : undefined;
  if (!spec['nodeName'] && oldSpec?.['nodeName']) spec['nodeName'] = oldSpec['nodeName'];
  obj.spec = spec;
  if (obj.status && Object.keys(asObj(obj.status)).length > 0) {
    obj.status = stampTransitions(asObj(obj.status), old ? asObj(old.status) : undefined, isoSeconds(now));
    return obj;
  }
  if (old?.status) {
    obj.status = old.status;
    return obj;
  }
  // Created without a status: schedule and start it.
  const node = spec['nodeName'] ? (alloc.nodes.find((n) => n.name === spec['nodeName']) ?? alloc.node()) : alloc.node();
  if (!spec['nodeName']) spec['nodeName'] = node.name;
  const ts = isoSeconds(now);
  const podIP = alloc.podIP();
  obj.status = {
    phase: 'Running',
    conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: ts })),
    hostIP: node.hostIP,
    hostIPs: [{ ip: node.hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: ts,
    qosClass: 'BestEffort',
    containerStatuses: containers.map((c) => ({
      name: c['name'],
      image: c['image'] ?? '',
      imageID: '',
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: ts } },
    })),
  };
  return obj;
}
