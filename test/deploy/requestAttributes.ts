/**
 * requestAttributes: what the Kubernetes API server's authorizer sees in a request: (verb, apiGroup,
 * resource[/subresource], namespace, name), or a non-resource URL. Follows kube-apiserver's
 * RequestInfoFactory: `/api/v1/...` is the core group, `/apis/<group>/<version>/...` a named group, a
 * `watch/` segment after the version is the legacy watch form, `namespaces/<ns>/<resource>` scopes a
 * namespaced resource (while `namespaces` and `namespaces/<name>` address Namespace objects), and the
 * verb comes from the method, the presence of a name, and `watch=true|1`.
 *
 * And `allowedBy`: whether a ClusterRole's rules grant those attributes (RBAC's rule matching, wildcards
 * included, so the check stays right if someone adds one).
 */
export type RequestAttributes =
  | { readonly resourceRequest: true; readonly verb: string; readonly apiGroup: string; readonly resource: string; readonly namespace: string; readonly name: string }
  | { readonly resourceRequest: false; readonly verb: string; readonly path: string };

export interface PolicyRule {
  readonly apiGroups?: readonly string[];
  readonly resources?: readonly string[];
  readonly verbs?: readonly string[];
  readonly resourceNames?: readonly string[];
  readonly nonResourceURLs?: readonly string[];
}

const METHOD_VERB: Readonly<Record<string, string>> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

export function requestAttributes(method: string, path: string, query: string): RequestAttributes {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = method.toUpperCase();
  const nonResource = (): RequestAttributes => ({ resourceRequest: false, verb: lower === 'GET' || lower === 'HEAD' ? 'get' : (METHOD_VERB[lower] ?? lower.toLowerCase()), path });
  let rest: string[];
  let apiGroup: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiGroup = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiGroup = parts[1]!;
    rest = parts.slice(3);
  } else {
    return nonResource();
  }
  let legacyWatch = false;
  if (rest[0] === 'watch') {
    legacyWatch = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1]!;
    rest = rest.slice(2);
  } else if (rest[0] === 'namespaces' && rest.length === 2) {
    namespace = rest[1]!; // a Namespace object's own path: its namespace is itself
  }
  const resource = rest.length >= 3 ? `${rest[0]}/${rest[2]}` : (rest[0] ?? '');
  const name = rest[1] ?? '';
  const watchParam = new URLSearchParams(query).get('watch');
  const watching = legacyWatch || watchParam === 'true' || watchParam === '1';
  let verb: string;
  if (lower === 'GET' || lower === 'HEAD') verb = watching ? 'watch' : name ? 'get' : 'list';
  else if (lower === 'DELETE') verb = name ? 'delete' : 'deletecollection';
  else verb = METHOD_VERB[lower] ?? lower.toLowerCase();
  return { resourceRequest: true, verb, apiGroup, resource, namespace, name };
}

const has = (list: readonly string[] | undefined, value: string) => !!list && (list.includes('*') || list.includes(value));

export function allowedBy(rules: readonly PolicyRule[], a: RequestAttributes): boolean {
  return rules.some((r) => {
    if (!has(r.verbs, a.verb)) return false;
    if (!a.resourceRequest) return (r.nonResourceURLs ?? []).some((u) => u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))));
    if (!has(r.apiGroups, a.apiGroup) || !has(r.resources, a.resource)) return false;
    return !r.resourceNames?.length || r.resourceNames.includes(a.name);
  });
}
