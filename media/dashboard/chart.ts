// One time-series chart: a titled figure around a uPlot instance. It sizes itself to its container
// (ResizeObserver), takes its colours from the theme, reports drag-selections as zoom requests and
// double-clicks as resets, draws start/exit marks and alert bands, reports a click (or Enter on the
// keyboard cursor) at a moment as a who-did-it pick, and says so when the range holds no data.

import uPlot from 'uplot';
import { withAlpha } from './color';
import { h, setShown } from './dom';
import { formatDateTime, formatValue } from '../../src/shared/format';
import { formatAxis, timeTicks } from './axis';
import type { TimeWindow } from './range';
import type { Column } from './series';
import type { Theme } from './theme';
import type { Band, ChartColor, ChartSpec, Mark } from './chartTypes';
import { stepCursor } from './events';

export type { Band, ChartColor, ChartSpec, Mark } from './chartTypes';

export interface ChartEvents {
  onZoom(w: TimeWindow): void;
  onReset(): void;
  /** A click without a drag, or Enter on the keyboard cursor: who was busy at `t`? */
  onPick?(t: number): void;
}

/** A pointer that moved less than this between press and release clicked rather than dragged. */
const CLICK_SLOP_PX = 3;

/** Byte axes step in powers of two (512 MB, 1 GB, 2 GB), not in decimal millions. */
const BYTE_INCRS: number[] = [];
for (let k = 0; k <= 5; k++) for (const m of [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]) BYTE_INCRS.push(m * 1024 ** k);

const DEFAULT_HEIGHT = 170;

const emptyData = (spec: ChartSpec): uPlot.AlignedData => [[], ...spec.series.map(() => [])] as uPlot.AlignedData;

export class TimeChart {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly empty: HTMLElement;
  private u: uPlot | null = null;
  private data: uPlot.AlignedData;
  private window: TimeWindow = { from: 0, to: 1 };
  private marks: Mark[] = [];
  private bands: Band[] = [];
  /** The keyboard cursor's data index; null when the chart is not driven from the keyboard. */
  private keyIdx: number | null = null;
  private readonly resize: ResizeObserver;
  private width = 0;
  private fitQueued = false;

  constructor(
    private spec: ChartSpec,
    private theme: Theme,
    private readonly events: ChartEvents,
  ) {
    this.data = emptyData(spec);
    this.body = h('div', { class: 'chart-body' });
    this.empty = h('div', { class: 'chart-empty', text: 'No data recorded in this range.' });
    setShown(this.empty, false);
    const frame = h('div', { class: 'chart-frame' }, this.body, this.empty);
    if (events.onPick) {
      frame.tabIndex = 0;
      frame.classList.add('pickable');
      frame.setAttribute(
        'aria-label',
        `${spec.title}: left and right arrows move the cursor, Enter shows the processes that were busy at that moment`,
      );
      frame.addEventListener('keydown', (e) => this.onKey(e));
      frame.addEventListener('blur', () => this.clearKeyCursor());
    }
    this.el = h(
      'figure',
      { class: 'chart', attrs: { 'aria-label': spec.title } },
      h('figcaption', { class: 'chart-title', text: spec.title }),
      frame,
    );
    // Resizing the chart inside the observer's callback would change the layout it observes and
    // trip the browser's "ResizeObserver loop" error: resize on the next frame instead.
    this.resize = new ResizeObserver(() => {
      if (this.fitQueued) return;
      this.fitQueued = true;
      requestAnimationFrame(() => {
        this.fitQueued = false;
        this.fit();
      });
    });
    this.resize.observe(this.body);
  }

  get id(): string {
    return this.spec.id;
  }

  /** Width of the plotting area in CSS pixels (0 while hidden). */
  plotWidth(): number {
    return this.u ? this.u.bbox.width / devicePixelRatio : Math.max(0, this.body.clientWidth - 70);
  }

  setData(t: number[], cols: Column[], window: TimeWindow, emptyText?: string): void {
    this.data = [t, ...this.spec.series.map((_, i) => cols[i] ?? t.map(() => null))] as uPlot.AlignedData;
    this.window = window;
    const hasData = cols.some((c) => c.some((v) => v !== null && v !== undefined));
    this.empty.textContent = emptyText ?? 'No data recorded in this range.';
    setShown(this.empty, !hasData);
    if (this.u) {
      this.u.setData(this.data, false);
      this.u.setScale('x', { min: window.from, max: window.to });
      this.legendAtLatest(this.u);
    } else this.fit();
  }

  setMarks(marks: Mark[]): void {
    this.marks = marks;
    this.u?.redraw(false, false);
  }

  setBands(bands: Band[]): void {
    this.bands = bands;
    this.u?.redraw(false, false);
  }

