/**
 * The route viewer end to end: Debian's Chromium (headless, driven by playwright-core) against the
 * compiled `routetrace demo`, through a rollout in its simulated cluster. The page follows the rollout
 * live (subscription), then the time slider, a timeline click and a shared URL each redraw the route as
 * of their instant: old Pods before, new Pods after. Writes a screenshot (test-results/ui/route-viewer.png).
 *
 * Chromium: /usr/bin/chromium (`apt-get install -y chromium`) or $CHROMIUM_PATH. Missing, the test is
 * skipped, saying so; in CI (env CI set) it fails instead. Needs `npm run build` first (npm test does it).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoProcess } from '../helpers/demo.js';

/** The page's DOM, as the functions evaluated in the browser see it (the tests compile without lib.dom). */
declare const document: {
  querySelectorAll(selector: string): ArrayLike<{ dataset: Record<string, string | undefined> }>;
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
};

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = !!process.env['CI'];
export const SCREENSHOT = fileURLToPath(new URL('../../test-results/ui/route-viewer.png', import.meta.url));

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OLD = ['my-app-7d9f8c6b5-4xkzq', 'my-app-7d9f8c6b5-9wq2m', 'my-app-7d9f8c6b5-tz7hd'];
const NEW = ['my-app-5c4f9b8d7-a1b2c', 'my-app-5c4f9b8d7-d3e4f', 'my-app-5c4f9b8d7-g5h6i'];
const HOST = 'ibtisam-iq.com';

const dir = mkdtempSync(join(tmpdir(), 'rt-ui-'));
let demo: DemoProcess | undefined;
let context: BrowserContext | undefined;
afterAll(async () => {
  await context?.close().catch(() => {});
  demo?.kill();
  rmSync(dir, { recursive: true, force: true });
});

function newPod(name: string): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'my-app', 'pod-template-hash': '5c4f9b8d7' } },
    spec: { nodeName: 'node-3', containers: [{ name: 'my-app', image: 'nginx:1.28', ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
  };
}

async function kube(simUrl: string, method: string, path: string, body?: unknown): Promise<void> {
  const r = await fetch(`${simUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
}

/** The Pods the diagram shows, sorted. */
function pods(page: Page): Promise<string[]> {
  return page.$$eval('#diagram [data-pod]', (els) => els.map((e) => (e as unknown as { dataset: Record<string, string> }).dataset['pod']!).sort());
}

/** Waits until the diagram shows exactly `expected` (any order). */
async function showsPods(page: Page, expected: readonly string[]): Promise<void> {
  const want = [...expected].sort();
  await page.waitForFunction(
    (w) => JSON.stringify(Array.from(document.querySelectorAll('#diagram [data-pod]'), (e) => e.dataset['pod']).sort()) === JSON.stringify(w),
    want,
    { timeout: 30_000 },
  ).catch(async (err) => {
    throw new Error(`expected Pods ${want.join(', ')}, the page shows ${(await pods(page)).join(', ') || 'none'} (${String(err)})`);
  });
}

/** Moves the slider to `ms` as a user dragging it would (input events), then waits for the redraw. */
async function slideTo(page: Page, ms: number): Promise<void> {
  await page.locator('#slider').evaluate((el, v) => {
    const input = el as unknown as { value: string; dispatchEvent(e: Event): boolean };
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }, ms);
}

if (!HAVE_CHROMIUM && IN_CI) {
  describe('route viewer in Chromium', () => {
    it('needs Chromium in CI', () => {
      throw new Error(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium)`);
    });
  });
}

