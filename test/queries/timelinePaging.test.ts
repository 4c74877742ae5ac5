/**
 * Timelines are read window by window of history (src/queries/timeline.ts): a property test over a churned
 * history (churnedHistory.ts) that, for random Services, hosts, ranges and page sizes, the pages add up to
 * the events of the whole range read at once, in order and each once; and that a host timeline follows a
 * host whose Ingress rule moves between Services inside the range.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryReader } from '../../src/history/HistoryReader.js';
import { openHistoryDatabase, type HistoryDatabase } from '../../src/history/openHistoryDatabase.js';
import { ClusterState } from '../../src/queries/ClusterState.js';
import { Queries } from '../../src/queries/Queries.js';
import type { TimelineInput } from '../../src/queries/timeline.js';
import { TimelineQueries } from '../../src/queries/timeline.js';
import { tempDir } from '../history/builders.js';
import { writeChurnedHistory, type ChurnedHistory } from './churnedHistory.js';

const CASES = 60;

let tmp: ReturnType<typeof tempDir>;
let history: ChurnedHistory;
let database: HistoryDatabase;
let queries: Queries;
let timelines: TimelineQueries;

beforeAll(async () => {
  tmp = tempDir('routetrace-timeline-');
  history = await writeChurnedHistory(tmp.dir);
  database = await openHistoryDatabase({ file: history.file });
  const state = new ClusterState({ history: { reader: new HistoryReader(database), database, cluster: history.cluster }, now: () => history.to + 3_600_000 });
  queries = new Queries(state);
  timelines = new TimelineQueries(state, queries.routes);
}, 120_000);

afterAll(async () => {
  await database?.close();
  tmp?.remove();
});

/** Every page of a timeline, `first` events at a time. */
async function pages(input: Omit<TimelineInput, 'first' | 'after'>, first: number): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let i = 0; i < 10_000; i++) {
    const r = await queries.timeline({ ...input, first, after });
    ids.push(...r.page.edges.map((e) => e.node.id));
    if (!r.page.pageInfo.hasNextPage) return ids;
    after = r.page.pageInfo.endCursor;
  }
  throw new Error('timeline did not end');
}

describe('timeline pages read window by window', () => {
  it(`add up to the whole range read at once (${CASES} random Services, hosts, ranges and page sizes)`, async () => {
    const services = database.db.prepare(`SELECT DISTINCT namespace, name FROM "KubeObject" WHERE kind = 'Service' ORDER BY namespace, name`).all() as { namespace: string; name: string }[];
    const hosts = ['moving.example.com', 'h1.scale.example.com', 'h3.scale.example.com', 'a.wild.example.com', 'nowhere.example.com'];
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    let events = 0;
    const types = new Set<string>();
    for (let i = 0; i < CASES; i++) {
      const a = history.from + rand() * (history.to - history.from);
      const b = i % 4 === 0 ? history.to + 60_000 : a + rand() * (history.to - a);
      const range = { from: new Date(Math.floor(i % 5 === 0 ? history.from - 1 : a)), to: new Date(Math.floor(b)) };
      const input: Omit<TimelineInput, 'first' | 'after'> = i % 3 === 0
        ? { host: hosts[i % hosts.length]!, port: 80, ...range }
        : { service: services[Math.floor(rand() * services.length)]!, ...(i % 7 === 0 ? { port: 80 } : {}), ...range };
      const whole = await timelines.allEvents(input);
      const first = 1 + Math.floor(rand() * 40);
      const label = `${JSON.stringify(input)} first ${first}`;
      expect(await pages(input, first), label).toEqual(whole.map((e) => e.id));
      const one = await queries.timeline({ ...input, first: 500 });
      expect(one.page.totalCount, label).toBe(whole.length);
      events += whole.length;
      for (const e of whole) types.add(e.type);
    }
    // The history is rich enough for the comparison to mean something.
    expect(events).toBeGreaterThan(CASES * 10);
    expect([...types]).toEqual(expect.arrayContaining(['ENDPOINT_ADDED', 'ENDPOINT_REMOVED', 'ENDPOINT_READY', 'ENDPOINT_NOT_READY', 'ENDPOINT_TERMINATING', 'INGRESS_RULES_CHANGED', 'SERVICE_CREATED', 'WATCH_GAP']));
  }, 300_000);

  it('a host timeline follows the host to each Service its rule moved to, only while the host reached it', async () => {
    const range = { from: new Date(history.from - 1), to: new Date(history.to) };
    const r = await queries.timeline({ host: 'moving.example.com', port: 80, ...range, first: 500 });
    expect(r.services.length).toBeGreaterThan(2);
    // Each Service's endpoint events lie inside an interval in which the route reached that Service.
    for (const e of r.page.edges.map((x) => x.node)) {
      if (!e.type.startsWith('ENDPOINT_')) continue;
      const at = e.observedTime.getTime();
      const before = queries.routes.route({ host: 'moving.example.com', port: 80, at: new Date(at - 1) }).answer.service?.name;
      const after = queries.routes.route({ host: 'moving.example.com', port: 80, at: new Date(at) }).answer.service?.name;
      expect([before, after], `${e.type} ${e.message}`).toContain(e.object.name);
    }
  }, 120_000);
});
