/**
 * postgresDialect: every piece of PostgreSQL-specific SQL the history store runs, in one place: the same
 * statements under the same keys as sqliteDialect.ts (dialect.ts makes the types say so), for the schema
 * prisma/postgresql/schema.prisma describes (times are bigint epoch milliseconds, bodies bytea, ids serial).
 *
 * The texts below are written the way sqliteDialect writes them, with `?` placeholders and bare camelCase
 * column names; `postgres()` turns each into what PostgreSQL expects when this module loads: camelCase
 * identifiers are double-quoted (PostgreSQL folds bare names to lower case, and Prisma creates them quoted)
 * and placeholders are numbered $1, $2, … in order. Differences from SQLite that are not spelling:
 * INSERTs whose id the writer needs RETURN it; delta chains are string_agg of encode(body, 'hex');
 * id lists arrive as a JSON array (jsonb_array_elements_text); sizes come from pg_database_size and
 * pg_total_relation_size; there is no incremental vacuum, integrity check or foreign-key check to run.
 */
import type { Dialect } from './dialect.js';

/** Prisma's migration table, as `prisma migrate deploy` creates it on PostgreSQL. */
export const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** Quotes bare camelCase identifiers and numbers `?` placeholders, outside string literals. */
export function postgres(text: string): string {
  let n = 0;
  return text.split(/('(?:[^']|'')*')/).map((part, i) => i % 2 === 1 ? part : part
    .replace(/(?<![\w"$])([a-z]+[A-Z]\w*)(?![\w"(])/g, '"$1"')
    .replace(/\?/g, () => `$${++n}`)).join('');
}

/**
 * Endpoint rows of one object and service name overlapping [from, to]: those still open and those that ended
 * after `from`, two ranges of the (objectId, validTo) index, so history that ended before `from` is not
 * read. Params: objectId, from, to, service, objectId, to, service.
 */
const endpointRowsOfObject = (columns: string) => `SELECT ${columns} FROM "EndpointRow" e
    WHERE e.objectId = ? AND e.validTo > ? AND e.validFrom <= ? AND e.serviceName = ?
  UNION ALL
  SELECT ${columns} FROM "EndpointRow" e
    WHERE e.objectId = ? AND e.validTo IS NULL AND e.validFrom <= ? AND e.serviceName = ?`;

/**
 * The delta chain of version `v` (bodyCodec.ts): the stored bodies of its object's versions with ids in
 * [v.baseId, v.id), hex-encoded, oldest first, joined by ','; null for a keyframe. Selected as `chain`
 * next to every body, so a body always decodes from its row (range of the (objectId, validFrom) index).
 */
const chainOf = (v: string) => `CASE WHEN ${v}.baseId IS NOT NULL THEN (SELECT string_agg(encode(c.body, 'hex'), ',' ORDER BY c.id)
      FROM "ObjectVersion" c WHERE c.objectId = ${v}.objectId AND c.validFrom <= ${v}.validFrom
        AND c.id >= ${v}.baseId AND c.id < ${v}.id) END`;
const CHAIN = (v: string) => `${chainOf(v)} AS chain`;

const ENDPOINT_VALUES_IN_RANGE = ` FROM "EndpointRow" e JOIN "KubeObject" o ON o.id = e.objectId
  WHERE e.clusterId = ? AND e.validFrom <= ? AND (e.validTo IS NULL OR e.validTo > ?)`;

