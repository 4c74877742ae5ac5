/**
 * reportApplier: the worker's change reports replayed onto a sink in order, list parts joined into the
 * list they belong to.
 */
import { describe, expect, it } from 'vitest';
import type { Kind, KubeObject } from '../../src/model/objects.js';
import type { ChangeReport } from '../../src/ingest/ingestMessages.js';
import { reportApplier } from '../../src/ingest/reportApplier.js';

const obj = (name: string): KubeObject => ({ metadata: { namespace: 'a', name } }) as KubeObject;

function replay(batches: ChangeReport[][]): string[] {
  const calls: string[] = [];
  const apply = reportApplier({
    event: (kind: Kind, type, o) => void calls.push(`event ${kind} ${type} ${o.metadata.name}`),
    listed: (kind: Kind, objects, at, ns) => void calls.push(`listed ${kind} [${objects.map((o) => o.metadata.name).join(',')}] at ${at.getTime()}${ns !== undefined ? ` ns ${ns}` : ''}`),
  });
  for (const b of batches) apply(b);
  return calls;
}

describe('reportApplier', () => {
  const cases: { name: string; batches: ChangeReport[][]; calls: string[] }[] = [
    {
      name: 'events and a one-part list, in order',
      batches: [[
        { t: 'listed', kind: 'Service', objects: [obj('s1')], at: 5, namespace: 'a' },
        { t: 'event', kind: 'Service', type: 'ADDED', object: obj('s2'), at: 6 },
      ]],
      calls: ['listed Service [s1] at 5 ns a', 'event Service ADDED s2'],
    },
    {
      name: 'list parts over several messages are applied once, as one list, when the list ends',
      batches: [
        [{ t: 'listPart', kind: 'Pod', objects: [obj('p1'), obj('p2')] }],
        [{ t: 'listPart', kind: 'Pod', objects: [obj('p3')] }, { t: 'event', kind: 'Service', type: 'MODIFIED', object: obj('s'), at: 1 }],
        [{ t: 'listed', kind: 'Pod', objects: [obj('p4')], at: 9 }],
      ],
      calls: ['event Service MODIFIED s', 'listed Pod [p1,p2,p3,p4] at 9'],
    },
    {
      name: 'parts of one kind do not leak into the next list of that kind',
      batches: [[
        { t: 'listPart', kind: 'Pod', objects: [obj('p1')] },
        { t: 'listed', kind: 'Pod', objects: [obj('p2')], at: 1 },
        { t: 'listed', kind: 'Pod', objects: [obj('p3')], at: 2 },
      ]],
      calls: ['listed Pod [p1,p2] at 1', 'listed Pod [p3] at 2'],
    },
  ];
  for (const c of cases) it(c.name, () => expect(replay(c.batches)).toEqual(c.calls));
});
