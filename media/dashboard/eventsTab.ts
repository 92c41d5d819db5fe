// The Events tab: the alert events of the picked range (the active ones included), newest first —
// time, rule, culprit, peak figure, duration — each row opening the history around it: its
// process's when it names one, the Overview's otherwise.

import type { AlertEvent } from '../../src/backend/index';
import type { AppContext, TabView } from './context';
import { clear, h, icon } from './dom';
import { historyTarget } from '../../src/shared/alertTargets';
import { eventRows } from './events';

/** While live, the list is asked again this often (events start and end on their own). */
const LIVE_REFRESH_MS = 15_000;

export class EventsView implements TabView {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly note: HTMLElement;
  private gen = 0;
  private timer: number | undefined;

  constructor(private readonly ctx: AppContext) {
    this.body = h('tbody');
    this.note = h('p', { class: 'muted small' });
    const col = (text: string, num = false): HTMLElement => h('th', { class: num ? 'num' : undefined, text, attrs: { scope: 'col' } });
    this.el = h(
      'section',
      { class: 'tab-panel', attrs: { id: 'panel-events', role: 'tabpanel', 'aria-labelledby': 'tab-events' } },
      h(
        'section',
        { class: 'card events', attrs: { 'aria-label': 'Alert events in this range' } },
        h('div', { class: 'card-head' }, h('h2', { text: 'Alert events in this range' })),
        h(
          'div',
          { class: 'table-scroll' },
          h(
            'table',
            { class: 'data-table events-table' },
            h('thead', {}, h('tr', {}, col('Time'), col('Rule'), col('Culprit'), col('Peak', true), col('Duration', true))),
            this.body,
          ),
        ),
        this.note,
      ),
    );
  }

  load(): void {
    const gen = ++this.gen;
    const w = this.ctx.window();
    void this.ctx.request('alerts', { from: w.from, to: w.to }).then((events) => {
      if (gen !== this.gen || !events) return;
      this.render(events);
    });
    window.clearInterval(this.timer);
    this.timer = this.ctx.isLive() ? window.setInterval(() => this.load(), LIVE_REFRESH_MS) : undefined;
  }

  pause(): void {
    this.gen++;
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  onLive(): void {}

  onTheme(): void {}

  private render(events: AlertEvent[]): void {
    clear(this.body);
    const now = Date.now();
    const byId = new Map(events.map((e) => [e.id, e]));
    const rows = eventRows(events, now);
    if (rows.length === 0)
      this.body.append(
        h(
          'tr',
          {},
          h('td', {
            class: 'muted',
            text: 'No alerts in this range. Vitals raises one when a rule of vitals.alerts.* holds.',
            attrs: { colspan: 5 },
          }),
        ),
      );
    for (const r of rows) {
      const a = byId.get(r.id);
      if (!a) continue;
      const open = (): void => this.open(a);
      this.body.append(
        h(
          'tr',
          { class: `clickable${r.active ? ' active-event' : ''}`, on: { click: open } },
          h('td', { text: r.time }),
          h('td', {}, icon(r.active ? 'warning' : 'history'), h('span', { text: ` ${r.rule}` })),
          h(
            'td',
            { class: 'name-cell' },
            h('button', {
              class: 'link',
              text: r.culprit,
              title: `${r.message}\n\nShow the history around this event`,
              attrs: { type: 'button' },
              on: {
                click: (e) => {
                  e.stopPropagation();
                  open();
                },
              },
            }),
          ),
          h('td', { class: 'num', text: r.peak }),
          h('td', { class: 'num', text: r.duration }),
        ),
      );
    }
    this.note.textContent = rows.length ? 'Select an event to see the history around it.' : '';
  }

  private open(a: AlertEvent): void {
    const { process: p, range } = historyTarget(a, Date.now());
    if (!range) return;
    if (p) this.ctx.openProcess({ kind: 'process', pid: p.pid, startTime: p.startTime, name: p.name }, range);
    else this.ctx.update({ tab: 'overview', range: { kind: 'custom', ...range }, zoom: null });
  }
}
