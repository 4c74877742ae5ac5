/**
 * routeDiagram: a route answer drawn as an SVG diagram, left to right: client → Ingress → Service port →
 * EndpointSlices → Pods (one box per endpoint), each endpoint coloured by its conditions (ready,
 * terminating, not ready) and dashed when it receives no traffic. Text goes in with textContent only.
 * Boxes carry data attributes (`data-hop`, `data-pod`, `data-state`) so the page can be tested.
 */
import type { Endpoint, RouteAnswer } from './documents.js';

const SVG = 'http://www.w3.org/2000/svg';
const BOX_W = 186;
const BOX_H = 56;
const ROW = 66;
const GAP_X = 48;
const MAX_ENDPOINTS = 60;

type State = 'ready' | 'terminating' | 'notready';

export function endpointState(e: Endpoint): State {
  if (e.conditions.terminating) return 'terminating';
  return e.conditions.ready ? 'ready' : 'notready';
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function clip(s: string, n = 28): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

interface Box {
  readonly x: number;
  readonly y: number;
}

function box(parent: Element, x: number, y: number, cls: string, lines: string[], data: Record<string, string>, tooltip: string): Box {
  const g = el('g', { class: `box ${cls}`, transform: `translate(${x},${y})` }, parent);
  for (const [k, v] of Object.entries(data)) g.setAttribute(`data-${k}`, v);
  el('title', {}, g).textContent = tooltip;
  el('rect', { width: BOX_W, height: BOX_H, rx: 8 }, g);
  lines.slice(0, 3).forEach((line, i) => {
    const t = el('text', { x: 10, y: 18 + i * 16, class: i === 0 ? 'head' : 'sub' }, g);
    t.textContent = clip(line, i === 0 ? 24 : 28);
  });
  return { x, y };
}

function edge(parent: Element, from: Box, to: Box, cls: string): void {
  const x1 = from.x + BOX_W, y1 = from.y + BOX_H / 2, x2 = to.x, y2 = to.y + BOX_H / 2;
  const mx = (x1 + x2) / 2;
  el('path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`, class: `edge ${cls}` }, parent);
}

function questionText(a: RouteAnswer): string {
  const q = a.question;
  if (q.kind === 'service') return `${q.namespace}/${q.name}${q.port != null ? `:${q.port}` : ''}`;
  return `${q.host}${q.port != null ? `:${q.port}` : ''}${q.path ?? ''}`;
}

/** The diagram of `answer` as an <svg> element. */
export function routeDiagram(answer: RouteAnswer): SVGSVGElement {
  const shown = answer.endpoints.slice(0, MAX_ENDPOINTS);
  const slices = [...new Set(shown.map((e) => e.slice))];
  const rows = Math.max(1, shown.length, slices.length);
  const height = rows * ROW + 20;
  const middle = (n: number) => 10 + ((rows - n) * ROW) / 2;
  const cols = [0, 1, 2, 3, 4].map((i) => 10 + i * (BOX_W + GAP_X));
  const width = cols[4]! + BOX_W + 10;
  const svg = el('svg', { class: 'diagram', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img' });
  svg.style.maxWidth = `${width}px`; // scales down to narrow windows, never up
  el('title', {}, svg).textContent = `Route of ${questionText(answer)}: ${answer.verdict}`;
  const edges = el('g', { class: 'edges' }, svg);
  const boxes = el('g', { class: 'boxes' }, svg);

  let last = box(boxes, cols[0]!, middle(1), 'client', ['client', questionText(answer), answer.question.kind === 'service' ? 'to a Service' : 'request'], { hop: 'client' }, questionText(answer));

  if (answer.ingress) {
    const i = answer.ingress;
    const rule = i.defaultBackend ? 'default backend' : `${i.host ?? '*'}${i.path ?? ''}${i.pathType ? ` (${i.pathType})` : ''}`;
    const b = box(boxes, cols[1]!, middle(1), 'ingress', [`Ingress ${i.name}`, i.namespace, rule], { hop: 'ingress' }, `Ingress ${i.namespace}/${i.name}: ${rule} → ${i.backend.service ?? '?'}:${i.backend.port ?? '?'}`);
    edge(edges, last, b, 'ok');
    last = b;
  }

  if (answer.gateway) {
    const g = answer.gateway;
    const route = g.route ? `${g.route.kind} ${g.route.name}` : 'no route';
    const split = g.backends.length > 1 ? g.backends.map((x) => `${x.name} ${Math.round(x.share * 100)}%`).join(', ') : '';
    const lines = [`Gateway ${g.name}`, `${g.listener.name} :${g.listener.port}`, split ? clip(split, 28) : route];
    const b = box(boxes, cols[1]!, middle(1), 'ingress', lines, { hop: 'gateway' }, `Gateway ${g.namespace}/${g.name}, listener ${g.listener.name} (${g.listener.protocol} :${g.listener.port}), ${route}${split ? `: ${split}` : ''}`);
    edge(edges, last, b, 'ok');
    last = b;
  }

  if (answer.service) {
    const s = answer.service;
    const port = `${s.port ?? '?'}${s.portName ? ` (${s.portName})` : ''} → ${s.targetPort ?? '?'}`;
    const b = box(boxes, cols[2]!, middle(1), 'service', [`Service ${s.name}`, s.namespace, `port ${port}`], { hop: 'service' }, `Service ${s.namespace}/${s.name} (${s.type}, ${s.clusterIPs.join(', ') || 'no cluster IP'}) port ${port}`);
    edge(edges, last, b, 'ok');
    last = b;
  } else if (answer.externalName) {
    const b = box(boxes, cols[2]!, middle(1), 'service', ['ExternalName', answer.externalName], { hop: 'external' }, `DNS CNAME to ${answer.externalName}`);
    edge(edges, last, b, 'ok');
    last = b;
  }

  const sliceBoxes = new Map<string, Box>();
  slices.forEach((name, i) => {
    const eps = shown.filter((e) => e.slice === name);
    const ready = eps.filter((e) => e.conditions.ready).length;
    const y = 10 + i * ROW + ((rows - slices.length) * ROW) / 2;
    const b = box(boxes, cols[3]!, y, 'slice', [clip(name, 24), 'EndpointSlice', `${ready}/${eps.length} ready`], { hop: 'slice', slice: name }, `EndpointSlice ${name}: ${ready} of ${eps.length} endpoints ready`);
    sliceBoxes.set(name, b);
    edge(edges, last, b, ready > 0 ? 'ok' : 'bad');
  });

  shown.forEach((e, i) => {
    const state = endpointState(e);
    const name = e.pod ? e.pod.name : e.address;
    const y = 10 + i * ROW + ((rows - shown.length) * ROW) / 2;
    const b = box(
      boxes,
      cols[4]!,
      y,
      `pod ${state}${e.selected ? '' : ' unselected'}`,
      [name, `${e.address}:${e.port}`, `${state === 'notready' ? 'not ready' : state}${e.node ? ` · ${e.node}` : ''}`],
      { pod: name, state, selected: String(e.selected) },
      `${e.pod ? `Pod ${e.pod.namespace}/${e.pod.name}` : 'endpoint'} ${e.address}:${e.port}: ${state}; ${e.selected ? 'receives traffic' : 'no traffic'} (${e.reason})`,
    );
    edge(edges, sliceBoxes.get(e.slice)!, b, `${state}${e.selected ? '' : ' unselected'}`);
  });

  if (answer.endpoints.length > shown.length) {
    const t = el('text', { x: cols[4]!, y: height - 4, class: 'more' }, svg);
    t.textContent = `+ ${answer.endpoints.length - shown.length} more endpoints`;
  }
  return svg;
}
