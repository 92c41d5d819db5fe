// "Who did it": the card that answers a pick on a chart with the processes that were busy at that
// moment (the backend's topAt: exact from raw samples, or a rollup bucket's top processes, and it
// says which), each row opening that process's history around the moment.

import type { TopAtResult } from '../../src/backend/index';
import type { AppContext } from './context';
import { button, clear, h, icon, setShown } from './dom';
import { formatBytes, formatDateTime, formatPercent } from '../../src/shared/format';
import { momentWindow } from '../../src/shared/eventWindow';
import { topAtSource } from './events';

const LIMIT = 10;

export class WhoDidIt {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly source: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private gen = 0;
  private returnFocus: HTMLElement | null = null;

  constructor(private readonly ctx: AppContext) {
    this.title = h('h2', { attrs: { id: 'who-title', tabindex: -1 } });
    this.source = h('p', { class: 'muted small who-source', attrs: { 'aria-live': 'polite' } });
    this.body = h('tbody');
    this.el = h(
      'section',
      { class: 'card who-did-it', attrs: { 'aria-labelledby': 'who-title', role: 'region' } },
      h(
        'div',
        { class: 'card-head' },
        h('div', { class: 'who-head' }, icon('search'), this.title),
        button('Close', { kind: 'icon', icon: 'close', onClick: () => this.close() }),
      ),
      this.source,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { text: 'Process', attrs: { scope: 'col' } }),
              h('th', { class: 'num', text: 'PID', attrs: { scope: 'col' } }),
              h('th', { class: 'num', text: 'CPU', attrs: { scope: 'col' } }),
              h('th', { class: 'num', text: 'Memory', attrs: { scope: 'col' } }),
            ),
          ),
          this.body,
        ),
      ),
    );
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') this.close();
    });
    setShown(this.el, false);
  }

  /** Asks who was busy at `t` and shows the answer; the focus stays where it was (the chart's cursor keeps moving), the answer is announced. */
  ask(t: number): void {
    const gen = ++this.gen;
    this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.title.textContent = `Who was busy at ${formatDateTime(t)}`;
    this.source.textContent = 'Asking…';
    clear(this.body);
    setShown(this.el, true);
    this.el.scrollIntoView({ block: 'nearest' });
    void this.ctx.request('topAt', { t, by: this.ctx.state.topBy, n: LIMIT }).then((r) => {
      if (gen !== this.gen) return;
      if (!r) {
        this.source.textContent = 'The backend could not answer.';
        return;
      }
      this.render(r);
    });
  }

  close(): void {
    this.gen++;
    setShown(this.el, false);
    this.returnFocus?.focus();
    this.returnFocus = null;
  }

  private render(r: TopAtResult): void {
    this.title.textContent = `Who was busy at ${formatDateTime(r.at ?? r.asked)}`;
    this.source.textContent = topAtSource(r);
    clear(this.body);
    const range = momentWindow(r.at ?? r.asked, Date.now());
    for (const p of r.processes) {
      const open = (): void => this.ctx.openProcess({ kind: 'process', pid: p.pid, startTime: p.startTime, name: p.name }, range);
      this.body.append(
        h(
          'tr',
          { class: 'clickable', on: { click: open } },
          h(
            'td',
            { class: 'name-cell' },
            h('button', {
              class: 'link',
              text: p.name || `pid ${p.pid}`,
              title: p.command ? `${p.command}\n\nShow the history of this process around this moment` : 'Show the history of this process',
              attrs: { type: 'button' },
              on: {
                click: (e) => {
                  e.stopPropagation();
                  open();
                },
              },
            }),
          ),
          h('td', { class: 'num', text: String(p.pid) }),
          h('td', { class: 'num', text: formatPercent(p.cpu) }),
          h('td', { class: 'num', text: formatBytes(p.rssBytes) }),
        ),
      );
    }
  }
}
