import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { decodeBody } from '../../src/history/bodyCodec.js';
import type { KubeObject } from '../../src/model/objects.js';
import { tempDir } from './builders.js';

const SECRETS = [
  'hunter2-secret-value', // env value
  'DB_PASSWORD', // env name
  'sk_live_cmd_51HxSecretToken', // command argument
  'creds-volume-secret-name', // secret volume
  'vault-token-s3cr3t-annotation', // arbitrary annotation value
  'example.com/vault-token', // arbitrary annotation key
  'registry.example/private-app', // image
];
/** Kept fields stored as plain columns (object identities), to show the file scan reads the data the writer stored. */
const KEPT = ['uid-listed', 'uid-watched'];
/** Kept fields found in the decoded version bodies. */
const KEPT_IN_BODIES = ['privacy-probe-label-7f3a', '10.77.0.9', '10.77.0.10'];

function secretPod(name: string, rv: string): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: {
      namespace: 'shop', name, uid: `uid-${name}`, resourceVersion: rv, creationTimestamp: '2026-11-26T08:00:00Z',
      labels: { app: 'privacy-probe-label-7f3a' },
      annotations: { 'example.com/vault-token': 'vault-token-s3cr3t-annotation', 'kubernetes.io/ingress.class': 'nginx' },
    },
    spec: {
      nodeName: 'node-a',
      containers: [{
        name: 'app', image: 'registry.example/private-app',
        command: ['/bin/app', '--api-key=sk_live_cmd_51HxSecretToken'],
        env: [{ name: 'DB_PASSWORD', value: 'hunter2-secret-value' }],
        volumeMounts: [{ name: 'creds', mountPath: '/creds' }],
        ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
      }],
      volumes: [{ name: 'creds', secret: { secretName: 'creds-volume-secret-name' } }],
    },
    status: { phase: 'Running', podIP: '10.77.0.9', conditions: [{ type: 'Ready', status: 'True' }] },
  } as unknown as KubeObject;
}

function fileText(file: string): string {
  return existsSync(file) ? readFileSync(file).toString('latin1') : '';
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('routetrace-privacy-');
});
afterEach(() => tmp.remove());

describe('privacy', () => {
  it('a Pod\'s env, command, image, volumes and arbitrary annotations never reach the database files', async () => {
    const file = path.join(tmp.dir, 'h.db');
    const w = await HistoryWriter.open({ file, cluster: 'c' });
    // Through every entry point: a list (client-node model instances) and watch events (raw JSON).
    const listItem = ObjectSerializer.deserialize(JSON.parse(JSON.stringify(secretPod('listed', '1'))), 'V1Pod', '') as KubeObject;
    w.listed('Pod', [listItem], new Date());
    w.event('Pod', 'ADDED', secretPod('watched', '2'), new Date());
    w.event('Pod', 'MODIFIED', { ...secretPod('watched', '3'), status: { phase: 'Running', podIP: '10.77.0.10' } } as KubeObject, new Date());
    await w.flush();

    // Version bodies are stored deflated: check their decoded text too.
    // A delta body decodes from the versions of its object since its keyframe (baseId).
    const rows = w.database.db.prepare('SELECT id, objectId, baseId, body FROM "ObjectVersion" ORDER BY id').all() as
      { id: number; objectId: number; baseId: number | null; body: Buffer }[];
    const chainOf = (r: (typeof rows)[number]) =>
      r.baseId === null ? null : rows.filter((x) => x.objectId === r.objectId && x.id >= r.baseId! && x.id < r.id).map((x) => x.body);
    const bodies = rows.map((r) => decodeBody(r.body, chainOf(r))).join('\n');
    expect(bodies).toContain('"containerPort":8080');
    expect(bodies).toContain('"kubernetes.io/ingress.class":"nginx"');
    for (const k of KEPT_IN_BODIES) expect(bodies, `kept value ${k}`).toContain(k);
    for (const s of SECRETS) expect(bodies, s).not.toContain(s);

    // Before checkpointing, the rows are in the -wal file; after close, in the main file.
    const whileOpen = fileText(file) + fileText(`${file}-wal`);
    for (const k of KEPT) expect(whileOpen, `kept value ${k}`).toContain(k);
    for (const s of SECRETS) expect(whileOpen, s).not.toContain(s);

    await w.close();
    const afterClose = fileText(file) + fileText(`${file}-wal`);
    for (const k of KEPT) expect(afterClose, `kept value ${k}`).toContain(k);
    for (const s of SECRETS) expect(afterClose, s).not.toContain(s);
  });
});
