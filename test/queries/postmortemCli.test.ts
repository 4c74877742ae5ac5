/**
 * The postmortem CLI on a database file, through the compiled command (`npm run build` first):
 * `routetrace import` stores kubectl dumps as snapshots; `routetrace timeline` lists the changes.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/runCli.js';
import { describeBackends } from '../helpers/backends.js';
import { historyLocation } from '../../src/history/historyLocation.js';
import { at, ckaService, ckaSlice, myAppService, mySlice, pod, recordStory, tempDir, V1, V2 } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let storyDb: string;

beforeAll(async () => {
  tmp = tempDir();
  storyDb = path.join(tmp.dir, 'story.db');
  const { writer } = await recordStory(storyDb);
  await writer.close();
});
afterAll(() => tmp?.remove());

const list = (items: unknown[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items });

describeBackends('routetrace timeline --db FILE / --database URL', (backend) => {
  it('prints the endpoint changes of a Service in order (--json)', async () => {
    const spec = backend.spec(tmp.dir, 'story-again.db');
    const { writer } = await recordStory(historyLocation(spec));
    await writer.close();
    const flag = backend.name === 'sqlite' ? '--db' : '--database';
    const r = await runCli(['timeline', flag, spec, '--service', 'default/my-app-service', '--from', at(0).toISOString(), '--to', String(at(60).getTime()), '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.events.map((e: { type: string; endpoint: { address: string } | null }) => `${e.type}${e.endpoint ? ` ${e.endpoint.address}` : ''}`)).toEqual([
      'ENDPOINT_ADDED 10.0.2.1', 'ENDPOINT_READY 10.0.2.1', 'ENDPOINT_TERMINATING 10.0.1.1', 'ENDPOINT_ADDED 10.0.2.2', 'ENDPOINT_ADDED 10.0.2.3',
      'ENDPOINT_REMOVED 10.0.1.1', 'ENDPOINT_REMOVED 10.0.1.2', 'ENDPOINT_REMOVED 10.0.1.3', 'WATCH_GAP',
    ]);
  });
});

describe('routetrace timeline', () => {

  it('prints one line per event for people', async () => {
    const r = await runCli(['timeline', '--db', storyDb, '--service', 'default/my-app-service', '--port', 'http', '--from', at(15).toISOString(), '--to', at(25).toISOString()]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toContain('default/my-app-service');
    expect(lines[0]).toContain('2 event(s)');
    expect(lines[1]).toMatch(/^2026-11-26T08:00:20\.000Z {2}ENDPOINT_READY +endpoint 10\.0\.2\.1:8080 \(http\) \(Pod default\/my-app-v2-a\).* became ready {2}\[changed 2026-11-26T08:00:18\.000Z\]$/);
  });

  const bad = [
    { name: 'no --db', args: ['--service', 'default/x'], code: 2 },
    { name: 'both --db and --database', args: ['--db', 'x.db', '--database', 'postgresql://h/db', '--service', 'a/b'], code: 2 },
    { name: 'a --database that is not a PostgreSQL URL', args: ['--database', 'x.db', '--service', 'a/b'], code: 2 },
    { name: 'both --service and --host', args: ['--db', 'x.db', '--service', 'a/b', '--host', 'h'], code: 2 },
    { name: 'a bad --from', args: ['--db', 'x.db', '--service', 'a/b', '--from', 'last tuesday'], code: 2 },
    { name: 'a missing database file', args: ['--db', '/nonexistent/x.db', '--service', 'a/b'], code: 1 },
  ];
  for (const b of bad) {
    it(`exits ${b.code} with one line: ${b.name}`, async () => {
      const r = await runCli(['timeline', ...b.args]);
      expect(r.code).toBe(b.code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('routetrace import', () => {
  it('stores dumps as snapshots at their times; the timeline then shows the change between them', async () => {
    const db = path.join(tmp.dir, 'import.db');
    const d1 = path.join(tmp.dir, 'dump1.json');
    const d2 = path.join(tmp.dir, 'dump2.json');
    writeFileSync(d1, list([ckaService(), myAppService(), ...V1.map((p) => pod(p.name, p.ip, '5')), mySlice('6', V1.map((p) => ({ ip: p.ip, pod: p.name })))]));
    writeFileSync(d2, list([ckaService(), myAppService(), ...V1.map((p) => pod(p.name, p.ip, '5')), mySlice('6', V1.map((p) => ({ ip: p.ip, pod: p.name }))), ckaSlice('7')]));
    const r1 = await runCli(['import', '--db', db, '--objects', d1, '--at', at(0).toISOString(), '--cluster', 'incident']);
    expect(r1.stderr).toBe('');
    expect(r1.code).toBe(0);
    expect(r1.stdout).toContain("stored 2 Service, 1 EndpointSlice, 3 Pod as cluster 'incident' at 2026-11-26T08:00:00.000Z");
    const r2 = await runCli(['import', '--db', db, '--objects', d2, '--at', String(at(50).getTime()), '--cluster', 'incident']);
    expect(r2.code).toBe(0);
    const tl = await runCli(['timeline', '--db', db, '--service', 'kube-public/external-webserver-cka03-svcn', '--from', at(1).toISOString(), '--to', at(60).toISOString(), '--json']);
    expect(tl.code).toBe(0);
    const events = JSON.parse(tl.stdout).events;
    expect(events.map((e: { type: string; observedTime: string }) => `${e.type} ${e.observedTime}`)).toContain(`ENDPOINT_ADDED ${at(50).toISOString()}`);
    expect(events.find((e: { type: string }) => e.type === 'ENDPOINT_ADDED').endpoint).toMatchObject({ address: '192.168.141.31', port: 9999 });
  });

  it('refuses a dump older than the history already stored, and says why', async () => {
    const db = path.join(tmp.dir, 'order.db');
    const d = path.join(tmp.dir, 'dump.json');
    writeFileSync(d, list([ckaService()]));
    expect((await runCli(['import', '--db', db, '--objects', d, '--at', at(50).toISOString()])).code).toBe(0);
    const r = await runCli(['import', '--db', db, '--objects', d, '--at', at(10).toISOString()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot go before it');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  const bad = [
    { name: 'no --objects', args: ['--db', 'x.db'], code: 2 },
    { name: 'a bad --at', args: ['--db', 'x.db', '--objects', 'x.json', '--at', '15 minutes ago'], code: 2 },
    { name: 'an unreadable dump', args: ['--db', 'DB', '--objects', '/nonexistent/dump.json'], code: 1 },
  ];
  for (const b of bad) {
    it(`exits ${b.code} with one line: ${b.name}`, async () => {
      const r = await runCli(['import', ...b.args.map((a) => (a === 'DB' ? path.join(tmp.dir, 'bad.db') : a))]);
      expect(r.code).toBe(b.code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});

describe('routetrace resolve --db FILE --at TIME', () => {
  const cases = [
    { name: 'before the rollout (RFC 3339)', at: () => at(5).toISOString(), want: V1 },
    { name: 'after the rollout (epoch ms)', at: () => String(at(45).getTime()), want: V2 },
  ];
  for (const c of cases) {
    it(`answers from history ${c.name}, with the JSON the API serves`, async () => {
      const r = await runCli(['resolve', '--db', storyDb, '--at', c.at(), '--host', 'shop.example.com', '--port', '80', '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const answer = JSON.parse(r.stdout);
      expect(answer.backends).toEqual(c.want.map((p) => `${p.ip}:8080`).sort());
      const { openHistoryFile } = await import('../../src/queries/historyFile.js');
      const h = await openHistoryFile(storyDb);
      try {
        const api = h.queries.routes.route({ host: 'shop.example.com', port: 80, at: new Date(Number(c.at()) || Date.parse(c.at())) }).answer;
        expect(answer).toEqual(JSON.parse(JSON.stringify(api)));
      } finally {
        await h.close();
      }
    });
  }

  it('the CKA Service: no endpoints before the slice, 192.168.141.31:9999 after; --at -15m as its own argument', async () => {
    const before = await runCli(['resolve', '--db', storyDb, '--at', at(49).toISOString(), '--service', 'kube-public/external-webserver-cka03-svcn', '--port', '80', '--json']);
    expect(JSON.parse(before.stdout).endpoints).toEqual([]);
    const now = await runCli(['resolve', '--db', storyDb, '--at', '-15m', '--service', 'kube-public/external-webserver-cka03-svcn', '--port', '80']);
    expect(now.code).toBe(0);
    expect(now.stdout).toContain('192.168.141.31');
  });

  const bad = [
    { name: '--at without --db', args: ['--at', '-15m', '--host', 'a.example.com'] },
    { name: '--db with --objects', args: ['--db', 'x.db', '--objects', 'x.json', '--host', 'a.example.com'] },
    { name: 'a bad --at', args: ['--db', 'x.db', '--at', 'noon', '--host', 'a.example.com'] },
  ];
  for (const b of bad) {
    it(`exits 2 with one line: ${b.name}`, async () => {
      const r = await runCli(['resolve', ...b.args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });
  }
  it('exits 1 with one line for a missing database file', async () => {
    const r = await runCli(['resolve', '--db', '/nonexistent/h.db', '--host', 'a.example.com']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
