/**
 * snapshotModel: the expected state of a cluster after a sequence of reports, kept in memory the way the
 * ChangeSink contract describes it, to compare with snapshots rebuilt from stored history.
 * A report that changes nothing but metadata.resourceVersion keeps the earlier projection (the stored
 * version keeps the resourceVersion of the report that opened it).
 */
import type { Kind, KubeObject, Snapshot } from '../../src/model/objects.js';
import { emptySnapshot, objectKey, SNAPSHOT_FIELD } from '../../src/model/objects.js';
import { canonicalJson, project } from '../../src/model/project.js';

const FIELD: Readonly<Record<Kind, keyof Snapshot>> = SNAPSHOT_FIELD;

function withoutRv(p: KubeObject): string {
  return canonicalJson({ ...p, metadata: { ...p.metadata, resourceVersion: undefined } });
}

export class SnapshotModel {
  private readonly state = new Map<string, { kind: Kind; proj: KubeObject }>();

  put(kind: Kind, object: KubeObject): void {
    const proj = project(kind, object);
    const key = objectKey(kind, proj.metadata);
    const prev = this.state.get(key);
    if (prev && prev.proj.metadata.uid === proj.metadata.uid && withoutRv(prev.proj) === withoutRv(proj)) return;
    this.state.set(key, { kind, proj });
  }

  delete(kind: Kind, object: KubeObject): void {
    this.state.delete(objectKey(kind, project(kind, object).metadata));
  }

  listed(kind: Kind, objects: readonly KubeObject[]): void {
    const keep = new Set(objects.map((o) => objectKey(kind, project(kind, o).metadata)));
    for (const [key, v] of this.state) if (v.kind === kind && !keep.has(key)) this.state.delete(key);
    for (const o of objects) this.put(kind, o);
  }

  snapshot(): Snapshot {
    const s = emptySnapshot() as unknown as Record<keyof Snapshot, KubeObject[]>;
    for (const { kind, proj } of this.state.values()) s[FIELD[kind]].push(proj);
    for (const list of Object.values(s)) {
      list.sort((a, b) => {
        const ka = `${a.metadata.namespace ?? ''}\u0000${a.metadata.name}`;
        const kb = `${b.metadata.namespace ?? ''}\u0000${b.metadata.name}`;
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
    }
    return s as unknown as Snapshot;
  }
}

/** Canonical text of a snapshot, for exact comparison. */
export function snapshotText(s: Snapshot): string {
  return canonicalJson(s);
}
