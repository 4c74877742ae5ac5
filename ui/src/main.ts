/**
 * main: the route viewer page. The URL holds what is shown (viewState.ts); the form, the time slider and
 * the timeline change it, and every change redraws the route as of the chosen instant from /graphql.
 * While the page shows "now" it follows live changes through a subscription (routeChanged for a host,
 * endpointsChanged for a Service) and refreshes the timeline.
 */
import './style.css';
import { AuthRequired, GraphQLRequestError, query, setToken, subscribe, token } from './graphqlClient.js';
import { ENDPOINTS_CHANGED, HOST_ROUTE, HOST_TIMELINE, ROUTE_CHANGED, SERVICE_ROUTE, SERVICE_TIMELINE, SERVICES, type RouteAnswer, type TimelineEvent, type TimelinePage } from './documents.js';
import { routeDiagram } from './routeDiagram.js';
import { renderTicks, renderTimeline, timeOf } from './timelineList.js';
import { parseViewState, portValue, serviceRef, viewSearch, windowStart, type ViewState } from './viewState.js';

/** Timeline pages of 200 events read per window (the window's first 2,000 changes). */
const MAX_TIMELINE_PAGES = 10;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('question');
const hostInput = $<HTMLInputElement>('host');
const portInput = $<HTMLInputElement>('port');
const pathInput = $<HTMLInputElement>('path');
const serviceInput = $<HTMLInputElement>('service');
const fromSelect = $<HTMLSelectElement>('from');
const slider = $<HTMLInputElement>('slider');
const atLabel = $('at-label');
const liveBadge = $('live');
const diagram = $('diagram');
const verdict = $('verdict');
const findings = $<HTMLUListElement>('findings');
const events = $<HTMLOListElement>('events');
const ticks = $('ticks');
const statusLine = $('status');
const authForm = $<HTMLFormElement>('auth');

let state: ViewState = parseViewState(location.search);
let timeline: TimelineEvent[] = [];
let windowFrom = 0;
let windowTo = 0;
/** Where the slider starts: the window's start, or shortly before its first change (the route is the same before it). */
let sliderFrom = 0;
let routeSeq = 0;
let stopLive: (() => void) | undefined;
let timelineRefresh: ReturnType<typeof setTimeout> | undefined;
let sliderTimer: ReturnType<typeof setTimeout> | undefined;

function say(message: string, kind: 'error' | 'info' = 'info'): void {
  statusLine.textContent = message;
  statusLine.className = message ? kind : '';
}

function failed(err: unknown): void {
  if (err instanceof AuthRequired) {
    authForm.hidden = false;
    say('This server needs a bearer token.', 'error');
    return;
  }
  const code = err instanceof GraphQLRequestError && err.code ? ` (${err.code})` : '';
  say(`${err instanceof Error ? err.message : String(err)}${code}`, 'error');
}

function hasQuestion(s: ViewState): boolean {
  return !!s.host || !!s.service;
}

function showState(): void {
  hostInput.value = state.host ?? '';
  portInput.value = state.port ?? '';
  pathInput.value = state.path ?? '';
  serviceInput.value = state.service ?? '';
  if (![...fromSelect.options].some((o) => o.value === state.from)) fromSelect.add(new Option(state.from, state.from));
  fromSelect.value = state.from;
}

