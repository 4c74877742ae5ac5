/**
 * timelineList: the changes of the route, oldest first, as a clickable list; the event at or just before
 * the shown instant is marked. Also the event marks under the time slider.
 */
import type { TimelineEvent } from './documents.js';

const TYPE_CLASS: Readonly<Record<string, string>> = {
  ENDPOINT_ADDED: 'good',
  ENDPOINT_READY: 'good',
  SERVICE_CREATED: 'good',
  ENDPOINT_REMOVED: 'bad',
  ENDPOINT_NOT_READY: 'bad',
  SERVICE_DELETED: 'bad',
  WATCH_GAP: 'bad',
  ENDPOINT_TERMINATING: 'warn',
};

export function timeOf(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** Fills `list` with the events; `onPick` gets the event clicked. */
export function renderTimeline(list: HTMLOListElement, events: readonly TimelineEvent[], shownAt: number, onPick: (e: TimelineEvent) => void): void {
  list.replaceChildren();
  let current: HTMLLIElement | undefined;
  for (const e of events) {
    const li = document.createElement('li');
    li.className = `event ${TYPE_CLASS[e.type] ?? 'info'}`;
    li.dataset['time'] = e.observedTime;
    li.dataset['type'] = e.type;
    li.tabIndex = 0;
    const time = document.createElement('time');
    time.dateTime = e.observedTime;
    time.textContent = timeOf(e.observedTime).slice(11, 23);
    time.title = timeOf(e.observedTime);
    const type = document.createElement('span');
    type.className = 'type';
    type.textContent = e.type.replace(/_/g, ' ').toLowerCase();
    const msg = document.createElement('span');
    msg.className = 'message';
    msg.textContent = e.message;
    li.append(time, type, msg);
    li.addEventListener('click', () => onPick(e));
    li.addEventListener('keydown', (k) => {
      if (k.key === 'Enter' || k.key === ' ') onPick(e);
    });
    if (Date.parse(e.observedTime) <= shownAt) current = li;
    list.appendChild(li);
  }
  current?.classList.add('current');
}

/** Event marks under the slider, positioned over [from, to]. */
export function renderTicks(container: HTMLElement, events: readonly TimelineEvent[], from: number, to: number): void {
  container.replaceChildren();
  const span = Math.max(1, to - from);
  for (const e of events) {
    const t = Date.parse(e.observedTime);
    if (t < from || t > to) continue;
    const mark = document.createElement('span');
    mark.className = `tick ${TYPE_CLASS[e.type] ?? 'info'}`;
    mark.style.left = `${((t - from) / span) * 100}%`;
    mark.title = `${timeOf(e.observedTime)} ${e.message}`;
    container.appendChild(mark);
  }
}
