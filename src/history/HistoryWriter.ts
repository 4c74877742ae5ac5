/**
 * HistoryWriter: the ChangeSink that turns watcher reports into stored versions with validity intervals,
 * over one history database (a SQLite file, or a PostgreSQL database shared by one writer per cluster).
 *
 * Usage (the composition root owns it):
 *   const writer = await HistoryWriter.open({ file: 'data/routetrace.db', cluster: 'prod-eu', onError });
 *   // hand `writer` to the watchers as their ChangeSink; await writer.flush() before reporting ready;
 *   await writer.close();
 *
 * Contract (beyond ChangeSink's):
 *  - open() creates the SQLite file (mode 0600) if needed, applies pending migrations, registers the cluster and
 *    loads the open version of every stored object, so a restarted writer resumes: re-listing objects that
 *    did not change creates no versions (same uid and resourceVersion, or same projection).
 *  - Reports are projected (src/model/project.ts) when received, queued, and written in one transaction
 *    per batch: a batch is written `batchMs` after its first report or as soon as it holds `batchSize`
 *    reports, whichever comes first, and by flush().
 *  - A report whose projection equals the stored one is a no-op. DELETED closes the open version;
 *    endChangeTime is the object's deletionTimestamp when it has one. listed() closes stored-live objects
 *    absent from the list at observedAt and records a gap saying their deletion time is unknown; the
 *    first list of a kind after open also records the gap since the last stored report (routetrace was
 *    not watching).
 *  - Each new version is written with its derived rows (ServicePort, IngressRule per version;
 *    EndpointRow rows are opened and closed as the endpoints change, and so are the object's lookup terms,
 *    LookupKey, src/resolver/lookupTerms.ts: see prisma/schema.prisma).
 *  - Validity intervals use routetrace's clock: validFrom is observedAt, raised if needed so that per kind
 *    it never goes backwards (no overlapping versions even if the clock steps back). Kubernetes' own times
 *    go to changeTime/endChangeTime (src/history/changeTime.ts).
 *  - Failure: if a batch cannot be written, nothing of it is committed, it stays queued (in order, ahead
 *    of later reports), `onError` is called, writing is retried every `batchMs`, and flush() rejects with
 *    the error until a write succeeds. Reports are never dropped silently.
 *
 * Where raw SQL is used and why: the whole ingest path (object insert, version insert/close, derived rows,
 * gaps, progress) runs as prepared statements of the synchronous SqlConnection inside one transaction per
 * batch (statements in sqliteDialect.ts / postgresDialect.ts). On our 2-core machines Prisma's createMany managed about 13k rows/s
 * where prepared inserts of small rows reach about 380k/s, and the initial list of a 5k-Service/50k-Pod
 * cluster is ~230k rows (objects, versions, derived rows); bench/history.mjs compares this writer with
 * raw inserts of the same rows.
 *
 * Cost on the event loop: event()/listed() project synchronously (a 50k-Pod list takes on the order of a
 * second); a batch is one synchronous transaction. A new version's body is stored as a delta from the
 * object's previous version (bodyCodec.ts, a few µs), or as a deflated keyframe (~15 µs) for a new object
 * and every KEYFRAME_EVERY versions; the writer keeps the JSON of the JSON_KEPT most recently written
 * versions for that and reads older ones back.
 */
import { createHash } from 'node:crypto';
import type { SqlStatement as Statement } from './SqlConnection.js';
import type { Kind, KubeObject } from '../model/objects.js';
import { project } from '../model/project.js';
import type { ChangeSink, WatchEventType } from '../watch/ChangeSink.js';
import type { Logger } from '../watch/Logger.js';
import { decodeBody, encodeBody, encodeDelta } from './bodyCodec.js';
import { changeFacts, changeTimeOf, type ChangeFacts } from './changeTime.js';
import { derivedRows, type Cell } from './derivedRows.js';
import { endpointRowKey } from './endpointRowKey.js';
import { lookupTermHashes } from '../resolver/lookupTerms.js';
import { closeTerms, updateTerms, type OpenTerms, type TermStatements } from './lookupKeyRows.js';
import { openHistoryDatabase, type HistoryDatabase } from './openHistoryDatabase.js';
import { pruneHistory, type PruneOptions, type PruneResult } from './pruneHistory.js';
import { splitBody } from './storedBody.js';

