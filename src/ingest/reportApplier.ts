/**
 * reportApplier: replays the change reports of the ingest worker (ingestMessages.ts) onto a ChangeSink's
 * event/listed, in order (on serve's main thread: the live snapshot). List parts are held until their
 * `listed` report arrives, then the whole list is applied at once (a list is applied whole or not at all).
 */
import type { Kind, KubeObject } from '../model/objects.js';
import type { ChangeSink } from '../watch/ChangeSink.js';
import type { ChangeReport } from './ingestMessages.js';

export function reportApplier(sink: Pick<ChangeSink, 'event' | 'listed'>): (reports: readonly ChangeReport[]) => void {
  const parts = new Map<Kind, KubeObject[][]>();
  return (reports) => {
    for (const r of reports) {
      switch (r.t) {
        case 'event':
          sink.event(r.kind, r.type, r.object, new Date(r.at));
          break;
        case 'listPart': {
          const held = parts.get(r.kind);
          if (held) held.push(r.objects as KubeObject[]);
          else parts.set(r.kind, [r.objects as KubeObject[]]);
          break;
        }
        case 'listed': {
          const held = parts.get(r.kind);
          parts.delete(r.kind);
          const objects = held ? held.flat().concat(r.objects) : r.objects;
          sink.listed(r.kind, objects, new Date(r.at), r.namespace);
          break;
        }
      }
    }
  };
}
