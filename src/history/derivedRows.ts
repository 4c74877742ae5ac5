/**
 * derivedRows: the query-side rows written with each stored version, derived from its projection (pure).
 *
 * Service → one ServicePort row per spec.ports entry. EndpointSlice → one EndpointRow per (address, port);
 * Endpoints → the same from subsets (ready = listed in addresses, false for notReadyAddresses). Ingress →
 * one IngressRule per rule path, plus spec.defaultBackend as a row with null host/path/pathType. Pods have
 * none (their lookups go by LookupKey terms and version bodies). A slice or subset with no ports yields rows with null port fields, so every address is queryable.
 * Rows are positional tuples in the column order of the matching insert in sqliteDialect.ts, after
 * (clusterId, versionId) — for endpoint rows after (clusterId, objectId, validFrom): the writer keeps those
 * open across versions while they do not change (see EndpointRow in prisma/schema.prisma). Booleans are
 * 1/0/null.
 */
import type {
  EndpointsObject, EndpointSliceObject, IngressBackend, IngressObject, Kind, KubeObject, ServiceObject,
} from '../model/objects.js';

export type Cell = string | number | null;

export interface DerivedRows {
  servicePorts: Cell[][];
  endpointRows: Cell[][];
  ingressRules: Cell[][];
}

const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const b = (v: boolean | null | undefined): number | null => (v === true ? 1 : v === false ? 0 : null);
const s = (v: string | null | undefined): string | null => v ?? null;
const n = (v: number | null | undefined): number | null => v ?? null;

function empty(): DerivedRows {
  return { servicePorts: [], endpointRows: [], ingressRules: [] };
}

function servicePorts(o: ServiceObject, out: DerivedRows): void {
  for (const p of o.spec?.ports ?? []) {
    out.servicePorts.push([s(p.name), s(p.protocol), p.port, p.targetPort == null ? null : String(p.targetPort), n(p.nodePort)]);
  }
}

function sliceRows(o: EndpointSliceObject, out: DerivedRows): void {
  const svc = o.metadata.labels?.[SERVICE_NAME_LABEL] ?? null;
  const ports = o.ports && o.ports.length > 0 ? o.ports : [null];
  for (const e of o.endpoints ?? []) {
    const c = e.conditions;
    for (const address of e.addresses) {
      for (const p of ports) {
        out.endpointRows.push([
          svc, address, s(p?.name), n(p?.port), s(p?.protocol), b(c?.ready), b(c?.serving), b(c?.terminating),
          s(e.nodeName), s(e.zone), s(e.targetRef?.kind), s(e.targetRef?.name),
        ]);
      }
    }
  }
}

function endpointsRows(o: EndpointsObject, out: DerivedRows): void {
  for (const subset of o.subsets ?? []) {
    const ports = subset.ports && subset.ports.length > 0 ? subset.ports : [null];
    const groups: [typeof subset.addresses, number][] = [[subset.addresses, 1], [subset.notReadyAddresses, 0]];
    for (const [addresses, ready] of groups) {
      for (const a of addresses ?? []) {
        for (const p of ports) {
          out.endpointRows.push([
            o.metadata.name, a.ip, s(p?.name), n(p?.port), s(p?.protocol), ready, null, null,
            s(a.nodeName), null, s(a.targetRef?.kind), s(a.targetRef?.name),
          ]);
        }
      }
    }
  }
}

function backendCells(backend: IngressBackend | null | undefined): Cell[] {
  const svc = backend?.service;
  return [s(svc?.name), n(svc?.port?.number), s(svc?.port?.name)];
}

function ingressRules(o: IngressObject, out: DerivedRows): void {
  const spec = o.spec;
  if (spec?.defaultBackend) out.ingressRules.push([null, null, null, ...backendCells(spec.defaultBackend)]);
  for (const rule of spec?.rules ?? []) {
    for (const p of rule.http?.paths ?? []) {
      out.ingressRules.push([s(rule.host), s(p.path), s(p.pathType), ...backendCells(p.backend)]);
    }
  }
}

/** The derived rows of one projection of `kind`. */
export function derivedRows(kind: Kind, projection: KubeObject): DerivedRows {
  const out = empty();
  switch (kind) {
    case 'Service': servicePorts(projection as ServiceObject, out); break;
    case 'EndpointSlice': sliceRows(projection as EndpointSliceObject, out); break;
    case 'Endpoints': endpointsRows(projection as EndpointsObject, out); break;
    case 'Ingress': ingressRules(projection as IngressObject, out); break;
    case 'Pod': break;
    case 'IngressClass': break;
    case 'Node': break;
  }
  return out;
}