export interface HistoryWriterOptions {
  /** SQLite file; created (mode 0600, parent folders too) when missing. Exactly one of file and url. */
  file?: string;
  /** PostgreSQL database URL (postgresql://…); several writers (one per cluster) may share it. */
  url?: string;
  /** Name of the watched cluster; registered on first use. */
  cluster: string;
  /** Longest time a report waits before its batch is written (ms). Default 200. */
  batchMs?: number;
  /** Reports per batch that trigger an immediate write. Default 2000. */
  batchSize?: number;
  /** Called once per failed batch write (the batch stays queued). */
  onError?: (error: Error) => void;
  /** Lock wait before a statement fails (ms). Default 5000. */
  busyTimeoutMs?: number;
  /** Migrations folder (default: the package's prisma/migrations). */
  migrationsDir?: string;
  /**
   * Automatic retention: when retentionMs or maxDbBytes is set, prune() runs with them every
   * pruneIntervalMs (default 60 000); failures go to onError. maxDbBytes is for SQLite only (pruneHistory).
   */
  retentionMs?: number;
  maxDbBytes?: number;
  pruneIntervalMs?: number;
  /**
   * Store version bodies compactly (bodyCodec.ts; default true): deltas from the previous version and
   * deflated keyframes, ~6x fewer body bytes on a churned history. false stores plain JSON keyframes
   * (larger file); all read alike.
   */
  compressBodies?: boolean;
  /**
   * Reports are projections already (src/model/project.ts; the ingest thread projects on receipt): they are
   * stored as given instead of being projected again. Default false.
   */
  projected?: boolean;
  /** Receives the progress of a one-time data backfill when an older database file is opened. */
  logger?: Logger;
}

const hashOf = (body: string): string => createHash('md5').update(body).digest('base64');

/**
 * Versions per delta chain: a new version of an object is stored as a delta from its previous version
 * (bodyCodec.ts) unless the previous one is the (KEYFRAME_EVERY - 1)-th delta since the last keyframe, so
 * a read applies at most KEYFRAME_EVERY - 1 deltas. 16 keeps a churned history's bodies at ~60 bytes per
 * version on average (32: ~55, 8: ~95) while a read of a slice decodes ~8 deltas of ~2 µs.
 */
const KEYFRAME_EVERY = 16;

/**
 * Open versions whose body JSON the writer keeps in memory, the most recently written ones: the base of
 * the next delta without a read (slices and flapping Pods change again soon). Others are read back from
 * the database when they change (a point read and a short chain to decode). Bounds the writer's memory
 * (~1 KB per kept body: ~16 MB, where keeping every body of a 50k-Pod cluster took ~60 MB).
 */
const JSON_KEPT = 16_384;

/**
 * A queued report holds projections only: stored bodies and digests are computed when the batch writes
 * them (a 50k-Pod list then holds 50k projections while it waits, not also 50k body strings).
 */
type Op =
  | { t: 'event'; kind: Kind; type: WatchEventType; proj: KubeObject; at: number }
  | { t: 'listed'; kind: Kind; projs: KubeObject[]; at: number; namespace: string | undefined }
  | { t: 'gap'; kind: Kind | '*'; from: number; to: number; reason: string };

/** What the writer remembers about an object's open version. */
interface Live {
  objectId: number;
  versionId: number;
  uid: string;
  rv: string;
  /** Digest of the open version's body JSON: a report with the same body is a no-op. */
  hash: string;
  /** The open version's body JSON while it is among the JSON_KEPT most recently written (else read back). */
  json?: string | undefined;
  /** Deltas between the open version and its chain's keyframe (0: it is a keyframe). An upper bound after pruning re-keys. */
  depth: number;
  validFrom: number;
  facts: ChangeFacts;
  /** EndpointSlice/Endpoints only: the open EndpointRow ids, by row content (derivedRows cells as JSON). */
  endpoints?: ReadonlyMap<string, readonly number[]>;
  /** The open LookupKey rows of the object. */
  terms?: OpenTerms;
}

const keyOf = (namespace: string, name: string): string => `${namespace}\u0000${name}`;

function timeMs(t: string | null | undefined): number | null {
  if (t == null) return null;
  const v = Date.parse(t);
  return Number.isNaN(v) ? null : v;
}

