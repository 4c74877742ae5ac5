/**
 * ChangeSink: what the watchers report, and the only way they reach storage.
 *
 * Producer: the k8s adapter (informers for the five watched kinds). Consumer: the history writer, which
 * turns reports into versions with validity intervals. Watchers never touch the database; the sink never
 * talks to Kubernetes.
 *
 * Ordering: reports for one kind arrive in the order the watcher saw them. `observedAt` is the receipt
 * time on routetrace's clock; the change time Kubernetes states (creation/deletion timestamps, condition
 * transition times) is read from the object by the sink.
 *
 * Objects are passed as received from the API server: plain parsed JSON (string timestamps), lists and
 * watch events alike. The sink projects them (src/model/project.ts).
 */
import type { KubeObject, Kind } from '../model/objects.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface ChangeSink {
  /** One watch (or relist-diff) event for one object. A report that changes nothing stored is a no-op. */
  event(kind: Kind, type: WatchEventType, object: KubeObject, observedAt: Date): void;
  /**
   * A complete list of `kind` in `namespace` (undefined: in every namespace), initial list or relist, was
   * received at `observedAt`. Objects of that scope stored as live but absent from `objects` are closed at
   * `observedAt`, with a gap record stating that their exact deletion time is unknown; listed objects are
   * stored as if by `event(ADDED/MODIFIED)`. Objects of other namespaces are left alone.
   */
  listed(kind: Kind, objects: readonly KubeObject[], observedAt: Date, namespace?: string): void;
  /** The watcher could not see changes of `kind` from `from` to `to` (stream lost, API unreachable). */
  gap(kind: Kind, from: Date, to: Date, reason: string): void;
  /** Resolves when every report so far is durably stored; rejects if storing failed. */
  flush(): Promise<void>;
}
