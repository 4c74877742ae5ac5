/**
 * ListHandler: answers list requests (client-node-watch.md §4–§5).
 *
 * Body: `{kind: <Kind>List, apiVersion, metadata: {resourceVersion, continue?, remainingItemCount?},
 * items}` with `Content-Type: application/json`; `metadata.resourceVersion` is the current global version
 * (the state the list shows), items sorted by namespace/name, filtered by namespace, labelSelector and
 * fieldSelector. The `resourceVersion` / `resourceVersionMatch` parameters are accepted and ignored:
 * every list is served "most recent".
 *
 * Paging: `limit` returns at most that many items and an opaque `continue` token. The token refers to a
 * snapshot taken when the first page was served, so every page shows the same state and carries the same
 * resourceVersion. Tokens expire after `continueTtlMs` or when history is compacted; an expired or unknown
 * token answers 410 Expired. The last page has no `continue`.
 */
import { ApiError } from './ApiError.js';
import { type FieldSelector, matchesFields } from './fieldSelector.js';
import { type LabelSelector, matchesLabels } from './labelSelector.js';
import type { ResourceType } from './resources.js';
import type { SimObject, Store } from './Store.js';
import { objectJson } from './wire.js';

export interface ListRequest {
  rt: ResourceType;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  limit: number | undefined;
  continueToken: string | undefined;
}

interface Snapshot {
  items: SimObject[];
  rv: number;
  expiresAt: number;
  kind: string;
}

const MAX_SNAPSHOTS = 64;

export class ListHandler {
  private readonly snapshots = new Map<string, Snapshot>();
  private nextId = 1;
  /** Total objects served in lists (for measurements). */
  itemsListed = 0;

  constructor(
    private readonly store: Store,
    private readonly continueTtlMs: number,
  ) {}

  /** Forgets every continue token (history compaction). */
  expireTokens(): void {
    this.snapshots.clear();
  }

  /** The JSON body of a list response. */
  list(req: ListRequest): string {
    let items: SimObject[];
    let rv: number;
    let offset = 0;
    if (req.continueToken) {
      const tok = decodeToken(req.continueToken);
      const snap = tok && this.snapshots.get(tok.id);
      if (!tok || !snap || snap.expiresAt < Date.now() || snap.kind !== req.rt.kind) {
        if (tok && snap) this.snapshots.delete(tok.id);
        throw ApiError.expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      }
      items = snap.items;
      rv = snap.rv;
      offset = tok.offset;
    } else {
      rv = this.store.rv;
      items = this.filter(req);
    }
    let page = items;
    let cont: string | undefined;
    let remaining: number | undefined;
    if (req.limit !== undefined && req.limit > 0 && offset + req.limit < items.length) {
      page = items.slice(offset, offset + req.limit);
      let id = req.continueToken ? decodeToken(req.continueToken)!.id : undefined;
      if (!id) {
        id = String(this.nextId++);
        this.snapshots.set(id, { items, rv, expiresAt: Date.now() + this.continueTtlMs, kind: req.rt.kind });
        while (this.snapshots.size > MAX_SNAPSHOTS) this.snapshots.delete(this.snapshots.keys().next().value!);
      }
      cont = encodeToken(id, offset + req.limit);
      remaining = items.length - offset - req.limit;
    } else if (offset > 0 || (req.limit !== undefined && req.limit > 0)) {
      page = items.slice(offset);
      if (req.continueToken) this.snapshots.delete(decodeToken(req.continueToken)!.id);
    }
    this.itemsListed += page.length;
    const meta: Record<string, unknown> = { resourceVersion: String(rv) };
    if (cont) {
      meta['continue'] = cont;
      meta['remainingItemCount'] = remaining;
    }
    return `{"kind":"${req.rt.listKind}","apiVersion":"${req.rt.apiVersion}","metadata":${JSON.stringify(meta)},"items":[${page.map(objectJson).join(',')}]}`;
  }

  private filter(req: ListRequest): SimObject[] {
    const all = this.store.list(req.rt.kind);
    if (req.namespace === undefined && req.labels.length === 0 && req.fields.length === 0) return all;
    return all.filter(
      (o) => (req.namespace === undefined || o.metadata.namespace === req.namespace) && matchesLabels(req.labels, o.metadata.labels) && matchesFields(req.fields, o),
    );
  }
}

function encodeToken(id: string, offset: number): string {
  return Buffer.from(JSON.stringify({ id, offset })).toString('base64url');
}

function decodeToken(tok: string): { id: string; offset: number } | undefined {
  try {
    const v = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8')) as { id?: unknown; offset?: unknown };
    if (typeof v.id === 'string' && typeof v.offset === 'number' && v.offset >= 0) return { id: v.id, offset: v.offset };
  } catch {
    // fall through
  }
  return undefined;
}