export class HistoryWriter implements ChangeSink {
  /** Open versions by kind, then namespace\0name. Only changed after a batch commits. */
  private readonly live = new Map<Kind, Map<string, Live>>();
  /** Open versions whose JSON is kept (Live.json), oldest written first; at most JSON_KEPT. */
  private readonly kept = new Map<string, Live>();
  /** Last observed time per kind (committed). */
  private readonly lastAt = new Map<Kind, number>();
  /** Last stored report per kind found at open; consumed by the first list of that kind. */
  private readonly resumedFrom = new Map<Kind, number>();
  private queue: Op[] = [];
  private queuedReports = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;
  private failure: Error | null = null;
  private closed = false;
  private pruneTimer: NodeJS.Timeout | null = null;
  /** The running prune; one at a time. */
  private pruning: Promise<unknown> | null = null;
  private readonly stmt: Record<
    | 'insertObject' | 'objectId' | 'insertVersion' | 'closeVersion' | 'insertServicePort' | 'insertEndpointRow'
    | 'insertIngressRule' | 'insertGap' | 'versionBody' | 'upsertProgress' | 'closeEndpointRow',
    Statement
  > & TermStatements;
  private readonly batchMs: number;
  /** @internal */ readonly compressBodies: boolean;
  private readonly batchSize: number;
  private readonly projected: boolean;
  private readonly onError: ((error: Error) => void) | undefined;

