/**
 * objectHistory: the stored versions of one object (every uid that held the name), oldest first, as a
 * cursor page. Reads HistoryReader.history.
 */
import { KINDS, type Kind } from '../model/objects.js';
import type { StoredVersion } from '../history/HistoryReader.js';
import type { ClusterState } from './ClusterState.js';
import { checkName } from './inputs.js';
import { paginate, type Page } from './pagination.js';
import { QueryError } from './QueryError.js';

const CLUSTER_SCOPED = new Set<Kind>(['IngressClass', 'Node', 'GatewayClass']);

export function versionKey(v: StoredVersion, i: number): string {
  return `${String(v.validFrom.getTime()).padStart(15, '0')}|${String(i).padStart(9, '0')}`;
}

export async function objectHistory(
  state: ClusterState,
  input: { kind: string; namespace?: string | null; name: string; first?: number | null; after?: string | null },
): Promise<Page<StoredVersion>> {
  if (!(KINDS as readonly string[]).includes(input.kind)) throw new QueryError('BAD_USER_INPUT', `kind: '${input.kind.slice(0, 40)}' is not one of ${KINDS.join(', ')}`);
  const kind = input.kind as Kind;
  const namespace = CLUSTER_SCOPED.has(kind) ? '' : checkName(input.namespace ?? 'default', 'namespace');
  const name = checkName(input.name, 'name');
  const h = state.history();
  const versions = await h.reader.history(h.cluster, kind, namespace, name);
  const keyed = versions.map((v, i) => ({ v, k: versionKey(v, i) }));
  const page = paginate(keyed, (x) => x.k, input.first, input.after);
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: e.node.v })) };
}
