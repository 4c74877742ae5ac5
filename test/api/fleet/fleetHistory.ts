/**
 * fleetHistory: three clusters written into one real history file through the real HistoryWriter (one
 * writer per cluster, as one serve per cluster would), built from the query fixtures' objects.
 *
 *   eu-1  every kind listed at T0: shop.example.com → my-app-service → v1 Pods 10.0.1.1-3 (ready); at +60 s
 *         the slice marks them not ready (the failover); an EndpointSlice watch gap +42 s .. +44 s.
 *   eu-2  every kind listed at T0: the same host and Service → v2 Pods 10.0.2.1-3 (ready).
 *   us-1  only Services (the CKA Service in kube-public) and Pods (none) listed: not synced, no Ingress.
 */
import { HistoryWriter } from '../../../src/history/HistoryWriter.js';
import type { KubeObject } from '../../../src/model/objects.js';
import { GATEWAY_KINDS } from '../../../src/model/objects.js';
import { at, ckaService, ingress, ingressClass, myAppService, mySlice, pod, V1, V2 } from '../../queries/fixtures.js';

export const CLUSTERS = ['eu-1', 'eu-2', 'us-1'] as const;
export const HOST = 'shop.example.com';

async function write(file: string, cluster: string, steps: (w: HistoryWriter) => void): Promise<void> {
  const w = await HistoryWriter.open({ file, cluster, batchMs: 5 });
  try {
    steps(w);
    await w.flush();
  } finally {
    await w.close();
  }
}

function listApp(w: HistoryWriter, pods: readonly { name: string; ip: string }[], slice: KubeObject): void {
  w.listed('Service', [myAppService()], at(0));
  w.listed('Endpoints', [], at(0));
  w.listed('EndpointSlice', [slice], at(0));
  w.listed('Pod', pods.map((p) => pod(p.name, p.ip, '11')), at(0));
  w.listed('Ingress', [ingress()], at(0));
  w.listed('IngressClass', [ingressClass()], at(0));
  for (const kind of ['Node', ...GATEWAY_KINDS] as const) w.listed(kind, [], at(0));
}

/** Writes the three clusters into `file` (created when missing). */
export async function writeFleetHistory(file: string): Promise<void> {
  await write(file, 'eu-1', (w) => {
    listApp(w, V1, mySlice('10', V1.map((p) => ({ ip: p.ip, pod: p.name }))));
    w.gap('EndpointSlice', at(42), at(44), 'watch stream lost');
    w.event('EndpointSlice', 'MODIFIED', mySlice('70', V1.map((p) => ({ ip: p.ip, pod: p.name, ready: false }))), at(60));
  });
  await write(file, 'eu-2', (w) => listApp(w, V2, mySlice('10', V2.map((p) => ({ ip: p.ip, pod: p.name })))));
  await write(file, 'us-1', (w) => {
    w.listed('Service', [ckaService()], at(0));
    w.listed('Pod', [], at(0));
  });
}

/** Writes one cluster (`solo`), as every history was before fleets. */
export async function writeSoloHistory(file: string): Promise<void> {
  await write(file, 'solo', (w) => listApp(w, V2, mySlice('10', V2.map((p) => ({ ip: p.ip, pod: p.name })))));
}