function writeUrl(push: boolean): void {
  const url = `${location.pathname}${viewSearch(state)}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function routeVariables(at: string | undefined): { document: string; variables: Record<string, unknown> } {
  if (state.host) {
    const port = portValue(state.port);
    if (port !== undefined && typeof port !== 'number') throw new Error('the port of a host must be a number');
    return { document: HOST_ROUTE, variables: { host: state.host, port: port ?? null, path: state.path ?? null, at: at ?? null } };
  }
  const ref = serviceRef(state.service ?? '');
  if (!ref) throw new Error('a Service is written namespace/name');
  return { document: SERVICE_ROUTE, variables: { ...ref, port: portValue(state.port) ?? null, at: at ?? null } };
}

function drawRoute(answer: RouteAnswer, live: boolean): void {
  diagram.replaceChildren(routeDiagram(answer));
  diagram.dataset['at'] = answer.at;
  diagram.dataset['mode'] = live ? 'live' : 'past';
  verdict.textContent = `${answer.verdict} · ${answer.backends.length} backend${answer.backends.length === 1 ? '' : 's'} · as of ${timeOf(answer.at)}`;
  verdict.className = `verdict ${answer.verdict}`;
  findings.replaceChildren(
    ...answer.findings.map((f) => {
      const li = document.createElement('li');
      li.className = `finding ${f.severity}`;
      const code = document.createElement('code');
      code.textContent = f.code;
      li.append(code, ` ${f.message}`);
      return li;
    }),
  );
  renderTimeline(events, timeline, Date.parse(answer.at), pick);
}

async function loadRoute(): Promise<void> {
  const seq = ++routeSeq;
  const { document, variables } = routeVariables(state.at);
  const data = await query<{ route?: RouteAnswer; routeToService?: RouteAnswer }>(document, variables);
  if (seq !== routeSeq) return;
  const answer = data.route ?? data.routeToService!;
  drawRoute(answer, state.at === undefined);
  say('');
}

async function loadTimeline(): Promise<void> {
  const from = new Date(windowFrom).toISOString();
  const to = new Date(windowTo).toISOString();
  const port = portValue(state.port) ?? null;
  const ref = state.service ? serviceRef(state.service) : undefined;
  const all: TimelineEvent[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_TIMELINE_PAGES; page++) {
    const vars: Record<string, unknown> = state.host ? { host: state.host, port, from, to, after } : { service: ref, port, from, to, after };
    const data: { timeline: TimelinePage } = await query<{ timeline: TimelinePage }>(state.host ? HOST_TIMELINE : SERVICE_TIMELINE, vars);
    all.push(...data.timeline.edges.map((e) => e.node));
    after = data.timeline.pageInfo.endCursor;
    if (!data.timeline.pageInfo.hasNextPage) break;
    if (page === MAX_TIMELINE_PAGES - 1) say(`Showing the first ${all.length} changes of the window; narrow it to see later ones.`);
  }
  timeline = all;
  $('timeline-count').textContent = `(${all.length})`;
  renderTimeline(events, timeline, state.at ? Date.parse(state.at) : windowTo, pick);
  const first = all.length ? Date.parse(all[0]!.observedTime) : NaN;
  sliderFrom = Number.isFinite(first) ? Math.max(windowFrom, first - Math.max(5_000, (windowTo - first) * 0.1)) : windowFrom;
  showRange();
}

function showRange(): void {
  slider.min = String(sliderFrom);
  slider.max = String(windowTo);
  $('range-from').textContent = timeOf(new Date(sliderFrom).toISOString());
  $('range-to').textContent = timeOf(new Date(windowTo).toISOString());
  renderTicks(ticks, timeline, sliderFrom, windowTo);
  showInstant();
}

function setWindow(now: number): void {
  windowTo = now;
  windowFrom = Math.min(windowStart(state.from, now), now - 1000);
  sliderFrom = Math.max(sliderFrom, windowFrom);
  showRange();
}

function showInstant(): void {
  const live = state.at === undefined;
  slider.value = String(live ? windowTo : Date.parse(state.at!));
  atLabel.textContent = live ? 'now' : timeOf(state.at!);
  liveBadge.hidden = !live;
  document.body.classList.toggle('past', !live);
}

function scheduleTimelineRefresh(): void {
  if (timelineRefresh) return;
  timelineRefresh = setTimeout(() => {
    timelineRefresh = undefined;
    setWindow(Date.now());
    loadTimeline().catch(failed);
  }, 1000);
}

function startLive(): void {
  stopLive?.();
  const handlers = { error: (m: string) => say(m, 'error'), auth: () => failed(new AuthRequired('token refused')) };
  if (state.host) {
    const { variables } = routeVariables(undefined);
    stopLive = subscribe<{ routeChanged: RouteAnswer }>(ROUTE_CHANGED, { host: variables['host'], port: variables['port'], path: variables['path'] }, {
      ...handlers,
      next: (d) => {
        if (state.at === undefined) drawRoute(d.routeChanged, true);
        scheduleTimelineRefresh();
      },
    });
  } else {
    const ref = serviceRef(state.service ?? '');
    stopLive = subscribe(ENDPOINTS_CHANGED, { service: ref, port: portValue(state.port) ?? null }, {
      ...handlers,
      next: () => {
        if (state.at === undefined) loadRoute().catch(failed);
        scheduleTimelineRefresh();
      },
    });
  }
}

async function trace(): Promise<void> {
  showState();
  if (!hasQuestion(state)) {
    say('Type a host (and port, path) or pick a Service, then Trace.');
    return;
  }
  sliderFrom = 0;
  setWindow(Date.now());
  const timelineLoaded = loadTimeline().catch(failed);
  try {
    await loadRoute();
    startLive();
  } catch (err) {
    failed(err);
  }
  await timelineLoaded;
}

function goTo(at: string | undefined, push = false): void {
  const { at: _previous, ...rest } = state;
  state = at === undefined ? rest : { ...rest, at };
  writeUrl(push);
  showInstant();
  loadRoute().catch(failed);
}

function pick(e: TimelineEvent): void {
  goTo(e.observedTime, true);
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const host = hostInput.value.trim();
  const service = serviceInput.value.trim();
  state = {
    ...(host ? { host } : service ? { service } : {}),
    ...(portInput.value.trim() ? { port: portInput.value.trim() } : {}),
    ...(host && pathInput.value.trim() ? { path: pathInput.value.trim() } : {}),
    from: fromSelect.value,
  };
  writeUrl(true);
  void trace();
});

serviceInput.addEventListener('input', () => {
  if (serviceInput.value) hostInput.value = '';
});
hostInput.addEventListener('input', () => {
  if (hostInput.value) serviceInput.value = '';
});

slider.addEventListener('input', () => {
  const v = Number(slider.value);
  const live = v >= windowTo;
  atLabel.textContent = live ? 'now' : timeOf(new Date(v).toISOString());
  clearTimeout(sliderTimer);
  sliderTimer = setTimeout(() => goTo(live ? undefined : new Date(v).toISOString()), 120);
});

$('to-now').addEventListener('click', () => {
  setWindow(Date.now());
  goTo(undefined, true);
  loadTimeline().catch(failed);
});

authForm.addEventListener('submit', (ev) => {
  ev.preventDefault();
  setToken($<HTMLInputElement>('token').value.trim());
  authForm.hidden = true;
  void trace();
  void loadServices();
});

window.addEventListener('popstate', () => {
  state = parseViewState(location.search);
  void trace();
});

async function loadServices(): Promise<void> {
  const list = $('services');
  const options: HTMLOptionElement[] = [];
  let after: string | null = null;
  for (let page = 0; page < 10; page++) {
    const data: { services: { edges: { node: { namespace: string; name: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } = await query(SERVICES, { after });
    for (const e of data.services.edges) options.push(new Option(`${e.node.namespace}/${e.node.name}`));
    after = data.services.pageInfo.endCursor;
    if (!data.services.pageInfo.hasNextPage) break;
  }
  list.replaceChildren(...options);
}

if (token()) $<HTMLInputElement>('token').value = token()!;
loadServices().catch(() => {});
void trace();