describe.skipIf(!HAVE_CHROMIUM)(`route viewer in Chromium${HAVE_CHROMIUM ? '' : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install -y chromium)`}`, () => {
  it('follows a rollout live; slider, timeline and shared URL show old Pods before and new Pods after', async () => {
    demo = await startDemo(['--db', join(dir, 'demo.db'), '--churn', '0']);
    context = await chromium.launchPersistentContext(join(dir, 'profile'), { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1500, height: 820 } });
    const page = context.pages()[0] ?? (await context.newPage());
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });

    await page.goto(`${demo.url}/ui?host=${HOST}&port=443&from=-15m`);
    await showsPods(page, OLD);
    expect(await page.locator('#diagram').getAttribute('data-mode')).toBe('live');
    expect(await page.locator('#diagram [data-hop=ingress]').count()).toBe(1);
    expect(await page.locator('#diagram [data-hop=service]').count()).toBe(1);
    expect(await page.locator('#diagram [data-pod][data-state=ready]').count()).toBe(3);
    expect(await page.textContent('#verdict')).toMatch(/^forwarded · 3 backends/);

    // The rollout: three new Pods (started and ready by the simulated kubelet), then the old ones deleted.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const before = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    for (const name of NEW) await kube(demo.simUrl, 'POST', '/api/v1/namespaces/default/pods', newPod(name));
    await showsPods(page, [...OLD, ...NEW]);
    for (const name of OLD) await kube(demo.simUrl, 'DELETE', `/api/v1/namespaces/default/pods/${name}`);
    await showsPods(page, NEW);
    expect(await page.locator('#diagram').getAttribute('data-mode')).toBe('live');

    // The timeline lists the changes (refreshed while live).
    await page.waitForFunction(() => document.querySelectorAll('#events [data-type=ENDPOINT_REMOVED]').length >= 3, undefined, { timeout: 30_000 });
    expect(await page.locator('#events [data-type=ENDPOINT_ADDED]').count()).toBeGreaterThanOrEqual(3);

    // Slider back to before the rollout: the old Pods, and the URL says which instant.
    await slideTo(page, before);
    await showsPods(page, OLD);
    expect(await page.locator('#diagram').getAttribute('data-mode')).toBe('past');
    const shared = new URL(page.url());
    expect(shared.searchParams.get('host')).toBe(HOST);
    expect(Math.abs(Date.parse(shared.searchParams.get('at')!) - before)).toBeLessThan(1_000);

    // Slider to the end: the new Pods.
    await slideTo(page, Number(await page.locator('#slider').getAttribute('max')));
    await showsPods(page, NEW);

    // A click on the first new endpoint in the timeline: the route as of that change (old Pods and one new).
    const added = page.locator('#events [data-type=ENDPOINT_ADDED]').first();
    const addedAt = await added.getAttribute('data-time');
    await added.click();
    await page.waitForFunction((t) => document.querySelector('#diagram')?.getAttribute('data-at') === t, addedAt, { timeout: 30_000 });
    const mid = await pods(page);
    expect(mid.filter((p) => OLD.includes(p))).toHaveLength(3);
    expect(mid.filter((p) => NEW.includes(p)).length).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#events .event.current').getAttribute('data-time')).toBe(addedAt);

    // The screenshot: mid-rollout, as of an old Pod's endpoint leaving.
    const removing = page.locator('#events [data-type=ENDPOINT_TERMINATING], #events [data-type=ENDPOINT_NOT_READY], #events [data-type=ENDPOINT_REMOVED]').first();
    await removing.click();
    await page.waitForFunction((t) => document.querySelector('#diagram')?.getAttribute('data-at') === t, await removing.getAttribute('data-time'), { timeout: 30_000 });
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);

    // The shared URL of the "before" instant, opened in a new tab, shows the same.
    const other = await context.newPage();
    await other.goto(shared.href);
    await showsPods(other, OLD);
    expect(await other.locator('#diagram').getAttribute('data-mode')).toBe('past');

    // A host the seed routes through its Gateway (HTTPRoute my-app-route): a Gateway hop, no Ingress.
    const viaGateway = await context.newPage();
    await viaGateway.goto(`${demo.url}/ui?host=api.ibtisam-iq.com&port=80&path=/api/v1`);
    await viaGateway.waitForSelector('#diagram [data-hop=gateway]', { timeout: 30_000 });
    expect(await viaGateway.locator('#diagram [data-hop=ingress]').count()).toBe(0);
    expect(await viaGateway.locator('#diagram [data-hop=service]').count()).toBe(1);
    expect(await viaGateway.textContent('#diagram [data-hop=gateway]')).toContain('web-gateway');

    expect(pageErrors).toEqual([]);
    await context.close();
    context = undefined;
    expect(await demo.stop()).toBe(0);
  }, 180_000);
});