  /** New series (cores or mounts appeared) or a new theme: the uPlot instance is rebuilt. */
  reconfigure(spec: ChartSpec | null, theme: Theme | null): void {
    if (spec) {
      if (spec.series.length !== this.spec.series.length) this.data = emptyData(spec);
      this.spec = spec;
      this.el.setAttribute('aria-label', spec.title);
      const cap = this.el.querySelector('.chart-title');
      if (cap) cap.textContent = spec.title;
    }
    if (theme) this.theme = theme;
    this.u?.destroy();
    this.u = null;
    this.fit();
  }

  private fit(): void {
    const width = Math.floor(this.body.clientWidth);
    if (width <= 0) return; // Hidden tab: built when it is shown.
    const height = this.spec.height ?? DEFAULT_HEIGHT;
    if (!this.u) {
      this.width = width;
      this.u = new uPlot(this.options(width, height), this.data, this.body);
      this.legendAtLatest(this.u);
      return;
    }
    if (width !== this.width) {
      this.width = width;
      this.u.setSize({ width, height });
    }
  }

  private color(c: ChartColor): string {
    if (typeof c === 'object') return this.theme.palette[c.palette % this.theme.palette.length] as string;
    return this.theme[c];
  }

  private options(width: number, height: number): uPlot.Options {
    const th = this.theme;
    const unit = this.spec.unit;
    const yMax = this.spec.yMax;
    const axis: uPlot.Axis = {
      stroke: th.muted,
      font: th.font,
      grid: { stroke: th.grid, width: 1 },
      ticks: { stroke: th.grid, width: 1, size: 4 },
    };
    return {
      width,
      height,
      ms: 1,
      // Room on the right for the last time label, which uPlot centres on its tick.
      padding: [10, 20, 0, 0],
      legend: { live: true },
      cursor: {
        sync: { key: this.spec.syncKey },
        drag: { x: true, y: false, setScale: false },
        points: { size: 6 },
        // Our double-click resets the zoom to the picked range, not to the data's extent.
        bind: { dblclick: () => null },
      },
      select: { show: true, left: 0, top: 0, width: 0, height: 0 },
      scales: {
        x: { time: true, range: () => [this.window.from, this.window.to] },
        y: {
          range: (_u, _min, max) => {
            if (yMax !== undefined) return [0, Math.max(yMax, max ?? 0)];
            const top = max !== null && max !== undefined && max > 0 ? max * 1.1 : 1;
            return [0, top];
          },
        },
      },
      axes: [
        { ...axis, space: 64, values: (_u, splits, _i, _space, incr) => timeTicks(splits, incr) },
        {
          ...axis,
          size: 62,
          values: (_u, splits) => splits.map((v) => formatAxis(unit, v)),
          ...(unit === 'bytes' || unit === 'rate' ? { incrs: BYTE_INCRS } : {}),
        },
      ],
      series: [
        { label: 'Time', value: (_u, v) => formatDateTime(v) },
        ...this.spec.series.map((s): uPlot.Series => {
          const stroke = this.color(s.color);
          return {
            label: s.label,
            stroke,
            width: s.width ?? 1.5,
            ...(s.dash ? { dash: s.dash } : {}),
            ...(s.fill ? { fill: withAlpha(stroke, th.kind.startsWith('high-contrast') ? 0.25 : 0.12) } : {}),
            spanGaps: false,
            value: (_u, v) => formatValue(unit, v),
          };
        }),
      ],
      hooks: {
        setSelect: [
          (u) => {
            const sel = u.select;
            if (sel.width >= 4) {
              const a = u.posToVal(sel.left, 'x');
              const b = u.posToVal(sel.left + sel.width, 'x');
              this.events.onZoom({ from: Math.min(a, b), to: Math.max(a, b) });
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
        ready: [
          (u) => {
            u.over.addEventListener('dblclick', () => this.events.onReset());
            u.over.title = this.events.onPick
              ? 'Click a moment to see who was busy; drag to zoom in; double-click to reset'
              : 'Drag to zoom in; double-click to reset';
            if (this.events.onPick) this.bindPick(u);
          },
        ],
        drawClear: [(u) => this.drawBands(u)],
        draw: [(u) => this.drawMarks(u)],
        setCursor: [(u) => this.legendAtLatest(u)],
      },
    };
  }

  /** Away from the cursor the legend shows the latest values rather than dashes. */
  private legendAtLatest(u: uPlot): void {
    if (u.cursor.idx !== null && u.cursor.idx !== undefined) return;
    const t = this.data[0];
    for (let i = t.length - 1; i >= 0; i--) {
      if (this.data.slice(1).some((c) => c[i] !== null && c[i] !== undefined)) {
        u.setLegend({ idx: i }, false);
        return;
      }
    }
  }

  /** The theme's font at the canvas's device-pixel scale. */
  private canvasFont(px: number): string {
    return this.theme.font.replace(/^(\d+)px/, (_m, n: string) => `${Number(n) * px}px`);
  }

  /** A press and release in (nearly) the same place is a pick; a drag stays a zoom. */
  private bindPick(u: uPlot): void {
    let down: { x: number; y: number } | null = null;
    u.over.addEventListener('mousedown', (e) => {
      down = e.button === 0 ? { x: e.clientX, y: e.clientY } : null;
    });
    u.over.addEventListener('mouseup', (e) => {
      const d = down;
      down = null;
      if (!d || Math.abs(e.clientX - d.x) > CLICK_SLOP_PX || Math.abs(e.clientY - d.y) > CLICK_SLOP_PX) return;
      const left = e.clientX - u.over.getBoundingClientRect().left;
      const t = u.posToVal(left, 'x');
      if (Number.isFinite(t)) this.events.onPick?.(t);
    });
  }

  private onKey(e: KeyboardEvent): void {
    const u = this.u;
    if (!u) return;
    const t = this.data[0];
    if (e.key === 'Enter' || e.key === ' ') {
      if (this.keyIdx === null) return;
      const at = t[this.keyIdx];
      e.preventDefault();
      if (at !== undefined) this.events.onPick?.(at);
      return;
    }
    if (e.key === 'Escape') {
      this.clearKeyCursor();
      return;
    }
    const next = stepCursor(this.keyIdx, e.key, e.shiftKey, t.length);
    if (next === null) return;
    e.preventDefault();
    this.keyIdx = next;
    const at = t[next];
    if (at === undefined) return;
    u.setCursor({ left: u.valToPos(at, 'x'), top: u.over.clientHeight / 2 });
  }

  private clearKeyCursor(): void {
    if (this.keyIdx === null) return;
    this.keyIdx = null;
    this.u?.setCursor({ left: -10, top: -10 });
  }

  /** Alert events under the series: a shaded span, a strip along the top, the rule's name. */
  private drawBands(u: uPlot): void {
    if (this.bands.length === 0) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = devicePixelRatio;
    const hc = this.theme.kind.startsWith('high-contrast');
    ctx.save();
    ctx.font = this.canvasFont(px);
    ctx.textBaseline = 'bottom';
    let labelEnd = -Infinity;
    for (const b of this.bands) {
      const x0 = Math.max(left, Math.round(u.valToPos(b.from, 'x', true)));
      // A moment-long event still gets a visible sliver.
      const x1 = Math.min(left + width, Math.max(x0 + 3 * px, Math.round(u.valToPos(b.to, 'x', true))));
      if (x1 < left || x0 > left + width) continue;
      const color = b.active ? this.theme.red : this.theme.orange;
      ctx.fillStyle = withAlpha(color, hc ? 0.3 : b.active ? 0.16 : 0.12);
      ctx.fillRect(x0, top, x1 - x0, height);
      ctx.fillStyle = color;
      ctx.fillRect(x0, top, x1 - x0, 3 * px);
      const textW = ctx.measureText(b.label).width;
      // Inside the band from its start; where that would leave the plot, just left of the band.
      const tx = x0 + 2 * px + textW <= left + width ? x0 + 2 * px : Math.max(left, x0 - 2 * px - textW);
      // Labels that would run into the previous one are left out; the band itself still shows.
      if (tx > labelEnd) {
        ctx.fillText(b.label, tx, top + height - 2 * px);
        labelEnd = tx + textW + 6 * px;
      }
    }
    ctx.restore();
  }

  private drawMarks(u: uPlot): void {
    if (this.marks.length === 0) return;
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = devicePixelRatio;
    ctx.save();
    ctx.font = this.canvasFont(px);
    ctx.lineWidth = px;
    ctx.setLineDash([4 * px, 3 * px]);
    ctx.textBaseline = 'top';
    const taken: [number, number][] = [];
    for (const m of this.marks) {
      if (m.t < this.window.from || m.t > this.window.to) continue;
      const x = Math.round(u.valToPos(m.t, 'x', true));
      if (x < left || x > left + width) continue;
      const color = m.kind === 'start' ? this.theme.green : this.theme.red;
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (!m.label) continue;
      // Start labels sit left of their line and exit labels right, so a short life's pair does
      // not overlap; either flips inside when it would leave the plot.
      const textW = ctx.measureText(m.label).width;
      const gap = 3 * px;
      let tx = m.kind === 'start' ? x - gap - textW : x + gap;
      if (tx < left) tx = x + gap;
      if (tx + textW > left + width) tx = x - gap - textW;
      // A label that would overlap one already drawn is left out; its line still shows.
      if (taken.some(([a, b]) => tx < b + gap && tx + textW > a - gap)) continue;
      taken.push([tx, tx + textW]);
      ctx.fillText(m.label, tx, top + 2 * px);
    }
    ctx.restore();
  }

  destroy(): void {
    this.resize.disconnect();
    this.u?.destroy();
    this.u = null;
    this.el.remove();
  }
}
