// The Overview tab: system charts over the picked range (one history query for all of them, at
// about one point per pixel) and the range's top processes. In live mode the history seeds a
// sliding window and each pushed sample is appended; history is never asked for again. The
// range's alert events are drawn as bands on every chart, and a click (or Enter on a chart's
// keyboard cursor) at a moment asks who was busy then.

import type { HistoryResult, TopProcessRow } from '../../src/backend/index';
import type { AlertEvent } from '../../src/backend/index';
import type { LiveSample } from '../../src/shared/dashboardProtocol';
import { TimeChart } from './chart';
import type { AppContext, TabView } from './context';
import { button, clear, h, icon, setShown } from './dom';
import { formatBytes, formatPercent } from '../../src/shared/format';
import { overviewCharts, overviewMetrics, type ChartDef } from './overviewCharts';
import { LIVE_WINDOW_MS, maxPointsFor, type TimeWindow } from './range';
import { LiveTable, shapeGaps, type Column, type Table } from './series';
import { VsCodeLoadView } from './vscodeLoad';
import { eventBands } from './events';
import { WhoDidIt } from './whoDidIt';

const TOP_LIMIT = 12;
const LIVE_TOP_REFRESH_MS = 15_000;

export class OverviewView implements TabView {
  readonly el: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly topBody: HTMLTableSectionElement;
  private readonly topNote: HTMLElement;
  private readonly topToggle: HTMLElement;
  private defs: ChartDef[] = [];
  private charts: TimeChart[] = [];
  private metricKeys: string[] = [];
  private live: LiveTable | null = null;
  private table: Table | null = null;
  private generation = 0;
  private renderQueued = false;
  private topTimer: number | undefined;
  private active = false;
  private readonly vscodeLoad: VsCodeLoadView;
  private events: AlertEvent[] = [];
  private readonly who: WhoDidIt;

