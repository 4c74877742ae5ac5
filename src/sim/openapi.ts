/**
 * openapi: the smallest OpenAPI v3 documents that let `kubectl create/apply` run with its default
 * validation. kubectl only validates on the client when the server does not advertise the
 * `fieldValidation` query parameter on a kind's PATCH operation; these documents advertise it (one PATCH
 * path per kind, tagged with `x-kubernetes-group-version-kind`) and carry no schemas, so kubectl leaves
 * validation to the server. The simulator accepts `fieldValidation` and does not reject unknown fields
 * (as with `fieldValidation=Ignore`).
 */
import { groupVersions, SERVES_ALL, type Served } from './resources.js';

function gvPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

export function openApiRoot(served: Served = SERVES_ALL): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groupVersions(served)) {
    const p = gvPath(g.group, g.version);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=routetrace-sim-1` };
  }
  return { paths };
}

export function openApiGroupVersion(path: string, served: Served = SERVES_ALL): object | undefined {
  const g = groupVersions(served).find((x) => gvPath(x.group, x.version) === path);
  if (!g) return undefined;
  const paths: Record<string, object> = {};
  for (const r of g.resources) {
    const base = `/${gvPath(g.group, g.version)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}/{name}`;
    paths[base] = {
      patch: {
        operationId: `patch${r.namespaced ? 'Namespaced' : ''}${r.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: g.group, version: g.version, kind: r.kind },
        parameters: [
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes (routetrace simulator)', version: 'v1.32.0' }, paths, components: { schemas: {} } };
}
