// httpLoad: a closed-loop load generator over node:http keep-alive (no extra dependency): `clients`
// concurrent loops, each sending its next request as soon as the previous answer arrived, for `durationMs`
// (bounded also by `maxRequests`). A response counts as an error when it is not HTTP 200 or when a GraphQL
// body carries "errors". Latency is measured per request from write to the last byte.
import http from 'node:http';

export function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function post(agent, url, body) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('request timeout (30 s)')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * POSTs `makeBody(i)` (a JSON string) to `url` from `clients` concurrent loops.
 * Resolves { requests, errors, firstError, seconds, rps, p50, p90, p99, max } (ms).
 */
export async function runLoad({ url, makeBody, clients = 32, durationMs = 10_000, maxRequests = 1_000_000, warmup = 0 }) {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error(`refusing a non-loopback URL: ${url}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  try {
    for (let i = 0; i < warmup; i++) await post(agent, url, makeBody(i));
    const lat = [];
    let errors = 0;
    let firstError;
    let issued = 0;
    const start = performance.now();
    const end = start + durationMs;
    const loop = async () => {
      while (performance.now() < end && issued < maxRequests) {
        const i = issued++;
        const t = performance.now();
        try {
          const r = await post(agent, url, makeBody(i));
          lat.push(performance.now() - t);
          if (r.status !== 200 || r.text.startsWith('{"errors"') || r.text.includes('"errors":[')) {
            errors++;
            firstError ??= `HTTP ${r.status} ${r.text.slice(0, 300)}`;
          }
        } catch (err) {
          errors++;
          firstError ??= String(err);
        }
      }
    };
    await Promise.all(Array.from({ length: clients }, loop));
    const seconds = (performance.now() - start) / 1000;
    lat.sort((a, b) => a - b);
    const r3 = (x) => (x == null ? null : Math.round(x * 1000) / 1000);
    return {
      requests: lat.length,
      errors,
      firstError,
      seconds: r3(seconds),
      rps: Math.round(lat.length / seconds),
      p50: r3(percentile(lat, 50)),
      p90: r3(percentile(lat, 90)),
      p99: r3(percentile(lat, 99)),
      max: r3(lat[lat.length - 1]),
    };
  } finally {
    agent.destroy();
  }
}