  private constructor(
    readonly database: HistoryDatabase,
    readonly clusterId: number,
    readonly clusterName: string,
    options: HistoryWriterOptions,
  ) {
    this.batchMs = options.batchMs ?? 200;
    this.compressBodies = options.compressBodies ?? true;
    this.projected = options.projected ?? false;
    this.batchSize = options.batchSize ?? 2000;
    this.onError = options.onError;
    const db = database.db;
    this.stmt = {
      insertObject: db.stmt('insertObject'),
      objectId: db.stmt('objectId'),
      insertVersion: db.stmt('insertVersion'),
      closeVersion: db.stmt('closeVersion'),
      insertServicePort: db.stmt('insertServicePort'),
      insertEndpointRow: db.stmt('insertEndpointRow'),
      closeEndpointRow: db.stmt('closeEndpointRow'),
      insertIngressRule: db.stmt('insertIngressRule'),
      insertGap: db.stmt('insertGap'),
      versionBody: db.stmt('versionBody'),
      upsertProgress: db.stmt('upsertProgress'),
      insertLookupKey: db.stmt('insertLookupKey'),
      closeLookupKey: db.stmt('closeLookupKey'),
      deleteLookupKey: db.stmt('deleteLookupKey'),
    };
    this.resume();
    if (options.retentionMs !== undefined || options.maxDbBytes !== undefined) {
      const limits = {
        ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}),
        ...(options.maxDbBytes !== undefined ? { maxDbBytes: options.maxDbBytes } : {}),
      };
      this.pruneTimer = setInterval(() => {
        if (this.pruning || this.closed) return;
        this.prune(limits).catch((e: unknown) => this.onError?.(e instanceof Error ? e : new Error(String(e))));
      }, options.pruneIntervalMs ?? 60_000);
      this.pruneTimer.unref();
    }
  }

  /** Opens (creating and migrating if needed) the history file and registers `cluster`. */
  static async open(options: HistoryWriterOptions): Promise<HistoryWriter> {
    if (!options.cluster) throw new Error('HistoryWriter.open: cluster name is empty');
    const database = await openHistoryDatabase({
      ...(options.url !== undefined ? { url: options.url } : { file: options.file! }),
      ...(options.busyTimeoutMs !== undefined ? { busyTimeoutMs: options.busyTimeoutMs } : {}),
      ...(options.migrationsDir !== undefined ? { migrationsDir: options.migrationsDir } : {}),
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    try {
      // Raw statements, not Prisma: the writer then never loads Prisma's query engine (~60 MB of memory).
      // An upsert: writers of other clusters (PostgreSQL) may register theirs at the same moment.
      database.db.stmt('registerCluster').run(options.cluster, Date.now());
      const cluster = database.db.stmt('clusterId').get(options.cluster) as { id: number };
      return new HistoryWriter(database, cluster.id, options.cluster, options);
    } catch (e) {
      await database.close();
      throw e;
    }
  }

  private resume(): void {
    const db = this.database.db;
    for (const row of db.stmt('progress').all(this.clusterId) as { kind: Kind; lastObservedAt: number }[]) {
      this.lastAt.set(row.kind, row.lastObservedAt);
      this.resumedFrom.set(row.kind, row.lastObservedAt);
    }
    const rows = db.stmt('currentVersions').iterate(this.clusterId) as IterableIterator<{
      objectId: number; kind: Kind; namespace: string; name: string; uid: string; versionId: number;
      resourceVersion: string; validFrom: number; baseId: number | null; body: Buffer; chain: string | null;
    }>;
    const byObject = new Map<number, Live>();
    const byObjectAll = new Map<number, Live>();
    for (const r of rows) {
      const json = decodeBody(r.body, r.chain);
      const body = JSON.parse(json) as KubeObject;
      const live: Live = {
        objectId: r.objectId, versionId: r.versionId, uid: r.uid, rv: r.resourceVersion, hash: hashOf(json),
        depth: r.chain === null ? 0 : r.chain.split(',').length, validFrom: r.validFrom, facts: changeFacts(body),
      };
      this.liveOf(r.kind).set(keyOf(r.namespace, r.name), live);
      byObjectAll.set(r.objectId, live);
      if (r.kind === 'EndpointSlice' || r.kind === 'Endpoints') byObject.set(r.objectId, live);
    }
    const terms = new Map<number, [number, number][]>();
    for (const row of db.stmt('openLookupKeys').rawIterate(this.clusterId) as IterableIterator<[number, number, number]>) {
      const [objectId, term, since] = row;
      let list = terms.get(objectId);
      if (!list) terms.set(objectId, (list = []));
      list.push([Number(term), since]);
    }
    for (const [objectId, list] of terms) {
      const live = byObjectAll.get(objectId);
      if (!live) continue;
      list.sort((a, b) => a[0] - b[0]);
      live.terms = { hashes: list.map((x) => x[0]), since: list.map((x) => x[1]) };
    }
    const endpoints = new Map<number, Map<string, number[]>>();
    for (const row of db.stmt('openEndpointRows').rawIterate(this.clusterId) as IterableIterator<unknown[]>) {
      const [id, objectId, ...cells] = row as [number, number, ...unknown[]];
      let m = endpoints.get(objectId);
      if (!m) endpoints.set(objectId, (m = new Map()));
      // derivedRows writes booleans as 1/0; PostgreSQL reads them back as true/false.
      const k = endpointRowKey(cells.map((c) => (typeof c === 'boolean' ? (c ? 1 : 0) : c)) as Cell[]);
      m.set(k, [...(m.get(k) ?? []), id]);
    }
    for (const [objectId, m] of endpoints) {
      const live = byObject.get(objectId);
      if (live) live.endpoints = m;
    }
  }

  private liveOf(kind: Kind): Map<string, Live> {
    let m = this.live.get(kind);
    if (!m) this.live.set(kind, (m = new Map()));
    return m;
  }

  // ---------------------------------------------------------------- ChangeSink

  event(kind: Kind, type: WatchEventType, object: KubeObject, observedAt: Date): void {
    this.assertOpen();
    this.enqueue({ t: 'event', kind, type, proj: this.projectionOf(kind, object), at: observedAt.getTime() }, 1);
  }

  listed(kind: Kind, objects: readonly KubeObject[], observedAt: Date, namespace?: string): void {
    this.assertOpen();
    const projs = objects.map((o) => this.projectionOf(kind, o));
    this.enqueue({ t: 'listed', kind, projs, at: observedAt.getTime(), namespace }, Math.max(1, projs.length));
  }

  /** A report's projection: itself when reports are projections already (option `projected`). */
  private projectionOf(kind: Kind, object: KubeObject): KubeObject {
    return this.projected ? object : project(kind, object);
  }

  gap(kind: Kind, from: Date, to: Date, reason: string): void {
    this.assertOpen();
    this.enqueue({ t: 'gap', kind, from: from.getTime(), to: to.getTime(), reason }, 1);
  }

  flush(): Promise<void> {
    this.cancelTimers();
    try {
      this.writeQueued();
      return Promise.resolve();
    } catch (e) {
      this.scheduleRetry();
      return Promise.reject(e);
    }
  }

  // ---------------------------------------------------------------- lifecycle and maintenance

  /** Reports received but not yet committed. */
  get pendingReports(): number {
    return this.queuedReports;
  }

  /** The last batch-write failure, cleared by the next successful write. */
  get lastError(): Error | null {
    return this.failure;
  }

  /**
   * Deletes history that ended before now - retention and keeps the file under maxDbBytes (see
   * pruneHistory). Runs in small transactions and yields between them, so batches keep being written.
   */
  async prune(options: Omit<PruneOptions, 'clusterId' | 'shouldStop'>): Promise<PruneResult> {
    this.assertOpen();
    while (this.pruning) await this.pruning.catch(() => {});
    const p = pruneHistory(this.database.db, { ...options, clusterId: this.clusterId, shouldStop: () => this.closed });
    this.pruning = p;
    try {
      return await p;
    } finally {
      if (this.pruning === p) this.pruning = null;
    }
  }

  /** Writes what is queued, then closes the database. Rejects (after closing) if the final write fails. */
  async close(): Promise<void> {
    if (this.closed) return;
    let error: unknown = null;
    try {
      await this.flush();
    } catch (e) {
      error = e;
    }
    this.cancelTimers();
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    while (this.pruning) await this.pruning.catch(() => {});
    await this.database.close();
    if (error) throw error;
  }

  // ---------------------------------------------------------------- batching

  private assertOpen(): void {
    if (this.closed) throw new Error('HistoryWriter is closed');
  }

  private enqueue(op: Op, weight: number): void {
    this.queue.push(op);
    this.queuedReports += weight;
    if (this.failure) return; // the retry timer is running
    if (this.queuedReports >= this.batchSize) {
      this.immediate ??= setImmediate(() => this.onTimer());
    } else {
      this.timer ??= setTimeout(() => this.onTimer(), this.batchMs);
    }
  }

  private onTimer(): void {
    this.cancelTimers();
    if (this.closed) return;
    try {
      this.writeQueued();
    } catch {
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (!this.closed && this.queue.length > 0) this.timer ??= setTimeout(() => this.onTimer(), this.batchMs);
  }

  private cancelTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }

  /** Writes every queued op in one transaction; on failure nothing changes (queue, memory) and it throws. */
  private writeQueued(): void {
    if (this.queue.length === 0) return;
    const ops = this.queue;
    const batch = new Batch(this);
    try {
      this.database.db.transaction(() => {
        for (const op of ops) batch.apply(op);
        batch.writeProgress();
      });
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.failure = error;
      this.onError?.(error);
      throw error;
    }
    batch.commit();
    this.queue = this.queue.length === ops.length ? [] : this.queue.slice(ops.length);
    this.queuedReports = 0;
    for (const op of this.queue) this.queuedReports += op.t === 'listed' ? Math.max(1, op.projs.length) : 1;
    this.failure = null;
  }

  // ---------------------------------------------------------------- used by Batch

  /** @internal */ liveMap(kind: Kind): Map<string, Live> {
    return this.liveOf(kind);
  }
  /** @internal */ lastObserved(kind: Kind): number | undefined {
    return this.lastAt.get(kind);
  }
  /** @internal */ setLastObserved(kind: Kind, at: number): void {
    this.lastAt.set(kind, at);
  }
  /** @internal */ resumedFromFor(kind: Kind): number | undefined {
    return this.resumedFrom.get(kind);
  }
  /** @internal */ consumeResumed(kind: Kind): void {
    this.resumedFrom.delete(kind);
  }
  /** @internal */ statements(): HistoryWriter['stmt'] {
    return this.stmt;
  }
  /** @internal The body JSON of a stored version (its own row and delta chain). */
  storedJson(versionId: number): string {
    const row = this.stmt.versionBody.get(versionId) as { body: Buffer; chain: string | null } | undefined;
    if (!row) throw new Error(`version ${versionId} of an open object is missing from the history database`);
    return decodeBody(row.body, row.chain);
  }
  /** @internal Records that `live` (committed; null: the object is gone) was just written, dropping the JSON of the oldest beyond JSON_KEPT. */
  keepJson(key: string, live: Live | null): void {
    this.kept.delete(key);
    if (!live?.json) return;
    this.kept.set(key, live);
    if (this.kept.size <= JSON_KEPT) return;
    const [oldestKey, oldest] = this.kept.entries().next().value as [string, Live];
    oldest.json = undefined;
    this.kept.delete(oldestKey);
  }
}

/**
 * The changes of one batch: written to the database inside the transaction, kept aside in memory and
 * applied to the writer's state only once the transaction has committed.
 */
class Batch {
  private readonly staged = new Map<Kind, Map<string, Live | null>>();
  private readonly at = new Map<Kind, number>();
  private readonly resumedUsed = new Set<Kind>();
  private readonly s: ReturnType<HistoryWriter['statements']>;
  private readonly cid: number;

  constructor(private readonly w: HistoryWriter) {
    this.s = w.statements();
    this.cid = w.clusterId;
  }

  apply(op: Op): void {
    switch (op.t) {
      case 'event': {
        const createdAfter = this.lastObserved(op.kind) ?? null;
        const t = this.observe(op.kind, op.at);
        this.put(op.kind, op.type, op.proj, t, op.at, createdAfter);
        break;
      }
      case 'listed':
        this.listed(op.kind, op.projs, op.at, op.namespace);
        break;
      case 'gap':
        this.s.insertGap.run(this.cid, op.kind, op.from, Math.max(op.from, op.to), op.reason);
        break;
    }
  }

  writeProgress(): void {
    for (const [kind, at] of this.at) this.s.upsertProgress.run(this.cid, kind, at);
  }

  commit(): void {
    for (const [kind, m] of this.staged) {
      const live = this.w.liveMap(kind);
      for (const [key, v] of m) {
        if (v) live.set(key, v);
        else live.delete(key);
        this.w.keepJson(`${kind}\u0000${key}`, v);
      }
    }
    for (const [kind, at] of this.at) this.w.setLastObserved(kind, at);
    for (const kind of this.resumedUsed) this.w.consumeResumed(kind);
  }

  private lastObserved(kind: Kind): number | undefined {
    return this.at.get(kind) ?? this.w.lastObserved(kind);
  }

  /** The validity time for a report observed at `at`: never before an earlier report of the same kind. */
  private observe(kind: Kind, at: number): number {
    const prev = this.lastObserved(kind);
    const t = prev !== undefined && prev > at ? prev : at;
    this.at.set(kind, t);
    return t;
  }

  private get(kind: Kind, key: string): Live | undefined {
    const m = this.staged.get(kind);
    if (m?.has(key)) return m.get(key) ?? undefined;
    return this.w.liveMap(kind).get(key);
  }

  private stage(kind: Kind, key: string, v: Live | null): void {
    let m = this.staged.get(kind);
    if (!m) this.staged.set(kind, (m = new Map()));
    m.set(key, v);
  }

  private put(kind: Kind, type: WatchEventType, proj: KubeObject, t: number, observed: number, createdAfter: number | null): void {
    const sb = splitBody(proj);
    const hash = hashOf(sb.body);
    const key = keyOf(sb.namespace, sb.name);
    const cur = this.get(kind, key);
    if (type === 'DELETED') {
      if (!cur || (sb.uid && cur.uid && sb.uid !== cur.uid)) return;
      this.close(cur, t, timeMs(proj.metadata.deletionTimestamp));
      this.stage(kind, key, null);
      return;
    }
    let objectId: number;
    let change: number | null;
    let openRows: ReadonlyMap<string, readonly number[]> | undefined;
    let openTerms: OpenTerms | undefined;
    if (cur && cur.uid === sb.uid) {
      if ((sb.resourceVersion !== '' && cur.rv === sb.resourceVersion) || cur.hash === hash) return;
      this.s.closeVersion.run(t, null, cur.versionId);
      objectId = cur.objectId;
      openRows = cur.endpoints;
      openTerms = cur.terms;
      change = changeTimeOf(cur.facts, proj, createdAfter);
    } else {
      if (cur) this.close(cur, t, null);
      const ins = this.s.insertObject.run(this.cid, kind, sb.namespace, sb.name, sb.uid);
      objectId = ins.changes === 1
        ? Number(ins.lastInsertRowid)
        : (this.s.objectId.get(this.cid, kind, sb.namespace, sb.name, sb.uid) as { id: number }).id;
      change = changeTimeOf(null, proj, createdAfter);
    }
    // A delta from the open version of the same object while its chain is short enough, else a keyframe.
    const deltaFrom = this.w.compressBodies && cur && cur.objectId === objectId && cur.depth + 1 < KEYFRAME_EVERY ? cur : null;
    const body = deltaFrom
      ? encodeDelta(Buffer.from(deltaFrom.json ?? this.w.storedJson(deltaFrom.versionId), 'utf8'), Buffer.from(sb.body, 'utf8'))
      : encodeBody(sb.body, this.w.compressBodies);
    const versionId = Number(
      this.s.insertVersion.run(this.cid, objectId, sb.resourceVersion, t, change, observed, body, deltaFrom?.versionId ?? null).lastInsertRowid,
    );
    const rows = derivedRows(kind, proj);
    for (const r of rows.servicePorts) this.s.insertServicePort.run(this.cid, versionId, ...r);
    for (const r of rows.ingressRules) this.s.insertIngressRule.run(this.cid, versionId, ...r);
    const endpoints = kind === 'EndpointSlice' || kind === 'Endpoints'
      ? this.updateEndpointRows(objectId, openRows, rows.endpointRows, t)
      : undefined;
    const terms = updateTerms(this.s, this.cid, objectId, openTerms, lookupTermHashes(kind, proj), t);
    this.stage(kind, key, {
      objectId, versionId, uid: sb.uid, rv: sb.resourceVersion, hash, json: sb.body, depth: deltaFrom ? deltaFrom.depth + 1 : 0,
      validFrom: t, facts: changeFacts(proj),
      ...(endpoints ? { endpoints } : {}),
      ...(terms ? { terms } : {}),
    });
  }

  /** Closes the open version of an object, its open endpoint rows and its lookup terms at t. */
  private close(cur: Live, t: number, endChangeTime: number | null): void {
    this.s.closeVersion.run(t, endChangeTime, cur.versionId);
    for (const ids of cur.endpoints?.values() ?? []) for (const id of ids) this.s.closeEndpointRow.run(t, id);
    if (cur.terms) closeTerms(this.s, this.cid, cur.objectId, cur.terms, t);
  }

  /**
   * Endpoint rows of a new version: rows already open with the same content stay open; the others are
   * closed at t; rows the version adds are opened at t. Returns the new open set (a new map: the
   * committed state is only replaced when the batch commits).
   */
  private updateEndpointRows(
    objectId: number, open: ReadonlyMap<string, readonly number[]> | undefined, cells: Cell[][], t: number,
  ): Map<string, number[]> {
    // Open rows are kept from the end of their id list; `kept` counts how many of each key were kept.
    const kept = new Map<string, number>();
    const next = new Map<string, number[]>();
    for (const r of cells) {
      const k = endpointRowKey(r);
      const ids = open?.get(k);
      const n = kept.get(k) ?? 0;
      let id: number;
      if (ids && n < ids.length) {
        id = ids[ids.length - 1 - n]!;
        kept.set(k, n + 1);
      } else {
        id = Number(this.s.insertEndpointRow.run(this.cid, objectId, t, ...r).lastInsertRowid);
      }
      const list = next.get(k);
      if (list) list.push(id);
      else next.set(k, [id]);
    }
    for (const [k, ids] of open ?? []) {
      const closing = ids.length - (kept.get(k) ?? 0);
      for (let i = 0; i < closing; i++) this.s.closeEndpointRow.run(t, ids[i]!);
    }
    return next;
  }

  private listed(kind: Kind, projs: KubeObject[], at: number, namespace: string | undefined): void {
    const previous = this.lastObserved(kind);
    const t = this.observe(kind, at);
    const seen = new Set<string>();
    for (const proj of projs) {
      seen.add(keyOf(proj.metadata.namespace ?? '', proj.metadata.name));
      this.put(kind, 'MODIFIED', proj, t, at, previous ?? null);
    }
    let vanished = 0;
    const candidates = new Set<string>(this.w.liveMap(kind).keys());
    for (const key of this.staged.get(kind)?.keys() ?? []) candidates.add(key);
    const scope = namespace === undefined ? undefined : keyOf(namespace, '');
    for (const key of candidates) {
      if (seen.has(key) || (scope !== undefined && !key.startsWith(scope))) continue;
      const cur = this.get(kind, key);
      if (!cur) continue;
      this.close(cur, t, null);
      this.stage(kind, key, null);
      vanished++;
    }
    const resumed = this.resumedUsed.has(kind) ? undefined : this.w.resumedFromFor(kind);
    if (resumed !== undefined) {
      this.resumedUsed.add(kind);
      this.s.insertGap.run(this.cid, kind, resumed, t,
        `routetrace was not watching ${kind} (restart); ${vanished} object(s) found gone at relist, ` +
          'their exact deletion times are unknown');
    } else if (vanished > 0) {
      this.s.insertGap.run(this.cid, kind, previous ?? t, t,
        `relist of ${kind} found ${vanished} object(s) gone; their exact deletion times are unknown`);
    }
  }
}
