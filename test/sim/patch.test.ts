/**
 * PATCH body formats: JSON merge patch, the strategic-merge-patch subset kubectl needs, and JSON patch.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/sim/ApiError.js';
import { jsonPatch, mergePatch, strategicMergePatch } from '../../src/sim/patch.js';

const svc = {
  metadata: { name: 's', labels: { a: '1', b: '2' } },
  spec: {
    selector: { app: 'x' },
    ports: [
      { name: 'http', port: 80, targetPort: 8080 },
      { name: 'admin', port: 81, targetPort: 9000 },
    ],
  },
};

const pod = {
  metadata: { name: 'p', finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'app', image: 'v1', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 8080, name: 'http' }] },
      { name: 'side', image: 's1' },
    ],
  },
};

describe('merge patch', () => {
  const cases: [string, unknown, unknown, unknown][] = [
    ['sets and removes keys', svc.metadata, { labels: { a: null, c: '3' } }, { name: 's', labels: { b: '2', c: '3' } }],
    ['replaces lists whole', { l: [1, 2] }, { l: [3] }, { l: [3] }],
    ['null at top removes the field', { x: 1, y: 2 }, { x: null }, { y: 2 }],
  ];
  for (const [name, target, patch, want] of cases) it(name, () => expect(mergePatch(target, patch)).toEqual(want));
});

describe('strategic merge patch', () => {
  it('merges Service ports by port number and keeps the others', () => {
    const out = strategicMergePatch(svc, { spec: { ports: [{ port: 80, targetPort: 'http' }] } }, 'Service') as typeof svc;
    expect(out.spec.ports).toEqual([
      { name: 'http', port: 80, targetPort: 'http' },
      { name: 'admin', port: 81, targetPort: 9000 },
    ]);
  });

  it('deletes list elements with $patch: delete and orders them with $setElementOrder', () => {
    const patch = {
      spec: {
        '$setElementOrder/ports': [{ port: 82 }, { port: 80 }],
        ports: [{ port: 82, name: 'new' }, { port: 81, $patch: 'delete' }],
      },
    };
    const out = strategicMergePatch(svc, patch, 'Service') as typeof svc;
    expect(out.spec.ports.map((p) => p.port)).toEqual([82, 80]);
  });

  it('merges containers by name, their env by name and ports by containerPort', () => {
    const out = strategicMergePatch(pod, { spec: { containers: [{ name: 'app', image: 'v2', env: [{ name: 'B', value: '2' }] }] } }, 'Pod') as typeof pod;
    expect(out.spec.containers).toEqual([
      { name: 'app', image: 'v2', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 8080, name: 'http' }] },
      { name: 'side', image: 's1' },
    ]);
  });

  it('replaces atomic lists (e.g. Ingress rules) and honours $patch: replace', () => {
    const ing = { spec: { rules: [{ host: 'a' }, { host: 'b' }] } };
    expect(strategicMergePatch(ing, { spec: { rules: [{ host: 'c' }] } }, 'Ingress')).toEqual({ spec: { rules: [{ host: 'c' }] } });
    expect(strategicMergePatch(svc, { spec: { $patch: 'replace', ports: [{ port: 1 }] } }, 'Service')).toEqual({ metadata: svc.metadata, spec: { ports: [{ port: 1 }] } });
  });

  it('unions finalizers and removes entries listed in $deleteFromPrimitiveList', () => {
    const out = strategicMergePatch(pod, { metadata: { finalizers: ['b'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'Pod') as typeof pod;
    expect(out.metadata.finalizers).toEqual(['b']);
  });

  it('never leaves $-directives in the result', () => {
    const out = strategicMergePatch(svc, { metadata: { $retainKeys: ['x'] }, spec: { ports: [{ port: 90, $patch: 'merge' }] } }, 'Service');
    expect(JSON.stringify(out)).not.toContain('$');
  });
});

describe('JSON patch', () => {
  it('applies add, replace, remove, move, copy and test', () => {
    const out = jsonPatch(svc, [
      { op: 'add', path: '/metadata/labels/c', value: '3' },
      { op: 'replace', path: '/spec/ports/0/port', value: 8080 },
      { op: 'remove', path: '/spec/ports/1' },
      { op: 'copy', from: '/metadata/labels/a', path: '/metadata/labels/d' },
      { op: 'move', from: '/metadata/labels/b', path: '/metadata/labels/e' },
      { op: 'test', path: '/spec/selector/app', value: 'x' },
      { op: 'add', path: '/spec/ports/-', value: { port: 1 } },
    ]);
    expect(out).toEqual({
      metadata: { name: 's', labels: { a: '1', c: '3', d: '1', e: '2' } },
      spec: { selector: { app: 'x' }, ports: [{ name: 'http', port: 8080, targetPort: 8080 }, { port: 1 }] },
    });
    expect(svc.spec.ports).toHaveLength(2); // input untouched
  });

  it('fails a test op or a missing path with 422', () => {
    for (const ops of [[{ op: 'test', path: '/spec/selector/app', value: 'y' }], [{ op: 'remove', path: '/nope/x' }]]) {
      try {
        jsonPatch(svc, ops);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).code).toBe(422);
      }
    }
  });
});
