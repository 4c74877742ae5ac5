/**
 * discovery: the API discovery documents kubectl reads before anything else — `/api` (APIVersions),
 * `/apis` (APIGroupList), `/apis/<group>` (APIGroup), `/api/v1` and `/apis/<group>/<version>`
 * (APIResourceList, with the status subresources) and `/version`. Aggregated discovery is not offered;
 * clients fall back to these legacy documents.
 */
import { groupVersions, SERVES_ALL, type ResourceType, type Served } from './resources.js';

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersions(serverAddress: string): object {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

/** A group's discovery entry: every served version, the first one preferred. */
function groupEntry(group: string, versions: readonly string[]) {
  const gvs = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: gvs, preferredVersion: gvs[0]! };
}

function groups(served: Served): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const g of groupVersions(served)) {
    if (g.group === '') continue;
    const list = out.get(g.group) ?? [];
    list.push(g.version);
    out.set(g.group, list);
  }
  return out;
}

export function apiGroupList(served: Served = SERVES_ALL): object {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groups(served)].map(([group, versions]) => groupEntry(group, versions)) };
}

export function apiGroup(group: string, served: Served = SERVES_ALL): object | undefined {
  const versions = groups(served).get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(group, versions) } : undefined;
}

function resourceEntries(r: ResourceType): object[] {
  const main = {
    name: r.plural,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: r.kind === 'Namespace' ? VERBS.filter((v) => v !== 'deletecollection') : VERBS,
    ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
    ...(r.categories.length ? { categories: r.categories } : {}),
  };
  const hasStatus = ['Namespace', 'Service', 'Pod', 'Ingress', 'GatewayClass', 'Gateway', 'HTTPRoute', 'GRPCRoute'].includes(r.kind);
  return hasStatus ? [main, { name: `${r.plural}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] }] : [main];
}

export function apiResourceList(group: string, version: string, served: Served = SERVES_ALL): object | undefined {
  const g = groupVersions(served).find((x) => x.group === group && x.version === version);
  if (!g) return undefined;
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources: g.resources.flatMap(resourceEntries) };
}

export function versionInfo(): object {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-routetrace-sim',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.23.0',
    compiler: 'gc',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