const STATEMENTS: Dialect['SQL'] = {
  // --- migrations
  migrationsTable: MIGRATIONS_TABLE_DDL,
  /**
   * A session advisory lock held while migrations are checked and applied, so processes starting together
   * apply each one once. One key ("rtmg") for every routetrace database: migrations are rare and short.
   */
  lockMigrations: `SELECT pg_advisory_lock(1920233831)`,
  unlockMigrations: `SELECT pg_advisory_unlock(1920233831)`,
  appliedMigrations: `SELECT migration_name AS name, checksum, finished_at AS finishedAt, rolled_back_at AS rolledBackAt
    FROM "_prisma_migrations" ORDER BY started_at, migration_name`,
  recordMigration: `INSERT INTO "_prisma_migrations"
    (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
    VALUES (?, ?, to_timestamp(?::bigint / 1000.0), ?, NULL, NULL, to_timestamp(?::bigint / 1000.0), 1)`,
  tableExists: `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?`,

  // --- backfills (runBackfills.ts)
  pendingBackfills: `SELECT name FROM "PendingBackfill" ORDER BY name`,
  deleteBackfill: `DELETE FROM "PendingBackfill" WHERE name = ?`,
  countVersions: `SELECT count(*) FROM "ObjectVersion"`,
  maxObjectId: `SELECT max(id) FROM "KubeObject"`,
  /** Every version of the objects with ids in [?, ?], oldest first per object. */
  versionsOfObjectRange: `SELECT o.id AS objectId, o.clusterId, o.kind, o.namespace, o.name, o.uid, v.resourceVersion,
      v.validFrom, v.validTo, v.body, ${CHAIN('v')}
    FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
    WHERE o.id BETWEEN ? AND ? ORDER BY o.id, v.validFrom, v.id`,

  // --- write path (raw prepared statements: see HistoryWriter's doc comment)
  /** A new object; on conflict (the same uid seen before) changes nothing and the id is looked up. */
  insertObject: `INSERT INTO "KubeObject" (clusterId, kind, namespace, name, uid) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (clusterId, kind, namespace, name, uid) DO NOTHING RETURNING id`,
  objectId: `SELECT id FROM "KubeObject" WHERE clusterId = ? AND kind = ? AND namespace = ? AND name = ? AND uid = ?`,
  /**
   * A new version. The last parameter is the previous version of the object when the body is a delta from
   * it (the new version joins that version's chain: baseId is read from the table, so a chain pruning
   * re-keyed stays whole), null for a keyframe.
   */
  insertVersion: `INSERT INTO "ObjectVersion"
    (clusterId, objectId, resourceVersion, validFrom, validTo, changeTime, endChangeTime, observedTime, body, baseId)
    VALUES (?, ?, ?, ?, NULL, ?, NULL, ?, ?, (SELECT coalesce(baseId, id) FROM "ObjectVersion" WHERE id = ?)) RETURNING id`,
  closeVersion: `UPDATE "ObjectVersion" SET validTo = ?, endChangeTime = ? WHERE id = ? AND validTo IS NULL`,
  insertServicePort: `INSERT INTO "ServicePort" (clusterId, versionId, name, protocol, port, targetPort, nodePort)
    VALUES (?, ?, ?, ?, ?, ?, ?)`,
  insertEndpointRow: `INSERT INTO "EndpointRow" (clusterId, objectId, validFrom, serviceName, address, portName, port,
    protocol, ready, serving, terminating, node, zone, targetKind, targetName)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  closeEndpointRow: `UPDATE "EndpointRow" SET validTo = ? WHERE id = ? AND validTo IS NULL`,
  /** Open endpoint rows, to resume; the columns after id/objectId are derivedRows' endpoint cells. */
  openEndpointRows: `SELECT id, objectId, serviceName, address, portName, port, protocol, ready, serving, terminating,
      node, zone, targetKind, targetName
    FROM "EndpointRow" WHERE clusterId = ? AND validTo IS NULL`,
  /** A lookup term opened at validFrom (see LookupKey in prisma/schema.prisma). */
  insertLookupKey: `INSERT INTO "LookupKey" (clusterId, term, validFrom, objectId, validTo) VALUES (?, ?, ?, ?, NULL)`,
  /** Closes an open lookup term at ?. Params: validTo, cluster, term, validFrom, objectId. */
  closeLookupKey: `UPDATE "LookupKey" SET validTo = ? WHERE clusterId = ? AND term = ? AND validFrom = ? AND objectId = ? AND validTo IS NULL`,
  /** Removes a lookup term closed at its own validFrom (it held at no instant). Params: cluster, term, validFrom, objectId. */
  deleteLookupKey: `DELETE FROM "LookupKey" WHERE clusterId = ? AND term = ? AND validFrom = ? AND objectId = ?`,
  /** Open lookup terms, to resume. */
  openLookupKeys: `SELECT objectId, term, validFrom FROM "LookupKey" WHERE clusterId = ? AND validTo IS NULL`,
  insertIngressRule: `INSERT INTO "IngressRule" (clusterId, versionId, host, path, pathType, serviceName, servicePort,
    servicePortName) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  insertGap: `INSERT INTO "WatchGap" (clusterId, kind, fromTime, toTime, reason) VALUES (?, ?, ?, ?, ?)`,
  upsertProgress: `INSERT INTO "WatchProgress" (clusterId, kind, lastObservedAt) VALUES (?, ?, ?)
    ON CONFLICT (clusterId, kind) DO UPDATE SET lastObservedAt = greatest("WatchProgress".lastObservedAt, excluded.lastObservedAt)`,
  progress: `SELECT kind, lastObservedAt FROM "WatchProgress" WHERE clusterId = ?`,
  /** The body of one version with its delta chain. Params: id. */
  versionBody: `SELECT v.body, ${CHAIN('v')} FROM "ObjectVersion" v WHERE v.id = ?`,
  /** The open version of every object of a cluster, to resume after a restart. */
  currentVersions: `SELECT o.id AS objectId, o.kind, o.namespace, o.name, o.uid, v.id AS versionId,
      v.resourceVersion, v.validFrom, v.baseId, v.body, ${CHAIN('v')}
    FROM "ObjectVersion" v JOIN "KubeObject" o ON o.id = v.objectId
    WHERE v.clusterId = ? AND v.validTo IS NULL`,

  // --- reads
  /** Registers a cluster name (createdAt in ms); a known name is left as is (several writers may race: the loser does nothing). */
  registerCluster: `INSERT INTO "Cluster" ("name", "createdAt") VALUES (?, ?) ON CONFLICT ("name") DO NOTHING`,
  clusterId: `SELECT id FROM "Cluster" WHERE name = ?`,
  /**
   * Versions valid at ? (validFrom <= t < validTo, null validTo = open). Two index range scans on
   * (clusterId, validTo) instead of one OR, which would not be served from the index.
   * Parameters: clusterId, t, t, clusterId, t.
   */
  versionsAt: `SELECT o.kind, o.namespace, o.name, o.uid, v.resourceVersion, v.body, ${CHAIN('v')}
      FROM "ObjectVersion" v JOIN "KubeObject" o ON o.id = v.objectId
      WHERE v.clusterId = ? AND v.validTo > ? AND v.validFrom <= ?
    UNION ALL
    SELECT o.kind, o.namespace, o.name, o.uid, v.resourceVersion, v.body, ${CHAIN('v')}
      FROM "ObjectVersion" v JOIN "KubeObject" o ON o.id = v.objectId
      WHERE v.clusterId = ? AND v.validTo IS NULL AND v.validFrom <= ?`,

  /** Endpoint rows of one service valid at ? (index (clusterId, serviceName, validFrom)). Params: cluster, service, t, t. */
  endpointRowsAt: `SELECT e.address, e.portName, e.port, e.protocol, e.ready, e.serving, e.terminating, e.node, e.zone, e.targetKind, e.targetName
    FROM "EndpointRow" e JOIN "KubeObject" o ON o.id = e.objectId
    WHERE e.clusterId = ? AND o.namespace = ? AND e.serviceName = ? AND e.validFrom <= ? AND (e.validTo IS NULL OR e.validTo > ?)
    ORDER BY e.address, e.port`,

  /**
   * Every stored version of one name (any uid), oldest first, with its delta chain. Params: cluster name,
   * kind, namespace, name.
   */
  objectHistory: `SELECT o.uid, v.resourceVersion, v.validFrom, v.validTo, v.changeTime, v.endChangeTime, v.observedTime,
      v.body, ${CHAIN('v')}
    FROM "KubeObject" o JOIN "Cluster" c ON c.id = o.clusterId JOIN "ObjectVersion" v ON v.objectId = o.id
    WHERE c.name = ? AND o.kind = ? AND o.namespace = ? AND o.name = ?
    ORDER BY v.validFrom, v.id`,
  /** Gap records of a cluster overlapping [from, to], oldest first. Params: cluster name, to, from. */
  gapsInRange: `SELECT g.kind, g.fromTime, g.toTime, g.reason FROM "WatchGap" g JOIN "Cluster" c ON c.id = g.clusterId
    WHERE c.name = ? AND g.fromTime <= ? AND g.toTime >= ? ORDER BY g.fromTime, g.id`,
  /** Per kind of a cluster (by name), the last time a report of it was stored, by kind. Params: cluster. */
  progressOfCluster: `SELECT p.kind, p.lastObservedAt FROM "WatchProgress" p JOIN "Cluster" c ON c.id = p.clusterId
    WHERE c.name = ? ORDER BY p.kind`,
  /** Cluster names, sorted. */
  clusterNames: `SELECT name FROM "Cluster" ORDER BY name`,
  /** The latest report time recorded for any kind of a cluster (null when none). Params: cluster. */
  lastObservedAt: `SELECT max(lastObservedAt) AS t FROM "WatchProgress" WHERE clusterId = ?`,
  /** The AUTOINCREMENT counter of a table (no row before its first insert). Params: table name. */
  tableSequence: `SELECT last_value FROM pg_sequences
    WHERE schemaname = current_schema() AND sequencename = ? || '_id_seq' AND last_value IS NOT NULL`,

  /**
   * The latest instant <= t at which a version of one kind began or ended. Params: cluster, kind, t,
   * cluster, kind, t (lastChangeInNamespace: cluster, kind, namespace, t, cluster, kind, namespace, t).
   */
  lastChange: `SELECT max(x) AS b FROM (
    SELECT max(v.validFrom) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND v.validFrom <= ?
    UNION ALL
    SELECT max(v.validTo) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND v.validTo <= ?) s`,
  lastChangeInNamespace: `SELECT max(x) AS b FROM (
    SELECT max(v.validFrom) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND v.validFrom <= ?
    UNION ALL
    SELECT max(v.validTo) AS x FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
      WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND v.validTo <= ?) s`,

  /** Versions of one kind valid at t (KubeObject kind index). Params: cluster, kind, t, t. */
  kindVersionsAt: `SELECT o.namespace, o.name, o.uid, v.resourceVersion, v.body, ${CHAIN('v')}
  FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)`,
  /** Versions of one kind in one namespace valid at t. Params: cluster, kind, namespace, t, t. */
  kindVersionsInNamespaceAt: `SELECT o.namespace, o.name, o.uid, v.resourceVersion, v.body, ${CHAIN('v')}
  FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)`,
  // --- instant reads by index (InstantReader)
  /** The latest version of an object that started by t (valid at t unless it ended). Params: objectId, t. */
  versionStartedBy: `SELECT id AS versionId, resourceVersion, validFrom, validTo, changeTime, endChangeTime, observedTime, body, ${CHAIN('v')}
    FROM "ObjectVersion" v WHERE objectId = ? AND validFrom <= ?
    ORDER BY validFrom DESC, id DESC LIMIT 1`,
  /** Objects of a kind that had a lookup term at t (primary-key range scan). Params: cluster, term, t, t, kind. */
  objectsWithTermAt: `SELECT o.id AS objectId, o.namespace, o.name, o.uid
    FROM "LookupKey" k JOIN "KubeObject" o ON o.id = k.objectId
    WHERE k.clusterId = ? AND k.term = ? AND k.validFrom <= ? AND (k.validTo IS NULL OR k.validTo > ?) AND o.kind = ?`,
  /**
   * Objects of a kind that had a lookup term at t, each with the cells of its latest version started by t
   * (null cells: none). Params: t, cluster, term, t, t, kind.
   */
  objectsWithTermAtVersions: `SELECT o.id AS objectId, o.namespace, o.name, o.uid, v.resourceVersion, v.validTo, v.body, ${CHAIN('v')}
    FROM "LookupKey" k JOIN "KubeObject" o ON o.id = k.objectId
    LEFT JOIN "ObjectVersion" v ON v.id = (SELECT id FROM "ObjectVersion" WHERE objectId = o.id AND validFrom <= ? ORDER BY validFrom DESC, id DESC LIMIT 1)
    WHERE k.clusterId = ? AND k.term = ? AND k.validFrom <= ? AND (k.validTo IS NULL OR k.validTo > ?) AND o.kind = ?`,
  /**
   * Objects (any uid) of a kind with this namespace and name, each with the cells of its latest version
   * started by t (null cells: none). Params: t, cluster, kind, namespace, name.
   */
  objectsNamedAtVersions: `SELECT o.id AS objectId, o.uid, v.resourceVersion, v.validTo, v.body, ${CHAIN('v')} FROM "KubeObject" o
    LEFT JOIN "ObjectVersion" v ON v.id = (SELECT id FROM "ObjectVersion" WHERE objectId = o.id AND validFrom <= ? ORDER BY validFrom DESC, id DESC LIMIT 1)
    WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND o.name = ?`,
  /** The latest version started by t of each object id of a JSON array. Params: JSON array of ids, t. */
  versionsStartedByOfIds: `SELECT j.value::int AS objectId, v.resourceVersion, v.validTo, v.body, ${CHAIN('v')}
    FROM jsonb_array_elements_text(?::jsonb) AS j(value)
    JOIN "ObjectVersion" v ON v.id = (SELECT id FROM "ObjectVersion" WHERE objectId = j.value::int AND validFrom <= ? ORDER BY validFrom DESC, id DESC LIMIT 1)`,
  /** Objects (any uid) of a kind with this namespace and name. Params: cluster, kind, namespace, name. */
  objectsNamed: `SELECT id AS objectId, uid FROM "KubeObject" WHERE clusterId = ? AND kind = ? AND namespace = ? AND name = ?`,
  /** Objects of a kind in a namespace valid at t, by name. Params: t, cluster, kind, namespace, t. */
  objectsInNamespaceAt: `SELECT o.id AS objectId, o.name, o.uid FROM "KubeObject" o
    JOIN "ObjectVersion" v ON v.id = (SELECT id FROM "ObjectVersion" WHERE objectId = o.id AND validFrom <= ? ORDER BY validFrom DESC, id DESC LIMIT 1)
    WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND (v.validTo IS NULL OR v.validTo > ?)
    ORDER BY o.name`,
  /** Objects of a kind valid at t. Params: t, cluster, kind, t. */
  objectsOfKindAt: `SELECT o.id AS objectId, o.namespace, o.name, o.uid FROM "KubeObject" o
    JOIN "ObjectVersion" v ON v.id = (SELECT id FROM "ObjectVersion" WHERE objectId = o.id AND validFrom <= ? ORDER BY validFrom DESC, id DESC LIMIT 1)
    WHERE o.clusterId = ? AND o.kind = ? AND (v.validTo IS NULL OR v.validTo > ?)
    ORDER BY o.namespace, o.name`,
  /** A row when some object of a kind is valid at t. Params: cluster, kind, t, t. */
  kindExistsAt: `SELECT 1 FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?) LIMIT 1`,
  /** A row when some object of a kind lives in a namespace at t. Params: cluster, kind, namespace, t, t. */
  namespaceUsedAt: `SELECT 1 FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ? AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?) LIMIT 1`,

  /**
   * Versions of one kind in one namespace overlapping [from, to], oldest first per object (objects by
   * name). Params: cluster, kind, namespace, to, from.
   */
  versionsInRange: `SELECT o.id AS objectId, o.name, o.uid, v.id AS versionId, v.resourceVersion, v.validFrom, v.validTo,
    v.changeTime, v.endChangeTime, v.observedTime, v.body, ${CHAIN('v')}
  FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND o.namespace = ?
    AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)
  ORDER BY o.name, v.validFrom, v.id`,
  /** Versions of one object that began in (from, to], oldest first. Params: objectId, from, to. */
  objectVersionsStartedIn: `SELECT id AS versionId, resourceVersion, validFrom, validTo, changeTime, endChangeTime, observedTime, body
  FROM "ObjectVersion" v WHERE objectId = ? AND validFrom > ? AND validFrom <= ?
  ORDER BY validFrom, id`,
  /** The delta chain of one version (see chainOf), for the first of consecutive versions read without theirs. Params: id. */
  versionChain: `SELECT ${CHAIN('v')} FROM "ObjectVersion" v WHERE id = ?`,
  /** A row when a version of one object began in (from, to]. Params: objectId, from, to. */
  objectChangedIn: `SELECT 1 FROM "ObjectVersion" WHERE objectId = ? AND validFrom > ? AND validFrom <= ? LIMIT 1`,
  /**
   * Objects of a kind that had a lookup term at some instant of [from, to] (primary-key range scan).
   * Params: cluster, term, to, from, kind.
   */
  objectsWithTermInRange: `SELECT DISTINCT o.id AS objectId, o.namespace, o.name, o.uid
    FROM "LookupKey" k JOIN "KubeObject" o ON o.id = k.objectId
    WHERE k.clusterId = ? AND k.term = ? AND k.validFrom <= ? AND (k.validTo IS NULL OR k.validTo > ?) AND o.kind = ?
    ORDER BY o.name, o.id`,
  /**
   * The start of the n-th endpoint row (0-based, any namespace) of a service name opened after t, if there is
   * one (index (clusterId, serviceName, validFrom)). Params: cluster, service, t, n.
   */
  endpointRowStartAfter: `SELECT validFrom FROM "EndpointRow" WHERE clusterId = ? AND serviceName = ? AND validFrom > ?
  ORDER BY validFrom LIMIT 1 OFFSET ?`,
  /** A row when some version of a kind overlaps [from, to]. Params: cluster, kind, to, from. */
  kindStoredInRange: `SELECT 1 FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id
  WHERE o.clusterId = ? AND o.kind = ? AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?) LIMIT 1`,

  /** The counting columns of endpointRowsOfObject (endpointRowsOfObjectInRange: every column). */
  endpointIntervalsOfObjectInRange: endpointRowsOfObject('e.validFrom, e.validTo, e.portName, e.port, e.ready, e.serving, e.terminating, e.node, e.zone'),
  endpointRowsOfObjectInRange: endpointRowsOfObject(`e.validFrom, e.validTo, e.portName, e.port, e.ready, e.serving, e.terminating, e.node, e.zone,
    e.address, e.protocol, e.targetKind, e.targetName`),

  /** Service ports of the Service versions overlapping [from, to] (a row with null port when none). Params: cluster, to, from. */
  servicePortsInRange: `SELECT o.namespace AS namespace, o.name AS name, sp.name AS portName, sp.port AS port, sp.protocol AS protocol
  FROM "KubeObject" o JOIN "ObjectVersion" v ON v.objectId = o.id LEFT JOIN "ServicePort" sp ON sp.versionId = v.id
  WHERE o.clusterId = ? AND o.kind = 'Service' AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)`,
  /** Ingress rule hosts of the Ingress versions overlapping [from, to]. Params: cluster, to, from. */
  ingressHostsInRange: `SELECT DISTINCT o.namespace AS namespace, r.host AS host
  FROM "IngressRule" r JOIN "ObjectVersion" v ON v.id = r.versionId JOIN "KubeObject" o ON o.id = v.objectId
  WHERE r.clusterId = ? AND r.host IS NOT NULL AND v.validFrom <= ? AND (v.validTo IS NULL OR v.validTo > ?)`,
  /** Distinct (namespace, service, zone) of endpoint rows overlapping [from, to]. Params: cluster, to, from. */
  endpointZonesInRange: `SELECT DISTINCT o.namespace AS namespace, e.serviceName AS service, e.zone AS value${ENDPOINT_VALUES_IN_RANGE}`,
  /** Distinct (namespace, service, node) of endpoint rows overlapping [from, to]. Params: cluster, to, from. */
  endpointNodesInRange: `SELECT DISTINCT o.namespace AS namespace, e.serviceName AS service, e.node AS value${ENDPOINT_VALUES_IN_RANGE}`,

  // --- retention (small batches; derived rows go by ON DELETE CASCADE)
  expiredVersionIds: `SELECT id FROM "ObjectVersion" WHERE clusterId = ? AND validTo < ? ORDER BY validTo LIMIT ?`,
  oldestClosedVersions: `SELECT id, validFrom, validTo FROM "ObjectVersion" WHERE clusterId = ? AND validTo IS NOT NULL
    ORDER BY validTo LIMIT ?`,
  deleteVersion: `DELETE FROM "ObjectVersion" WHERE id = ?`,
  /**
   * The version after ? (same object) in the delta chain ? starts, with its body and chain, if any: it
   * becomes a keyframe before ? is deleted. Params: objectId, chain keyframe id, version id.
   */
  nextInChain: `SELECT v.id, v.body, ${CHAIN('v')} FROM "ObjectVersion" v
    WHERE v.objectId = ? AND v.baseId = ? AND v.id > ? ORDER BY v.id LIMIT 1`,
  /** What pruning needs to know of a version it deletes. Params: id. */
  versionChainLink: `SELECT objectId, baseId FROM "ObjectVersion" WHERE id = ?`,
  /** Stores a version's body as a keyframe. Params: body, id. */
  makeKeyframe: `UPDATE "ObjectVersion" SET body = ?, baseId = NULL WHERE id = ?`,
  /** Moves the rest of a delta chain onto its new keyframe. Params: new keyframe, objectId, old keyframe, new keyframe. */
  rebaseChain: `UPDATE "ObjectVersion" SET baseId = ? WHERE objectId = ? AND baseId = ? AND id > ?`,
  /** Closed endpoint rows that ended before ? (oldest first). */
  expiredEndpointRowIds: `SELECT id FROM "EndpointRow" WHERE clusterId = ? AND validTo < ? ORDER BY validTo LIMIT ?`,
  deleteEndpointRow: `DELETE FROM "EndpointRow" WHERE id = ?`,
  /** Deletes up to ? lookup terms that ended before ?. Params: cluster, cutoff, limit. */
  deleteExpiredLookupKeys: `DELETE FROM "LookupKey" WHERE (clusterId, term, validFrom, objectId) IN (
    SELECT clusterId, term, validFrom, objectId FROM "LookupKey" WHERE clusterId = ? AND validTo < ? LIMIT ?)`,
  deleteOrphanObjects: `DELETE FROM "KubeObject" WHERE clusterId = ? AND id IN (SELECT o.id FROM "KubeObject" o
    WHERE o.clusterId = ? AND NOT EXISTS (SELECT 1 FROM "ObjectVersion" v WHERE v.objectId = o.id)
      AND NOT EXISTS (SELECT 1 FROM "EndpointRow" e WHERE e.objectId = o.id) LIMIT ?)`,
  expiredGapIds: `SELECT id FROM "WatchGap" WHERE clusterId = ? AND toTime < ? LIMIT ?`,
  deleteGap: `DELETE FROM "WatchGap" WHERE id = ?`,
  /** Bytes of the main database file in use (excluding free pages). */
  usedBytes: `SELECT pg_database_size(current_database()) AS bytes`,
  /** Nothing to do: autovacuum returns dead rows' space for reuse. */
  incrementalVacuum: `SELECT 1`,
  /** Bytes per table (with its indexes and TOAST) of the schema in use. */
  bytesPerTable: `SELECT c.relname AS name, pg_total_relation_size(c.oid) AS bytes
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY bytes DESC`,

  // --- invariants (each query returns offending rows; an empty result means the invariant holds)
  invariantOverlaps: `SELECT o.kind, o.namespace, o.name, a.id AS a, b.id AS b
    FROM "ObjectVersion" a JOIN "KubeObject" oa ON oa.id = a.objectId
    JOIN "KubeObject" o ON o.clusterId = oa.clusterId AND o.kind = oa.kind AND o.namespace = oa.namespace AND o.name = oa.name
    JOIN "ObjectVersion" b ON b.objectId = o.id AND b.id > a.id
    WHERE a.validFrom < coalesce(b.validTo, 9000000000000000000) AND b.validFrom < coalesce(a.validTo, 9000000000000000000)
      AND a.validFrom < coalesce(a.validTo, 9000000000000000000) AND b.validFrom < coalesce(b.validTo, 9000000000000000000)
    LIMIT 20`,
  invariantManyOpen: `SELECT o.clusterId, o.kind, o.namespace, o.name, count(*) AS n
    FROM "ObjectVersion" v JOIN "KubeObject" o ON o.id = v.objectId WHERE v.validTo IS NULL
    GROUP BY o.clusterId, o.kind, o.namespace, o.name HAVING count(*) > 1 LIMIT 20`,
  invariantBackwards: `SELECT id FROM "ObjectVersion" WHERE validTo IS NOT NULL AND validTo < validFrom LIMIT 20`,
  /**
   * Every version with its body and chain, per object in time order: checkInvariants compares the decoded
   * bodies of back-to-back versions (a stored no-op is a duplicate, unless a gap of its kind ends there).
   */
  invariantVersionSequence: `SELECT o.clusterId, o.kind, v.objectId, v.id, v.validFrom, v.validTo, v.body, ${CHAIN('v')}
    FROM "ObjectVersion" v JOIN "KubeObject" o ON o.id = v.objectId ORDER BY v.objectId, v.validFrom, v.id`,
  /** Where relists and restarts left gaps: a version closed there may reopen unchanged at that instant. */
  invariantGapEnds: `SELECT clusterId, kind, toTime FROM "WatchGap"`,
  invariantOrphanDerived: `SELECT 'ServicePort' AS t, count(*) AS n FROM "ServicePort" WHERE versionId NOT IN (SELECT id FROM "ObjectVersion")
    UNION ALL SELECT 'EndpointRow (open, object has no open version)', count(*) FROM "EndpointRow" e
      WHERE e.validTo IS NULL AND NOT EXISTS (SELECT 1 FROM "ObjectVersion" v WHERE v.objectId = e.objectId AND v.validTo IS NULL)
    UNION ALL SELECT 'EndpointRow (ends before it starts)', count(*) FROM "EndpointRow" WHERE validTo < validFrom
    UNION ALL SELECT 'LookupKey (open, object has no open version)', count(*) FROM "LookupKey" k
      WHERE k.validTo IS NULL AND NOT EXISTS (SELECT 1 FROM "ObjectVersion" v WHERE v.objectId = k.objectId AND v.validTo IS NULL)
    UNION ALL SELECT 'LookupKey (ends at or before it starts)', count(*) FROM "LookupKey" WHERE validTo <= validFrom
    UNION ALL SELECT 'IngressRule', count(*) FROM "IngressRule" WHERE versionId NOT IN (SELECT id FROM "ObjectVersion")`,
  /** PostgreSQL checks pages and enforces foreign keys itself: nothing to report. */
  integrityCheck: `SELECT 'ok'`,
  foreignKeyCheck: `SELECT 1 WHERE false`,
};

export const SQL = Object.fromEntries(
  Object.entries(STATEMENTS).map(([key, text]) => [key, postgres(text)]),
) as Dialect['SQL'];
