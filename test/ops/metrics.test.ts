/**
 * Metrics end to end on real parts: a HistoryWriter on a SQLite file in a temp dir behind the metered
 * store, HTTP requests through the metrics filter on a real server, and the text exposition parsed back.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryWriter } from '../../src/history/HistoryWriter.js';
import { historyState } from '../../src/ops/historyState.js';
import { httpMetricsFilter } from '../../src/ops/httpMetricsFilter.js';
import { meteredStore } from '../../src/ops/meteredStore.js';
import { Metrics } from '../../src/ops/Metrics.js';
import { routeGroup } from '../../src/ops/routeGroup.js';
import { bearerAuth } from '../../src/ops/bearerAuth.js';
import { at, pod, service, tempDir } from '../history/builders.js';
import { filterServer } from './filterServer.js';
import { parsePromText, sampleValue, type Sample } from './promText.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir('rt-metrics-');
});
afterEach(() => tmp.remove());

async function scrape(m: Metrics): Promise<Sample[]> {
  return parsePromText(await m.text());
}

describe('Metrics', () => {
  it('names every metric routetrace_ and exposes parseable text', async () => {
    const m = new Metrics();
    const text = await m.text();
    const names = [...text.matchAll(/^# TYPE (\S+) /gm)].map((x) => x[1]!);
    expect(names.length).toBeGreaterThan(15);
    for (const n of names) expect(n).toMatch(/^routetrace_/);
    expect(names).toEqual(expect.arrayContaining(['routetrace_process_cpu_seconds_total', 'routetrace_http_request_duration_seconds', 'routetrace_db_size_bytes']));
    expect(m.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('counts what reaches the history store and reads versions, gaps and size from the database', async () => {
    const file = join(tmp.dir, 'h.db');
    const writer = await HistoryWriter.open({ file, cluster: 'test', batchMs: 10_000 });
    const m = new Metrics({ processMetrics: false });
    m.observeHistory(historyState(writer.database, () => writer.pendingReports));
    const store = meteredStore(writer, m);
    try {
      store.listed('Service', [service('default', 'a', '1'), service('default', 'b', '2')], at(0));
      const observed = at(2_500);
      const created = { ...pod('default', 'p', '3'), metadata: { ...pod('default', 'p', '3').metadata, creationTimestamp: at(0).toISOString() } };
      store.event('Pod', 'ADDED', created as never, observed);
      store.event('Service', 'MODIFIED', service('default', 'a', '4', { spec: { type: 'ClusterIP', clusterIP: '10.96.0.11', ports: [] } } as never), at(3_000));
      store.event('Service', 'DELETED', service('default', 'b', '5'), at(4_000));
      store.gap('Pod', at(5_000), at(6_000), 'stream lost');

      let s = await scrape(m);
      expect(sampleValue(s, 'routetrace_watch_lists_received_total', { kind: 'Service' })).toBe(1);
      expect(sampleValue(s, 'routetrace_watch_list_objects_received_total', { kind: 'Service' })).toBe(2);
      expect(sampleValue(s, 'routetrace_watch_events_received_total', { kind: 'Pod', type: 'ADDED' })).toBe(1);
      expect(sampleValue(s, 'routetrace_watch_events_received_total', { kind: 'Service', type: 'MODIFIED' })).toBe(1);
      expect(sampleValue(s, 'routetrace_watch_events_received_total', { kind: 'Service', type: 'DELETED' })).toBe(1);
      expect(sampleValue(s, 'routetrace_watch_gaps_total', { kind: 'Pod' })).toBe(1);
      // the ADDED Pod was created 2.5 s before it was observed
      expect(sampleValue(s, 'routetrace_ingest_lag_seconds_sum', { kind: 'Pod' })).toBeCloseTo(2.5, 6);
      expect(sampleValue(s, 'routetrace_ingest_lag_seconds_bucket', { kind: 'Pod', le: '2' })).toBe(0);
      expect(sampleValue(s, 'routetrace_ingest_lag_seconds_bucket', { kind: 'Pod', le: '5' })).toBe(1);
      // nothing committed yet (batchMs is long): pending, no versions, nothing confirmed durable
      expect(sampleValue(s, 'routetrace_history_pending_reports')).toBe(6);
      expect(sampleValue(s, 'routetrace_history_versions_written_total')).toBe(0);
      expect(sampleValue(s, 'routetrace_ingest_durable_seconds_count')).toBe(0);

      await store.flush();
      s = await scrape(m);
      expect(sampleValue(s, 'routetrace_history_pending_reports')).toBe(0);
      // versions: a, b (list), p (ADDED), a again (MODIFIED); the DELETED closes b's version
      expect(sampleValue(s, 'routetrace_history_versions_written_total')).toBe(4);
      expect(sampleValue(s, 'routetrace_history_gaps_recorded_total')).toBeGreaterThanOrEqual(1);
      expect(sampleValue(s, 'routetrace_ingest_durable_seconds_count')).toBe(5);
      const size = statSync(file).size + statSync(`${file}-wal`).size;
      expect(sampleValue(s, 'routetrace_db_size_bytes')).toBe(size);
      expect(size).toBeGreaterThan(0);
    } finally {
      await store.close();
    }
    // once closed, the history figures read as zero instead of touching a closed connection
    expect(sampleValue(await scrape(m), 'routetrace_db_size_bytes')).toBe(0);
  });

  it('counts versions written by this process only (a reopened file starts from zero)', async () => {
    const file = join(tmp.dir, 'h.db');
    const first = await HistoryWriter.open({ file, cluster: 'test' });
    first.listed('Service', [service('default', 'a', '1')], at(0));
    await first.close();
    const writer = await HistoryWriter.open({ file, cluster: 'test' });
    const m = new Metrics({ processMetrics: false });
    m.observeHistory(historyState(writer.database, () => writer.pendingReports));
    try {
      expect(sampleValue(await scrape(m), 'routetrace_history_versions_written_total')).toBe(0);
      writer.event('Service', 'ADDED', service('default', 'c', '7'), at(10));
      await writer.flush();
      expect(sampleValue(await scrape(m), 'routetrace_history_versions_written_total')).toBe(1);
    } finally {
      await writer.close();
    }
  });

  it('keeps reports waiting for confirmation when a flush fails, and counts nothing the store refused', async () => {
    const m = new Metrics({ processMetrics: false });
    let fail = true;
    let refuse = false;
    const inner = {
      event() {
        if (refuse) throw new Error('closed');
      },
      listed() {},
      gap() {},
      flush: () => (fail ? Promise.reject(new Error('disk full')) : Promise.resolve()),
      close: () => Promise.resolve(),
    };
    const store = meteredStore(inner, m);
    store.event('Pod', 'MODIFIED', pod('default', 'p', '1'), at(0));
    await expect(store.flush()).rejects.toThrow('disk full');
    expect(sampleValue(await scrape(m), 'routetrace_ingest_durable_seconds_count')).toBe(0);
    fail = false;
    await store.flush();
    expect(sampleValue(await scrape(m), 'routetrace_ingest_durable_seconds_count')).toBe(1);
    refuse = true;
    expect(() => store.event('Pod', 'MODIFIED', pod('default', 'p', '2'), at(1))).toThrow('closed');
    expect(sampleValue(await scrape(m), 'routetrace_watch_events_received_total', { kind: 'Pod', type: 'MODIFIED' })).toBe(1);
  });

  it('reads restarts, relists, per-kind sync and readiness from the watchers at scrape time', async () => {
    const m = new Metrics({ processMetrics: false });
    let state = {
      ready: false,
      kinds: {
        Pod: { state: 'synced', streams: [{ restarts: 2, relists: 1 }, { restarts: 1, relists: 0 }] },
        Service: { state: 'listing', streams: [{ restarts: 0, relists: 0 }] },
      },
    };
    m.observeWatchers(() => state);
    let s = await scrape(m);
    expect(sampleValue(s, 'routetrace_watch_restarts_total', { kind: 'Pod' })).toBe(3);
    expect(sampleValue(s, 'routetrace_watch_relists_total', { kind: 'Pod' })).toBe(1);
    expect(sampleValue(s, 'routetrace_kind_synced', { kind: 'Pod' })).toBe(1);
    expect(sampleValue(s, 'routetrace_kind_synced', { kind: 'Service' })).toBe(0);
    expect(sampleValue(s, 'routetrace_ready')).toBe(0);
    state = { ready: true, kinds: { ...state.kinds, Pod: { state: 'synced', streams: [{ restarts: 5, relists: 2 }, { restarts: 1, relists: 0 }] } } };
    s = await scrape(m);
    expect(sampleValue(s, 'routetrace_watch_restarts_total', { kind: 'Pod' })).toBe(6);
    expect(sampleValue(s, 'routetrace_ready')).toBe(1);
  });

  it('times HTTP requests per route group and status, including answers given by access control', async () => {
    const m = new Metrics({ processMetrics: false });
    const server = await filterServer([httpMetricsFilter(m), bearerAuth('metrics-test-token-01234')]);
    const auth = { authorization: 'Bearer metrics-test-token-01234' };
    try {
      await fetch(`${server.url}/graphql`, { headers: auth });
      await fetch(`${server.url}/graphql`, { headers: auth });
      await fetch(`${server.url}/api/v1/routes`, { headers: auth });
      await fetch(`${server.url}/grafana/query`, { headers: auth });
      await fetch(`${server.url}/api/v1/routes`);
      await fetch(`${server.url}/healthz`);
      const s = await scrape(m);
      expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'graphql', code: '200' })).toBe(2);
      expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'api', code: '200' })).toBe(1);
      expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'api', code: '401' })).toBe(1);
      expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'grafana', code: '200' })).toBe(1);
      expect(sampleValue(s, 'routetrace_http_request_duration_seconds_count', { group: 'health', code: '200' })).toBe(1);
      expect(sampleValue(s, 'routetrace_http_request_duration_seconds_sum', { group: 'graphql', code: '200' })).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });

  const groups: [string, string][] = [
    ['/graphql', 'graphql'],
    ['/graphql/x', 'graphql'],
    ['/graphqlx', 'other'],
    ['/api/v1/routes', 'api'],
    ['/apis', 'other'],
    ['/grafana', 'grafana'],
    ['/grafana/search', 'grafana'],
    ['/ui', 'ui'],
    ['/ui/assets/index-abc.js', 'ui'],
    ['/uix', 'other'],
    ['/healthz', 'health'],
    ['/readyz', 'health'],
    ['/metrics', 'metrics'],
    ['/', 'other'],
  ];
  for (const [path, group] of groups) it(`puts ${path} in route group ${group}`, () => expect(routeGroup(path)).toBe(group));
});
