/**
 * table: server-side printing, the `meta.k8s.io/v1 Table` answer `kubectl get` asks for
 * (`Accept: application/json;as=Table;…`), with the same columns kube-apiserver prints for each kind.
 * Rows carry the full object.
 */
import type { EndpointsObject, EndpointSliceObject, IngressObject, PodObject, ServiceObject } from '../model/objects.js';
import type { Condition, GatewayClassObject, GatewayObject, HTTPRouteObject } from '../model/gatewayObjects.js';
import type { ResourceType } from './resources.js';
import type { SimObject } from './Store.js';

export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept);
}

type Col = [name: string, type: string, priority: number];

export function humanAge(from: string | undefined, now: Date): string {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return `${m}m${s % 60 ? `${s % 60}s` : ''}`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

function limited(items: string[], max = 3): string {
  if (items.length === 0) return '<none>';
  return items.length > max ? `${items.slice(0, max).join(',')} + ${items.length - max} more...` : items.join(',');
}

function columnsFor(rt: ResourceType): Col[] {
  switch (rt.kind) {
    case 'Service':
      return [['Name', 'string', 0], ['Type', 'string', 0], ['Cluster-IP', 'string', 0], ['External-IP', 'string', 0], ['Port(s)', 'string', 0], ['Age', 'string', 0], ['Selector', 'string', 1]];
    case 'Endpoints':
      return [['Name', 'string', 0], ['Endpoints', 'string', 0], ['Age', 'string', 0]];
    case 'Pod':
      return [['Name', 'string', 0], ['Ready', 'string', 0], ['Status', 'string', 0], ['Restarts', 'string', 0], ['Age', 'string', 0], ['IP', 'string', 1], ['Node', 'string', 1]];
    case 'EndpointSlice':
      return [['Name', 'string', 0], ['AddressType', 'string', 0], ['Ports', 'string', 0], ['Endpoints', 'string', 0], ['Age', 'string', 0]];
    case 'Ingress':
      return [['Name', 'string', 0], ['Class', 'string', 0], ['Hosts', 'string', 0], ['Address', 'string', 0], ['Ports', 'string', 0], ['Age', 'string', 0]];
    case 'IngressClass':
      return [['Name', 'string', 0], ['Controller', 'string', 0], ['Parameters', 'string', 0], ['Age', 'string', 0]];
    case 'Namespace':
      return [['Name', 'string', 0], ['Status', 'string', 0], ['Age', 'string', 0]];
    case 'Node':
      return [['Name', 'string', 0], ['Status', 'string', 0], ['Age', 'string', 0], ['Internal-IP', 'string', 1]];
    case 'GatewayClass':
      return [['Name', 'string', 0], ['Controller', 'string', 0], ['Accepted', 'string', 0], ['Age', 'string', 0]];
    case 'Gateway':
      return [['Name', 'string', 0], ['Class', 'string', 0], ['Address', 'string', 0], ['Programmed', 'string', 0], ['Age', 'string', 0]];
    case 'HTTPRoute':
    case 'GRPCRoute':
      return [['Name', 'string', 0], ['Hostnames', 'string', 0], ['Age', 'string', 0]];
    case 'ReferenceGrant':
      return [['Name', 'string', 0], ['Age', 'string', 0]];
  }
}

function cells(o: SimObject, now: Date): unknown[] {
  const age = humanAge(o.metadata.creationTimestamp, now);
  switch (o.kind) {
    case 'Service': {
      const s = o as ServiceObject;
      const ports = (s.spec?.ports ?? []).map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`);
      const ext = s.spec?.type === 'ExternalName' ? (s.spec.externalName ?? '') : (s.spec?.externalIPs ?? []).join(',') || (s.spec?.type === 'LoadBalancer' ? '<pending>' : '<none>');
      const sel = Object.entries(s.spec?.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',') || '<none>';
      return [o.metadata.name, s.spec?.type ?? 'ClusterIP', s.spec?.clusterIP ?? '<none>', ext, ports.join(',') || '<none>', age, sel];
    }
    case 'Endpoints': {
      const e = o as EndpointsObject;
      const eps: string[] = [];
      for (const ss of e.subsets ?? []) for (const a of ss.addresses ?? []) for (const p of ss.ports ?? []) eps.push(`${a.ip}:${p.port}`);
      return [o.metadata.name, limited(eps), age];
    }
    case 'Pod': {
      const p = o as PodObject;
      const st = (p.status ?? {}) as { containerStatuses?: { ready?: boolean; restartCount?: number }[] };
      const cs = st.containerStatuses ?? [];
      const ready = cs.filter((c) => c.ready).length;
      const readyCond = (p.status?.conditions ?? []).find((c) => c.type === 'Ready')?.status === 'True';
      const total = (p.spec?.containers ?? []).length;
      const phase = p.metadata.deletionTimestamp ? 'Terminating' : (p.status?.phase ?? 'Pending');
      return [o.metadata.name, `${cs.length ? Math.min(ready, readyCond ? total : ready) : readyCond ? total : 0}/${total}`, phase, String(cs.reduce((n, c) => n + (c.restartCount ?? 0), 0)), age, p.status?.podIP ?? '<none>', p.spec?.nodeName ?? '<none>'];
    }
    case 'EndpointSlice': {
      const s = o as EndpointSliceObject;
      const ports = (s.ports ?? []).map((p) => String(p.port ?? ''));
      const addrs = (s.endpoints ?? []).flatMap((e) => e.addresses);
      return [o.metadata.name, s.addressType ?? '', ports.length ? ports.join(',') : '<unset>', limited(addrs), age];
    }
    case 'Ingress': {
      const i = o as IngressObject;
      const hosts = (i.spec?.rules ?? []).map((r) => r.host ?? '*');
      const addr = (i.status?.loadBalancer?.ingress ?? []).map((x) => x.ip ?? x.hostname ?? '').filter(Boolean).join(',');
      return [o.metadata.name, i.spec?.ingressClassName ?? '<none>', limited(hosts.length ? hosts : ['*']), addr, (i.spec?.tls ?? []).length ? '80, 443' : '80', age];
    }
    case 'IngressClass': {
      const spec = (o['spec'] ?? {}) as { controller?: string; parameters?: { kind?: string; name?: string } };
      return [o.metadata.name, spec.controller ?? '', spec.parameters ? `${spec.parameters.kind}/${spec.parameters.name}` : '<none>', age];
    }
    case 'Namespace':
      return [o.metadata.name, o.metadata.deletionTimestamp ? 'Terminating' : 'Active', age];
    case 'Node': {
      const addresses = ((o['status'] ?? {}) as { addresses?: { type: string; address: string }[] }).addresses ?? [];
      return [o.metadata.name, 'Ready', age, addresses.find((a) => a.type === 'InternalIP')?.address ?? '<none>'];
    }
    case 'GatewayClass': {
      const c = o as GatewayClassObject;
      return [o.metadata.name, c.spec?.controllerName ?? '', conditionStatus(c.status?.conditions, 'Accepted'), age];
    }
    case 'Gateway': {
      const g = o as GatewayObject;
      return [o.metadata.name, g.spec?.gatewayClassName ?? '', (g.status?.addresses ?? [])[0]?.value ?? '', conditionStatus(g.status?.conditions, 'Programmed'), age];
    }
    case 'HTTPRoute':
    case 'GRPCRoute': {
      const r = o as HTTPRouteObject;
      return [o.metadata.name, JSON.stringify(r.spec?.hostnames ?? []), age];
    }
    default:
      return [o.metadata.name, age];
  }
}

function conditionStatus(conditions: readonly Condition[] | null | undefined, type: string): string {
  return conditions?.find((c) => c.type === type)?.status ?? 'Unknown';
}

export function toTable(rt: ResourceType, items: SimObject[], resourceVersion: string, now: Date, cont?: string): object {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion, ...(cont ? { continue: cont } : {}) },
    columnDefinitions: columnsFor(rt).map(([name, type, priority]) => ({ name, type, format: name === 'Name' ? 'name' : '', description: name, priority })),
    rows: items.map((o) => ({ cells: cells(o, now), object: o })),
  };
}