  constructor(private readonly ctx: AppContext) {
    this.vscodeLoad = new VsCodeLoadView(ctx);
    this.grid = h('div', { class: 'chart-grid' });
    this.notice = h('div', { class: 'notice', attrs: { role: 'status' } });
    setShown(this.notice, false);
    this.topBody = h('tbody');
    this.topNote = h('p', { class: 'muted small' });
    this.topToggle = h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Rank processes by' } });
    this.who = new WhoDidIt(ctx);
    const table = h(
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
          h('th', { class: 'num', text: 'Avg CPU', attrs: { scope: 'col' } }),
          h('th', { class: 'num', text: 'Max CPU', attrs: { scope: 'col' } }),
          h('th', { class: 'num', text: 'Max memory', attrs: { scope: 'col' } }),
        ),
      ),
      this.topBody,
    );
    this.el = h(
      'section',
      { class: 'tab-panel', attrs: { id: 'panel-overview', role: 'tabpanel', 'aria-labelledby': 'tab-overview' } },
      this.notice,
      this.grid,
      h(
        'section',
        { class: 'card top-processes', attrs: { 'aria-label': 'Top processes in this range' } },
        h('div', { class: 'card-head' }, h('h2', { text: 'Top processes in this range' }), this.topToggle),
        h('div', { class: 'table-scroll' }, table),
        this.topNote,
      ),
      this.vscodeLoad.el,
    );
    this.rebuildCharts();
    this.renderTopToggle();
  }

  onMetrics(): void {
    const keys = overviewMetrics(overviewCharts(this.ctx.metrics));
    if (keys.join('\n') !== this.metricKeys.join('\n')) this.rebuildCharts();
  }

  private rebuildCharts(): void {
    for (const c of this.charts) c.destroy();
    this.defs = overviewCharts(this.ctx.metrics);
    this.metricKeys = overviewMetrics(this.defs);
    this.charts = this.defs.map((d) => {
      const chart: TimeChart = new TimeChart(d.spec, this.ctx.theme, {
        onZoom: (w) => this.ctx.zoom(w),
        onReset: () => this.ctx.resetZoom(),
        onPick: (t) => this.pick(t, chart.el),
      });
      return chart;
    });
    clear(this.grid);
    for (const c of this.charts) this.grid.append(c.el);
    this.grid.append(this.who.el);
    this.live = null;
    this.table = null;
  }

  onTheme(): void {
    for (const c of this.charts) c.reconfigure(null, this.ctx.theme);
    this.vscodeLoad.onTheme();
  }

  pause(): void {
    this.active = false;
    window.clearInterval(this.topTimer);
    this.topTimer = undefined;
  }

  load(): void {
    this.active = true;
    const gen = ++this.generation;
    const w = this.ctx.window();
    const width = this.charts[0]?.plotWidth() || this.grid.clientWidth - 80;
    const maxPoints = maxPointsFor(width);
    this.el.classList.add('loading');
    void this.ctx.request('history', { metrics: this.metricKeys, from: w.from, to: w.to, maxPoints }).then((res) => {
      if (gen !== this.generation) return;
      this.el.classList.remove('loading');
      if (!res) return;
      this.applyHistory(res, w, maxPoints);
    });
    this.loadTop();
    this.loadEvents();
    this.vscodeLoad.load();
    window.clearInterval(this.topTimer);
    this.topTimer = this.ctx.isLive()
      ? window.setInterval(() => {
          this.loadTop();
          this.loadEvents();
          this.vscodeLoad.load();
        }, LIVE_TOP_REFRESH_MS)
      : undefined;
  }

  private applyHistory(res: HistoryResult, w: TimeWindow, maxPoints: number): void {
    const cols = this.metricKeys.map((k) => res.series[k]?.avg ?? res.t.map(() => null));
    const shaped = shapeGaps(res.t, cols, res.bucketMs);
    if (this.ctx.isLive()) {
      this.live = new LiveTable(this.metricKeys, LIVE_WINDOW_MS / maxPoints);
      this.live.seed(shaped);
      this.table = null;
    } else {
      this.live = null;
      this.table = shaped;
    }
    this.render(w);
  }

  onLive(sample: LiveSample): void {
    if (!this.active || !this.live || !this.ctx.isLive()) return;
    if (!this.live.append(sample.t, (k) => sample.metrics[k])) return;
    this.live.trim(sample.t - LIVE_WINDOW_MS);
    if (this.renderQueued) return;
    this.renderQueued = true;
    requestAnimationFrame(() => {
      this.renderQueued = false;
      if (this.live && this.ctx.isLive()) this.render({ from: sample.t - LIVE_WINDOW_MS, to: sample.t });
    });
  }

  private render(w: TimeWindow): void {
    const table = this.live ? this.live.table() : this.table;
    if (!table) return;
    const index = new Map(this.metricKeys.map((k, i) => [k, i]));
    const col = (m: string): Column => {
      const i = index.get(m);
      return i === undefined ? table.t.map(() => null) : (table.cols[i] ?? []);
    };
    const empty = table.t.length === 0;
    this.defs.forEach((d, i) => this.charts[i]?.setData(table.t, d.columns(col), w));
    this.drawEvents(w);
    this.renderNotice(empty);
  }

  /** The answer opens right under the row of the chart that was clicked, across the grid. */
  private pick(t: number, chart: HTMLElement): void {
    let rowEnd: Element = chart;
    for (let next = chart.nextElementSibling; next instanceof HTMLElement && next !== this.who.el; next = next.nextElementSibling) {
      if (next.offsetTop !== chart.offsetTop) break;
      rowEnd = next;
    }
    if (rowEnd.nextElementSibling !== this.who.el) rowEnd.after(this.who.el);
    this.who.ask(t);
  }

  private loadEvents(): void {
    const gen = this.generation;
    const w = this.ctx.window();
    void this.ctx.request('alerts', { from: w.from, to: w.to }).then((events) => {
      if (gen !== this.generation || !events) return;
      this.events = events;
      this.drawEvents(this.ctx.isLive() && this.ctx.latest ? { from: this.ctx.latest.t - LIVE_WINDOW_MS, to: this.ctx.latest.t } : w);
    });
  }

  private drawEvents(w: TimeWindow): void {
    const bands = eventBands(this.events, w, this.ctx.latest?.t ?? Date.now());
    for (const c of this.charts) c.setBands(bands);
  }

  private renderNotice(empty: boolean): void {
    clear(this.notice);
    if (!empty) {
      setShown(this.notice, false);
      return;
    }
    const st = this.ctx.status;
    const paused = st !== null && !st.recording && st.role !== 'viewer';
    const live = this.ctx.isLive();
    const text = paused
      ? 'Nothing was recorded in this range, and recording is paused.'
      : live
        ? 'No samples yet. Vitals records every few seconds; the charts fill in on their own.'
        : 'Nothing was recorded in this range: Vitals was not running then, or the data has been rolled up and evicted.';
    this.notice.append(icon(paused ? 'debug-pause' : live ? 'pulse' : 'info'), h('span', { text }));
    if (paused)
      this.notice.append(button('Resume Recording', { kind: 'primary', icon: 'play', onClick: () => this.ctx.setRecording(true) }));
    else if (!live)
      this.notice.append(button('Show Live', { icon: 'pulse', onClick: () => this.ctx.update({ range: { kind: 'live' }, zoom: null }) }));
    setShown(this.notice, true);
  }

  private renderTopToggle(): void {
    clear(this.topToggle);
    for (const [by, label] of [
      ['cpu', 'CPU'],
      ['memory', 'Memory'],
    ] as const) {
      const b = button(label, {
        kind: 'secondary',
        onClick: () => {
          this.ctx.update({ topBy: by });
          this.renderTopToggle();
          this.loadTop();
        },
      });
      b.setAttribute('aria-pressed', String(this.ctx.state.topBy === by));
      this.topToggle.append(b);
    }
  }

  private loadTop(): void {
    const gen = this.generation;
    const w = this.ctx.window();
    void this.ctx.request('topProcesses', { from: w.from, to: w.to, by: this.ctx.state.topBy, limit: TOP_LIMIT }).then((rows) => {
      if (gen !== this.generation || !rows) return;
      this.renderTop(rows);
    });
  }

  private renderTop(rows: TopProcessRow[]): void {
    clear(this.topBody);
    if (rows.length === 0) {
      this.topBody.append(h('tr', {}, h('td', { class: 'muted', text: 'No processes recorded in this range.', attrs: { colspan: 5 } })));
    }
    for (const r of rows) {
      const open = (): void => this.ctx.openProcess({ kind: 'process', pid: r.pid, startTime: r.startTime, name: r.name });
      this.topBody.append(
        h(
          'tr',
          { class: 'clickable', on: { click: open } },
          h(
            'td',
            { class: 'name-cell' },
            h('button', {
              class: 'link',
              text: r.name || `pid ${r.pid}`,
              title: r.command ? `${r.command}\n\nShow the history of this process` : 'Show the history of this process',
              attrs: { type: 'button' },
              on: {
                click: (e) => {
                  e.stopPropagation();
                  open();
                },
              },
            }),
          ),
          h('td', { class: 'num', text: String(r.pid) }),
          h('td', { class: 'num', text: formatPercent(r.cpuAvg) }),
          h('td', { class: 'num', text: formatPercent(r.cpuMax) }),
          h('td', { class: 'num', text: formatBytes(r.rssMaxBytes) }),
        ),
      );
    }
    this.topNote.textContent = 'CPU in % of one core (200% = two full cores). Select a process to see its history.';
  }
}
