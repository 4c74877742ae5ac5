// peer: what users do today to answer one route question, timed end to end as one shell script:
// `kubectl --server URL get --raw` of Ingresses, Services, EndpointSlices and Pods (all namespaces) into
// files, then one `jq` program answering host → Ingress rule → Service → ready endpoint IPs (and their
// Pods). Throws "skipped: ..." when kubectl or jq is missing.
import { execFileSync, spawnSync } from 'node:child_process';

const JQ = `
  first($ing[0].items[] | select(any(.spec.rules[]?; .host == $host))) as $i
  | first($i.spec.rules[] | select(.host == $host) | .http.paths[] | . as $e | select($path | startswith($e.path))) as $p
  | first($svc[0].items[] | select(.metadata.namespace == $i.metadata.namespace and .metadata.name == $p.backend.service.name)) as $s
  | [$eps[0].items[] | select(.metadata.namespace == $s.metadata.namespace and .metadata.labels["kubernetes.io/service-name"] == $s.metadata.name)
     | .endpoints[]? | select(.conditions.ready == true) | .addresses[]] as $ips
  | { ingress: "\\($i.metadata.namespace)/\\($i.metadata.name)", service: $s.metadata.name, ips: ($ips | sort),
      pods: [$pods[0].items[] | select(.metadata.namespace == $s.metadata.namespace and (.status.podIP as $ip | $ips | index($ip))) | .metadata.name] }`;

const SCRIPT = `set -euo pipefail
cd "$DIR"
kubectl --server "$SERVER" get --raw /apis/networking.k8s.io/v1/ingresses > ing.json
kubectl --server "$SERVER" get --raw /api/v1/services > svc.json
kubectl --server "$SERVER" get --raw /apis/discovery.k8s.io/v1/endpointslices > eps.json
kubectl --server "$SERVER" get --raw /api/v1/pods > pods.json
jq -n -c --arg host "$HOST" --arg path "$URLPATH" --slurpfile ing ing.json --slurpfile svc svc.json --slurpfile eps eps.json --slurpfile pods pods.json "$PROGRAM"
`;

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Returns {seconds, answer}. */
export function peerRoute({ server, host, path = '/', dir, timeoutMs = 600_000 }) {
  if (new URL(server).hostname !== '127.0.0.1') throw new Error(`refusing a non-loopback server: ${server}`);
  for (const cmd of ['kubectl', 'jq', 'bash']) if (!has(cmd)) throw new Error(`skipped: ${cmd} is not installed`);
  const t0 = performance.now();
  let out;
  try {
    out = execFileSync('bash', ['-c', SCRIPT], {
      env: { ...process.env, DIR: dir, SERVER: server, HOST: host, URLPATH: path, PROGRAM: JQ, KUBECONFIG: '/dev/null' },
      maxBuffer: 1 << 26,
      timeout: timeoutMs,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString('utf8').trim();
  } catch (err) {
    throw new Error(`kubectl/jq script failed (${err.status ?? err.signal ?? err.code}): ${String(err.stderr ?? err.message).trim().slice(-400)}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, answer: out ? JSON.parse(out) : null };
}
