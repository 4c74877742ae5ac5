/**
 * bodyCodec: the byte encoding of ObjectVersion.body (the canonical JSON of a projection without its
 * identity fields, see storedBody.ts).
 *
 *  - compact v1 (what the writer stores): byte 0x01, then the JSON deflated (raw deflate) with
 *    DICTIONARY_V1 as preset dictionary. The dictionary holds the keys and the values that repeat across
 *    objects, so a typical Pod body of ~850 bytes is stored in ~100-200 (its uids and names do not
 *    compress). Costs ~15 µs per new version on the write path (bench/history.mjs measures it).
 *  - plain: the UTF-8 JSON itself (first byte '{'), used when deflating would not shrink the body.
 * decodeBody() reads both. DICTIONARY_V1 is part of the stored format: never change it; add a v2 marker.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const PLAIN = 0x7b; // '{'
const COMPACT_V1 = 0x01;

/** Typical bodies of each kind (synthetic values), most frequent kind last (nearest is cheapest). */
const DICTIONARY_V1 = Buffer.from(
  [
    '{"metadata":{"annotations":{"kubernetes.io/ingress.class":"nginx"},"creationTimestamp":"2026-01-01T00:00:00Z"},"spec":{"defaultBackend":{"service":{"name":"default-http-backend","port":{"number":80}}},"ingressClassName":"nginx","rules":[{"host":"app.example.com","http":{"paths":[{"backend":{"service":{"name":"web","port":{"name":"http"}}},"path":"/api","pathType":"Prefix"},{"backend":{"service":{"name":"web","port":{"number":80}}},"path":"/","pathType":"ImplementationSpecific"}]}}],"tls":[{"hosts":["app.example.com"],"secretName":"app-tls"}]},"status":{"loadBalancer":{"ingress":[{"ip":"203.0.113.10"}]}}}',
    '{"metadata":{"creationTimestamp":"2026-01-01T00:00:00Z","labels":{"app":"web","app.kubernetes.io/name":"web","app.kubernetes.io/instance":"web","app.kubernetes.io/component":"backend"}},"spec":{"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"externalTrafficPolicy":"Cluster","internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","ports":[{"appProtocol":"http","name":"http","nodePort":30080,"port":80,"protocol":"TCP","targetPort":"http"},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}],"selector":{"app":"web"},"sessionAffinity":"None","type":"ClusterIP"},"status":{"loadBalancer":{}}}',
    '{"subsets":[{"addresses":[{"ip":"10.244.1.10","nodeName":"node-1","targetRef":{"kind":"Pod","name":"web-0","namespace":"default","uid":"00000000-0000-0000-0000-000000000000"}}],"notReadyAddresses":[{"ip":"10.244.2.11","nodeName":"node-2"}],"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}]}',
    '{"addressType":"IPv4","endpoints":[{"addresses":["10.244.1.10"],"conditions":{"ready":true,"serving":true,"terminating":false},"nodeName":"node-1","targetRef":{"kind":"Pod","name":"web-5d8f7c9b6d-x2x4z","namespace":"default","uid":"00000000-0000-0000-0000-000000000000"},"zone":"zone-a"},{"addresses":["10.244.2.11"],"conditions":{"ready":false,"serving":false,"terminating":true},"nodeName":"node-2","targetRef":{"kind":"Pod","name":"web-5d8f7c9b6d-b7k2p","namespace":"default","uid":"00000000-0000-0000-0000-000000000000"},"zone":"zone-b"}],"metadata":{"creationTimestamp":"2026-01-01T00:00:00Z","labels":{"endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io","kubernetes.io/service-name":"web"},"ownerReferences":[{"apiVersion":"v1","controller":true,"kind":"Service","name":"web","uid":"00000000-0000-0000-0000-000000000000"}]},"ports":[{"name":"http","port":8080,"protocol":"TCP"}]}',
    '{"metadata":{"creationTimestamp":"2026-01-01T00:00:00Z","deletionTimestamp":"2026-01-01T00:00:00Z","labels":{"app":"web","app.kubernetes.io/name":"web","pod-template-hash":"5d8f7c9b6d","controller-revision-hash":"web-5d8f7c9b6d","statefulset.kubernetes.io/pod-name":"web-0"},"ownerReferences":[{"apiVersion":"apps/v1","controller":true,"kind":"ReplicaSet","name":"web-5d8f7c9b6d","uid":"00000000-0000-0000-0000-000000000000"}]},"spec":{"containers":[{"name":"app","ports":[{"containerPort":8080,"name":"http","protocol":"TCP"},{"containerPort":9090,"name":"metrics","protocol":"TCP"}]}],"hostname":"web-0","initContainers":[{"name":"init","restartPolicy":"Always"}],"nodeName":"node-1","subdomain":"web"},"status":{"conditions":[{"lastTransitionTime":"2026-01-01T00:00:00Z","status":"False","type":"PodReadyToStartContainers"},{"lastTransitionTime":"2026-01-01T00:00:00Z","status":"True","type":"Initialized"},{"lastTransitionTime":"2026-01-01T00:00:00Z","status":"True","type":"Ready"},{"lastTransitionTime":"2026-01-01T00:00:00Z","status":"True","type":"ContainersReady"},{"lastTransitionTime":"2026-01-01T00:00:00Z","status":"True","type":"PodScheduled"}],"hostIP":"192.168.1.2","hostIPs":[{"ip":"192.168.1.2"}],"phase":"Running","podIP":"10.244.1.10","podIPs":[{"ip":"10.244.1.10"}]}}',
  ].join(''),
  'utf8',
);

/** The stored bytes of a body's JSON text: compact v1, or plain when that is not smaller (or `compress` is false). */
export function encodeBody(json: string, compress = true): Buffer {
  const plain = Buffer.from(json, 'utf8');
  if (!compress) return plain;
  const deflated = deflateRawSync(plain, { dictionary: DICTIONARY_V1 });
  if (deflated.length + 1 >= plain.length) return plain;
  const out = Buffer.allocUnsafe(deflated.length + 1);
  out[0] = COMPACT_V1;
  deflated.copy(out, 1);
  return out;
}

/** The JSON text of a stored body, whichever its encoding. */
export function decodeBody(stored: Uint8Array | string): string {
  if (typeof stored === 'string') return stored;
  const buf = Buffer.isBuffer(stored) ? stored : Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength);
  if (buf[0] === PLAIN) return buf.toString('utf8');
  if (buf[0] === COMPACT_V1) return inflateRawSync(buf.subarray(1), { dictionary: DICTIONARY_V1 }).toString('utf8');
  throw new Error(`unknown body encoding 0x${(buf[0] ?? 0).toString(16)}`);
}
