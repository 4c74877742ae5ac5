/**
 * bodyCodec: the byte encoding of ObjectVersion.body (the canonical JSON of a projection without its
 * identity fields, see storedBody.ts).
 *
 * A body is a keyframe (decodes alone) or a delta (decodes from the JSON of the object's previous version):
 *  - compact v1 (what the writer stores): byte 0x01, then the JSON deflated (raw deflate) with
 *    DICTIONARY_V1 as preset dictionary. The dictionary holds the keys and the values that repeat across
 *    objects, so a typical Pod body of ~850 bytes is stored in ~100-200 (its uids and names do not
 *    compress). Costs ~15 µs per new version on the write path (bench/history.mjs measures it).
 *  - plain: the UTF-8 JSON itself (first byte '{'), used when deflating would not shrink the body.
 *  - delta v2: byte 0x02, then varints p, s, m, then flags-dependent bytes: the version's JSON is the first
 *    p bytes of the previous version's JSON, a middle of m bytes, and the previous JSON's last s bytes. The
 *    middle follows raw (m bytes) when the byte after m is 0x00, or deflated (raw deflate) with the
 *    previous JSON as preset dictionary when it is 0x01. A readiness flip of one endpoint in a slice is
 *    ~10 bytes; a Pod replaced in a slice ~60 (its name, uid and IP), where a keyframe of a 10-endpoint
 *    slice is ~580. Costs ~2-5 µs to encode, ~1-5 µs to apply.
 * Which previous version a delta applies to is the store's business (ObjectVersion.baseId, the keyframe a
 * chain of deltas starts from: the chain is every version of the object from the keyframe on, by id).
 * decodeBody() reads a keyframe, or a delta given the stored bodies of its chain. DICTIONARY_V1 and the
 * delta layout are part of the stored format: never change them; add a new marker.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';

const PLAIN = 0x7b; // '{'
const COMPACT_V1 = 0x01;
const DELTA_V2 = 0x02;
/** A middle longer than this is deflated against the previous JSON (shorter ones rarely shrink). */
const DEFLATE_MIDDLE_OVER = 24;

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

/** The stored bytes of a keyframe body's JSON text: compact v1, or plain when that is not smaller (or `compress` is false). */
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

function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
}

/** The stored bytes of `json` (UTF-8) as a delta v2 from `previous` (the UTF-8 JSON of the object's previous version). */
export function encodeDelta(previous: Buffer, json: Buffer): Buffer {
  const n = Math.min(previous.length, json.length);
  let p = 0;
  while (p < n && previous[p] === json[p]) p++;
  let s = 0;
  while (s < n - p && previous[previous.length - 1 - s] === json[json.length - 1 - s]) s++;
  const middle = json.subarray(p, json.length - s);
  let payload: Buffer = middle;
  let flag = 0;
  if (middle.length > DEFLATE_MIDDLE_OVER) {
    const deflated = deflateRawSync(middle, { dictionary: previous });
    if (deflated.length < middle.length) {
      payload = deflated;
      flag = 1;
    }
  }
  const head: number[] = [DELTA_V2];
  writeVarint(head, p);
  writeVarint(head, s);
  writeVarint(head, middle.length);
  head.push(flag);
  const out = Buffer.allocUnsafe(head.length + payload.length);
  for (let i = 0; i < head.length; i++) out[i] = head[i]!;
  payload.copy(out, head.length);
  return out;
}

function applyDelta(previous: Buffer, delta: Buffer): Buffer {
  let at = 1;
  const varint = (): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = delta[at++];
      if (b === undefined) throw new Error('truncated delta body');
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  const p = varint();
  const s = varint();
  const m = varint();
  const flag = delta[at++];
  const payload = delta.subarray(at);
  const middle = flag === 1 ? inflateRawSync(payload, { dictionary: previous }) : payload;
  if (middle.length !== m || p + s > previous.length) throw new Error('corrupt delta body');
  return Buffer.concat([previous.subarray(0, p), middle, previous.subarray(previous.length - s)]);
}

const asBuffer = (b: Uint8Array): Buffer => (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function keyframe(buf: Buffer): Buffer {
  if (buf[0] === PLAIN) return buf;
  if (buf[0] === COMPACT_V1) return inflateRawSync(buf.subarray(1), { dictionary: DICTIONARY_V1 });
  if (buf[0] === DELTA_V2) throw new Error('delta body without the bodies it is a delta from');
  throw new Error(`unknown body encoding 0x${(buf[0] ?? 0).toString(16)}`);
}

/** True when a stored body is a delta (decodes only from the chain before it). */
export function isDelta(stored: Uint8Array | string): boolean {
  return typeof stored !== 'string' && stored[0] === DELTA_V2;
}

/**
 * The UTF-8 JSON of a stored body. `chain`: for a delta, the stored bodies of the versions it follows, the
 * keyframe first, oldest to newest; as a list, or as one text of their hex encodings joined by ','
 * (what the dialect's body queries select).
 */
export function decodeBodyBytes(stored: Uint8Array | string, chain?: readonly Uint8Array[] | string | null): Buffer {
  if (typeof stored === 'string') return Buffer.from(stored, 'utf8');
  const buf = asBuffer(stored);
  if (buf[0] !== DELTA_V2) return keyframe(buf);
  const links = typeof chain === 'string' ? chain.split(',').map((h) => Buffer.from(h, 'hex')) : (chain ?? []).map(asBuffer);
  if (links.length === 0) throw new Error('delta body without the bodies it is a delta from');
  let json = keyframe(links[0]!);
  for (let i = 1; i < links.length; i++) json = applyDelta(json, links[i]!);
  return applyDelta(json, buf);
}

/**
 * The UTF-8 JSON of a stored body given the decoded JSON of the version before it (same object, previous
 * id): a delta applies to `previous` directly, a keyframe decodes alone. For reading an object's
 * consecutive versions in order without rebuilding each one's chain from its keyframe.
 */
export function decodeBodyAfter(previous: Buffer, stored: Uint8Array | string): Buffer {
  if (typeof stored === 'string') return Buffer.from(stored, 'utf8');
  const buf = asBuffer(stored);
  return buf[0] === DELTA_V2 ? applyDelta(previous, buf) : keyframe(buf);
}

/** The JSON text of a stored body, whichever its encoding (see decodeBodyBytes for `chain`). */
export function decodeBody(stored: Uint8Array | string, chain?: readonly Uint8Array[] | string | null): string {
  if (typeof stored === 'string') return stored;
  return decodeBodyBytes(stored, chain).toString('utf8');
}
