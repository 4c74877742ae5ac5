// churnLag: ingest lag of a running serve under simulator churn, at one churn rate.
//
// Lag of a change = the moment its Pod version is visible in the history database − the simulator's change
// time (`at` of GET /_sim/changes; same machine, same clock). Visibility is read every 50 ms from the
// database (read-only connection, WAL) as a watermark: the resourceVersion of the newest stored Pod
// version. The simulator's resourceVersion is global and increasing, Pod events are delivered and written
// in order, so a Pod change at rv R is stored once the watermark reaches R. Only Pod changes are timed
// (every churn action changes Pods; Endpoints/EndpointSlices follow from them); all change records count
// towards the event rate. Churn keeps running for a tail after the measured window so the last measured
// changes are followed by newer versions; a change not visible `drainMs` after the window counts as lost
// (infinite lag).
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { request, sleep } from './children.mjs';
import { percentile } from './httpLoad.mjs';

/** CPU seconds (user + system) a process has used so far, from /proc/PID/stat; null when unavailable. */
function cpuSeconds(pid) {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}

export async function currentRv(simUrl) {
  const r = await request(`${simUrl}/_sim/state`);
  return Number(JSON.parse(r.text).resourceVersion);
}

/** Measures one rate; resolves {rateSteps, events, eventsPerSec, podChanges, p50Ms, p99Ms, maxMs, lost}. */
export async function measureChurnRate({ simUrl, dbFile, rate, windowMs, tailMs = 2000, drainMs = 10_000, pids = {} }) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  const watermarkStmt = db.prepare(`SELECT v."resourceVersion" FROM "ObjectVersion" v JOIN "KubeObject" o ON o.id = v."objectId" WHERE o.kind = 'Pod' ORDER BY v.id DESC LIMIT 1`).pluck();
  const marks = []; // [wall ms, watermark rv]
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const w = Number(watermarkStmt.get() ?? 0);
      marks.push([Date.now(), w]);
      await sleep(50);
    }
  })();
  const changes = [];
  let sinceRv = await currentRv(simUrl);
  const pullChanges = async () => {
    const r = await request(`${simUrl}/_sim/changes?sinceRv=${sinceRv}`, { timeoutMs: 30_000 });
    if (r.status !== 200) throw new Error(`/_sim/changes: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    for (const c of JSON.parse(r.text)) {
      changes.push({ rv: c.rv, kind: c.kind, type: c.type, at: Date.parse(c.at) });
      sinceRv = Math.max(sinceRv, c.rv);
    }
  };
  try {
    const r = await request(`${simUrl}/_sim/churn?rate=${rate}`, { method: 'POST' });
    if (r.status !== 200) throw new Error(`/_sim/churn: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    const start = Date.now();
    const windowEnd = start + windowMs;
    const cpu0 = Object.fromEntries(Object.entries(pids).map(([n, pid]) => [n, cpuSeconds(pid)]));
    let cpuShare;
    while (Date.now() < windowEnd + tailMs) {
      await sleep(500);
      await pullChanges();
      if (cpuShare === undefined && Date.now() >= windowEnd) {
        // share of one core each process used during the window (2.0 = both cores of a 2-core machine)
        const secs = (Date.now() - start) / 1000;
        cpuShare = Object.fromEntries(Object.entries(pids).map(([n, pid]) => {
          const c = cpuSeconds(pid);
          return [n, c === null || cpu0[n] === null ? null : Math.round(((c - cpu0[n]) / secs) * 100) / 100];
        }));
      }
    }
    await request(`${simUrl}/_sim/churn?rate=0`, { method: 'POST' });
    await pullChanges();
    const measured = changes.filter((c) => c.at >= start && c.at < windowEnd);
    const pods = measured.filter((c) => c.kind === 'Pod' && c.type !== 'DELETED');
    const lastRv = pods.length ? pods[pods.length - 1].rv : 0;
    const drainEnd = Date.now() + drainMs;
    while (Date.now() < drainEnd && (marks.at(-1)?.[1] ?? 0) < lastRv) await sleep(100);
    polling = false;
    await poller;
    const lags = [];
    let lost = 0;
    let m = 0;
    for (const c of pods) {
      while (m < marks.length && marks[m][1] < c.rv) m++;
      if (m >= marks.length) {
        lost++;
        lags.push(Infinity);
      } else lags.push(Math.max(0, marks[m][0] - c.at));
    }
    lags.sort((a, b) => a - b);
    const r1 = (x) => (x == null ? null : Number.isFinite(x) ? Math.round(x) : x);
    return {
      rateSteps: rate,
      events: measured.length,
      eventsPerSec: Math.round(measured.length / (windowMs / 1000)),
      podChanges: pods.length,
      p50Ms: r1(percentile(lags, 50)),
      p99Ms: r1(percentile(lags, 99)),
      maxMs: r1(lags.at(-1)),
      lost,
      cpuCores: cpuShare ?? null,
    };
  } finally {
    polling = false;
    await poller.catch(() => {});
    await request(`${simUrl}/_sim/churn?rate=0`, { method: 'POST' }).catch(() => {});
    db.close();
  }
}
