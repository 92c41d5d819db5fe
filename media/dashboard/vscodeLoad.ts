// The Overview's "VS Code" card: CPU and memory of VS Code's processes by extension (or by role)
// over the chosen range, as two charts and a "top extensions" table, from one loadByGroup query.
// It is history only (the query reads the tiers); in live mode it is asked again every 15 s, like
// the top processes table.

import type { LoadByGroupResult, LoadGroupBy } from '../../src/backend/index';
import { formatBytes, formatCount, formatPercent } from '../../src/shared/format';
import { TimeChart } from './chart';
import type { AppContext } from './context';
import { button, clear, h } from './dom';
import { maxPointsFor, type TimeWindow } from './range';
import { loadCharts, topGroupRows } from './vscodeLoadCharts';

/** Groups asked for: the table's rows (the charts draw the first few). */
const GROUP_LIMIT = 20;

export class VsCodeLoadView {
  readonly el: HTMLElement;
  private readonly body: HTMLTableSectionElement;
  private readonly note: HTMLElement;
  private readonly toggle: HTMLElement;
  private readonly nameHead: HTMLElement;
  private readonly cpuChart: TimeChart;
  private readonly memChart: TimeChart;
  private by: LoadGroupBy = 'extension';
  private generation = 0;
  private seriesKey = '';

  constructor(private readonly ctx: AppContext) {
    const events = { onZoom: (w: TimeWindow) => ctx.zoom(w), onReset: () => ctx.resetZoom() };
    const empty = loadCharts({ from: 0, to: 1, tier: 'raw', bucketMs: 1, t: [], by: 'extension', groups: [] });
    this.cpuChart = new TimeChart(empty.cpu, ctx.theme, events);
    this.memChart = new TimeChart(empty.memory, ctx.theme, events);
    this.body = h('tbody');
    this.note = h('p', { class: 'muted small' });
    this.toggle = h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Group VS Code’s processes by' } });
    this.nameHead = h('th', { text: 'Extension', attrs: { scope: 'col' } });
    const table = h(
      'table',
      { class: 'data-table top-extensions' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          this.nameHead,
          h('th', { class: 'num', text: 'Processes', attrs: { scope: 'col' } }),
          h('th', { class: 'num', text: 'Avg CPU', attrs: { scope: 'col' } }),
          h('th', { class: 'num', text: 'Max CPU', attrs: { scope: 'col' } }),
          h('th', { class: 'num', text: 'Max memory', attrs: { scope: 'col' } }),
        ),
      ),
      this.body,
    );
    this.el = h(
      'section',
      { class: 'card vscode-load', attrs: { 'aria-label': 'VS Code by extension' } },
      h('div', { class: 'card-head' }, h('h2', { text: 'VS Code in this range' }), this.toggle),
      h('div', { class: 'chart-grid two' }, this.cpuChart.el, this.memChart.el),
      h('h3', { class: 'sub-head', text: 'Top extensions' }),
      h('div', { class: 'table-scroll' }, table),
      this.note,
    );
    this.renderToggle();
  }

  onTheme(): void {
    this.cpuChart.reconfigure(null, this.ctx.theme);
    this.memChart.reconfigure(null, this.ctx.theme);
  }

  load(): void {
    const gen = ++this.generation;
    const w = this.ctx.window();
    const maxPoints = maxPointsFor(this.cpuChart.plotWidth() || 400);
    const by = this.by;
    void this.ctx.request('loadByGroup', { from: w.from, to: w.to, by, maxPoints, limit: GROUP_LIMIT }).then((res) => {
      if (gen !== this.generation || !res) return;
      this.render(res, w);
    });
  }

  private render(res: LoadByGroupResult, w: TimeWindow): void {
    const charts = loadCharts(res);
    const key = `${res.by}|${charts.cpu.series.map((s) => s.label).join('\n')}`;
    if (key !== this.seriesKey) {
      this.seriesKey = key;
      this.cpuChart.reconfigure(charts.cpu, null);
      this.memChart.reconfigure(charts.memory, null);
    }
    const none =
      res.by === 'extension'
        ? 'No extension’s processes were recorded in this range.'
        : 'No VS Code processes were recorded in this range.';
    this.cpuChart.setData(charts.cpuTable.t, charts.cpuTable.cols, w, none);
    this.memChart.setData(charts.memoryTable.t, charts.memoryTable.cols, w, none);
    this.renderTable(res);
  }

  private renderTable(res: LoadByGroupResult): void {
    this.nameHead.textContent = res.by === 'extension' ? 'Extension' : 'Role';
    clear(this.body);
    const rows = topGroupRows(res);
    if (rows.length === 0)
      this.body.append(
        h('tr', {}, h('td', { class: 'muted', text: 'Nothing VS Code started was recorded in this range.', attrs: { colspan: 5 } })),
      );
    for (const r of rows)
      this.body.append(
        h(
          'tr',
          {},
          h('td', { class: 'name-cell', text: r.label, title: r.key }),
          h('td', { class: 'num', text: formatCount(r.processes) }),
          h('td', { class: 'num', text: formatPercent(r.cpuAvg) }),
          h('td', { class: 'num', text: formatPercent(r.cpuMax) }),
          h('td', { class: 'num', text: formatBytes(r.rssMaxBytes) }),
        ),
      );
    this.note.textContent =
      res.by === 'extension'
        ? 'Processes an extension started (language servers, linters, debug adapters), summed per extension. What runs inside the extension host itself cannot be split per extension.'
        : 'VS Code’s processes summed by what they are. CPU in % of one core.';
  }

  private renderToggle(): void {
    clear(this.toggle);
    for (const [by, label] of [
      ['extension', 'By extension'],
      ['role', 'By role'],
    ] as const) {
      const b = button(label, {
        kind: 'secondary',
        onClick: () => {
          this.by = by;
          this.renderToggle();
          this.load();
        },
      });
      b.setAttribute('aria-pressed', String(this.by === by));
      this.toggle.append(b);
    }
  }
}
