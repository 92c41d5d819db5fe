// The Process tab: find a process by name or command line, then see its CPU and memory over the
// range, either for one process (pid + start time) or summed over every process with that name,
// with marks where processes started and exited and bands where an alert named it.
// ~430 lines: the search box, its result list and the chart are one view with one state (the chosen
// process and range); the pure series work lives in series.ts and the chart in chart.ts.

import type { ProcessHistoryResult, ProcessInfo } from '../../src/backend/index';
import type { AlertEvent } from '../../src/backend/index';
import type { LiveSample, ProcessMatch, SearchProcessesResult } from '../../src/shared/dashboardProtocol';
import { TimeChart, type ChartSpec, type Mark } from './chart';
import type { AppContext, TabView } from './context';
import { append, button, clear, h, icon, setShown } from './dom';
import { formatBytes, formatDateTime, formatPercent, formatWhen } from '../../src/shared/format';
import { LIVE_WINDOW_MS, maxPointsFor, type TimeWindow } from './range';
import { LiveTable, shapeGaps, sumMatching, type ProcessChoice, type Table } from './series';
import { eventBands, eventsOf } from './events';

const SEARCH_LIMIT = 60;
const MAX_MARKS = 40;
/** With more marks than this in view, they are drawn without labels (which would overlap). */
const LABELLED_MARKS = 12;
/** Rows shown before "Show all". */
const SHOWN_ROWS = 20;
const SYNC = 'vitals-process';

const key = (p: { pid: number; startTime: number }): string => `${p.pid}@${p.startTime}`;

function specs(): ChartSpec[] {
  return [
    {
      id: 'proc-cpu',
      title: 'CPU (% of one core)',
      unit: 'processCpu',
      syncKey: SYNC,
      series: [{ label: 'CPU', color: 'blue', width: 2, fill: true }],
    },
    {
      id: 'proc-mem',
      title: 'Memory (resident)',
      unit: 'bytes',
      syncKey: SYNC,
      series: [{ label: 'RSS', color: 'purple', width: 2, fill: true }],
    },
    {
      id: 'proc-io',
      title: 'Disk I/O',
      unit: 'rate',
      syncKey: SYNC,
      series: [
        { label: 'Read', color: 'green', fill: true },
        { label: 'Write', color: 'orange', fill: true },
      ],
    },
  ];
}

export class ProcessView implements TabView {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly names: HTMLElement;
  private readonly results: HTMLTableSectionElement;
  private readonly resultsNote: HTMLElement;
  private readonly selection: HTMLElement;
  private readonly selHead: HTMLElement;
  private readonly selMembers: HTMLElement;
  private readonly charts: TimeChart[];
  private searchTimer: number | undefined;
  private searchGen = 0;
  private historyGen = 0;
  private live: LiveTable | null = null;
  /** When the last live process sample shown here was taken (its I/O is bytes since the one before). */
  private lastProcessesAt: number | undefined;
  private table: Table | null = null;
  private infos: ProcessInfo[] = [];
  private lastSeenLive = new Map<string, number>();
  private active = false;
  private renderQueued = false;
  private lastMatches: ProcessMatch[] = [];
  private showAll = false;
  private events: AlertEvent[] = [];

  constructor(private readonly ctx: AppContext) {
    this.input = h('input', {
      class: 'search-input',
      attrs: {
        type: 'search',
        placeholder: 'Search processes by name or command line',
        'aria-label': 'Search processes',
        spellcheck: 'false',
      },
      on: {
        input: () => {
          this.ctx.update({ search: this.input.value });
          window.clearTimeout(this.searchTimer);
          this.searchTimer = window.setTimeout(() => this.search(), 250);
        },
        keydown: (e) => {
          if (e.key === 'Enter') {
            window.clearTimeout(this.searchTimer);
            this.search();
          }
        },
      },
    });
    this.input.value = ctx.state.search;
    this.names = h('div', { class: 'chips', attrs: { role: 'group', 'aria-label': 'All processes with one name' } });
    this.results = h('tbody');
    this.resultsNote = h('p', { class: 'muted small' });
    this.selHead = h('div', { class: 'selection-head' });
    this.selMembers = h('div', { class: 'members' });
    this.charts = specs().map((s) => new TimeChart(s, ctx.theme, { onZoom: (w) => ctx.zoom(w), onReset: () => ctx.resetZoom() }));
    this.selection = h(
      'section',
      { class: 'card selection', attrs: { 'aria-label': 'Selected process' } },
      this.selHead,
      h('div', { class: 'chart-grid two' }, ...this.charts.map((c) => c.el)),
      this.selMembers,
    );
    this.el = h(
      'section',
      { class: 'tab-panel', attrs: { id: 'panel-process', role: 'tabpanel', 'aria-labelledby': 'tab-process' } },
      h('div', { class: 'search-row' }, icon('search', 'search-icon'), this.input),
      this.selection,
      h(
        'section',
        { class: 'card', attrs: { 'aria-label': 'Matching processes' } },
        h('div', { class: 'card-head' }, h('h2', { text: 'Processes in this range' })),
        this.names,
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
                h('th', { text: 'Started', attrs: { scope: 'col' } }),
                h('th', { class: 'num', text: 'Avg CPU', attrs: { scope: 'col' } }),
                h('th', { class: 'num', text: 'Max CPU', attrs: { scope: 'col' } }),
                h('th', { class: 'num', text: 'Max memory', attrs: { scope: 'col' } }),
                h('th', { text: 'State', attrs: { scope: 'col' } }),
              ),
            ),
            this.results,
          ),
        ),
        this.resultsNote,
      ),
    );
  }

  onTheme(): void {
    for (const c of this.charts) c.reconfigure(null, this.ctx.theme);
  }

  pause(): void {
    this.active = false;
  }

  load(): void {
    this.active = true;
    if (this.input.value !== this.ctx.state.search) this.input.value = this.ctx.state.search;
    this.search();
    this.loadSelection();
  }

  private search(): void {
    const gen = ++this.searchGen;
    this.showAll = false;
    const w = this.ctx.window();
    void this.ctx.request('searchProcesses', { text: this.input.value.trim(), from: w.from, to: w.to, limit: SEARCH_LIMIT }).then((res) => {
      if (gen !== this.searchGen || !res) return;
      this.renderResults(res);
    });
  }

  private renderResults(res: SearchProcessesResult): void {
    this.lastMatches = res.matches;
    clear(this.names);
    const groups = res.names.filter((n) => n.count > 1).slice(0, 8);
    for (const g of groups)
      this.names.append(
        button(`All “${g.name}” (${g.count})`, {
          icon: 'layers',
          title: `CPU and memory of every process named ${g.name}, summed`,
          onClick: () => this.ctx.openProcess({ kind: 'name', name: g.name }),
        }),
      );
    setShown(this.names, groups.length > 0);
    clear(this.results);
    const now = this.ctx.latest?.t ?? Date.now();
    if (res.matches.length === 0) {
      const text = this.input.value.trim()
        ? `No process matching “${this.input.value.trim()}” in this range.`
        : 'No processes recorded in this range.';
      this.results.append(h('tr', {}, h('td', { class: 'muted', text, attrs: { colspan: 7 } })));
    }
    const sel = this.ctx.state.process;
    const shown = this.showAll ? res.matches : res.matches.slice(0, SHOWN_ROWS);
    for (const m of shown) {
      const choice: ProcessChoice = { kind: 'process', pid: m.pid, startTime: m.startTime, name: m.name };
      const selected = sel?.kind === 'process' && sel.pid === m.pid && sel.startTime === m.startTime;
      this.results.append(
        h(
          'tr',
          { class: `clickable${selected ? ' selected' : ''}`, on: { click: () => this.ctx.openProcess(choice) } },
          h(
            'td',
            { class: 'name-cell' },
            h('button', {
              class: 'link',
              text: m.name || `pid ${m.pid}`,
              title: m.command || m.name,
              attrs: { type: 'button', 'aria-current': selected ? 'true' : undefined },
              on: {
                click: (e) => {
                  e.stopPropagation();
                  this.ctx.openProcess(choice);
                },
              },
            }),
          ),
          h('td', { class: 'num', text: String(m.pid) }),
          h('td', { text: formatWhen(m.startTime, now) }),
          h('td', { class: 'num', text: formatPercent(m.cpuAvg) }),
          h('td', { class: 'num', text: formatPercent(m.cpuMax) }),
          h('td', { class: 'num', text: formatBytes(m.rssMaxBytes) }),
          h('td', {}, m.alive ? h('span', { class: 'pill ok', text: 'running' }) : h('span', { class: 'pill', text: 'exited' })),
        ),
      );
    }
    if (shown.length < res.matches.length)
      this.results.append(
        h(
          'tr',
          {},
          h(
            'td',
            { attrs: { colspan: 7 } },
            button(`Show all ${res.matches.length}`, {
              kind: 'link',
              onClick: () => {
                this.showAll = true;
                this.renderResults(res);
              },
            }),
          ),
        ),
      );
    const outside =
      res.outsideRange > 0 ? ` ${res.outsideRange} more with a matching name ran outside this range: pick a longer range to see them.` : '';
    this.resultsNote.textContent = this.input.value.trim()
      ? `Processes whose name matches, and the range’s busiest whose command line matches.${outside}`
      : 'The busiest processes of the range. Type to search by name or command line.';
  }

  private loadSelection(): void {
    const choice = this.ctx.state.process;
    setShown(this.selection, choice !== null);
    if (!choice) return;
    const gen = ++this.historyGen;
    const w = this.ctx.window();
    const maxPoints = maxPointsFor(this.charts[0]?.plotWidth() || this.el.clientWidth - 100);
    this.renderHead(choice, null);
    const select =
      choice.kind === 'process'
        ? { kind: 'process' as const, pid: choice.pid, startTime: choice.startTime }
        : { kind: 'name' as const, name: choice.name };
    this.selection.classList.add('loading');
    void this.ctx.request('processHistory', { select, from: w.from, to: w.to, maxPoints }).then((res) => {
      if (gen !== this.historyGen) return;
      this.selection.classList.remove('loading');
      if (!res) return;
      this.applyHistory(choice, res, w, maxPoints);
    });
    void this.ctx.request('alerts', { from: w.from, to: w.to }).then((events) => {
      if (gen !== this.historyGen || !events) return;
      this.events = eventsOf(events, choice);
      this.drawEvents(w);
    });
  }

  private drawEvents(w: TimeWindow): void {
    const bands = eventBands(this.events, w, this.ctx.latest?.t ?? Date.now());
    for (const c of this.charts) c.setBands(bands);
  }

  private applyHistory(choice: ProcessChoice, res: ProcessHistoryResult, w: TimeWindow, maxPoints: number): void {
    this.infos = res.processes;
    this.lastSeenLive.clear();
    const shaped = shapeGaps(res.t, [res.cpu.avg, res.rssBytes.avg, res.readBps.avg, res.writeBps.avg], res.bucketMs);
    this.lastProcessesAt = undefined;
    if (this.ctx.isLive()) {
      this.live = new LiveTable(['cpu', 'rss', 'read', 'write'], LIVE_WINDOW_MS / maxPoints);
      this.live.seed(shaped);
      this.table = null;
    } else {
      this.live = null;
      this.table = shaped;
    }
    this.renderHead(choice, res);
    this.render(w);
  }

  onLive(sample: LiveSample): void {
    const choice = this.ctx.state.process;
    if (!this.active || !choice || !this.live || !this.ctx.isLive()) return;
    // The cost governor sampled processes at an earlier tick: that list is on the chart already.
    if (sample.processesAt !== undefined && sample.processesAt !== sample.t) return;
    const sum = sumMatching(sample.processes, choice);
    // A process's I/O is bytes over the interval since the previous process sample: a rate needs
    // two samples seen here (the governor may have stretched the interval).
    const stepS = this.lastProcessesAt === undefined ? undefined : (sample.t - this.lastProcessesAt) / 1000;
    this.lastProcessesAt = sample.t;
    const rate = (bytes: number | null): number | null => (bytes === null || !stepS || stepS <= 0 ? null : bytes / stepS);
    const values: Record<string, number | null> = {
      cpu: sum.cpu,
      rss: sum.rssBytes,
      read: rate(sum.readBytes),
      write: rate(sum.writeBytes),
    };
    for (const p of sample.processes) {
      const hit = choice.kind === 'process' ? p.pid === choice.pid && p.startTime === choice.startTime : p.name === choice.name;
      if (!hit) continue;
      this.lastSeenLive.set(key(p), sample.t);
      if (!this.infos.some((i) => i.pid === p.pid && i.startTime === p.startTime))
        this.infos.push({
          pid: p.pid,
          ppid: 0,
          startTime: p.startTime,
          name: p.name,
          command: '',
          user: '',
          firstSeen: sample.t,
          lastSeen: sample.t,
        });
    }
    if (!this.live.append(sample.t, (k) => values[k] ?? null)) return;
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
    const empty =
      this.ctx.state.process?.kind === 'name' ? 'No process with this name ran in this range.' : 'This process did not run in this range.';
    this.charts[0]?.setData(table.t, [table.cols[0] ?? []], w, empty);
    this.charts[1]?.setData(table.t, [table.cols[1] ?? []], w, empty);
    this.charts[2]?.setData(table.t, [table.cols[2] ?? [], table.cols[3] ?? []], w, this.ioEmpty(table, empty));
    const marks = this.marks(w);
    for (const c of this.charts) c.setMarks(marks);
    this.drawEvents(w);
  }

  /** A process that ran but whose io file Vitals cannot read says so, rather than a flat 0. */
  private ioEmpty(table: { cols: (number | null)[][] }, ranEmpty: string): string {
    const ran = (table.cols[0] ?? []).some((v) => v !== null);
    const known = [table.cols[2], table.cols[3]].some((c) => (c ?? []).some((v) => v !== null));
    return ran && !known ? 'Disk I/O unknown: Vitals cannot read this process’s /proc/<pid>/io (another user’s process).' : ranEmpty;
  }

  /** Start marks where a process started inside the window, exit marks where one was last seen. */
  private marks(w: TimeWindow): Mark[] {
    const alive = new Set((this.ctx.latest?.processes ?? []).map(key));
    const many = this.infos.length > 1;
    const out: Mark[] = [];
    for (const p of this.infos) {
      const label = many ? ` ${p.pid}` : '';
      if (p.startTime >= w.from && p.startTime <= w.to) out.push({ t: p.startTime, kind: 'start', label: `start${label}` });
      // Only with a live sample to compare against can "not running now" be told apart.
      if (this.ctx.latest && !alive.has(key(p))) {
        const last = Math.max(p.lastSeen, this.lastSeenLive.get(key(p)) ?? 0);
        if (last >= w.from && last <= w.to) out.push({ t: last, kind: 'exit', label: `exit${label}` });
      }
    }
    const marks = out.sort((a, b) => a.t - b.t).slice(-MAX_MARKS);
    return marks.length > LABELLED_MARKS ? marks.map((m) => ({ ...m, label: '' })) : marks;
  }

  private renderHead(choice: ProcessChoice, res: ProcessHistoryResult | null): void {
    clear(this.selHead);
    clear(this.selMembers);
    const now = this.ctx.latest?.t ?? Date.now();
    const alive = new Set((this.ctx.latest?.processes ?? []).map(key));
    if (choice.kind === 'process') {
      const info = res?.processes.find((p) => p.pid === choice.pid && p.startTime === choice.startTime);
      const match = this.lastMatches.find((m) => m.pid === choice.pid && m.startTime === choice.startTime);
      const running = alive.has(key(choice));
      const command = info?.command || match?.command || '';
      append(
        this.selHead,
        h(
          'div',
          { class: 'selection-title' },
          icon('server-process'),
          h('h2', { text: choice.name || `pid ${choice.pid}` }),
          h('span', { class: 'muted', text: `pid ${choice.pid}` }),
          running
            ? h('span', { class: 'pill ok', text: 'running' })
            : h('span', { class: 'pill', text: this.ctx.latest ? 'exited' : 'not running here' }),
          h('span', { class: 'spacer' }),
          choice.name
            ? button(`All “${choice.name}”`, {
                icon: 'layers',
                title: `Sum every process named ${choice.name}`,
                onClick: () => this.ctx.openProcess({ kind: 'name', name: choice.name }),
              })
            : null,
          button('Close', { kind: 'icon', icon: 'close', onClick: () => this.ctx.update({ process: null }) }),
        ),
        h(
          'dl',
          { class: 'facts inline' },
          h('dt', { text: 'Started' }),
          h('dd', { text: formatDateTime(choice.startTime) }),
          info && !running && this.ctx.latest ? h('dt', { text: 'Last seen' }) : null,
          info && !running && this.ctx.latest ? h('dd', { text: formatWhen(info.lastSeen, now) }) : null,
          info?.user ? h('dt', { text: 'User' }) : null,
          info?.user ? h('dd', { text: info.user }) : null,
        ),
        command ? h('code', { class: 'command', text: command }) : null,
      );
      return;
    }
    const procs = res?.processes ?? [];
    const running = procs.filter((p) => alive.has(key(p))).length;
    this.selHead.append(
      h(
        'div',
        { class: 'selection-title' },
        icon('layers'),
        h('h2', { text: `All “${choice.name}”` }),
        h('span', {
          class: 'muted',
          text: res
            ? `${procs.length} process${procs.length === 1 ? '' : 'es'} in this range${this.ctx.latest ? `, ${running} running` : ''}`
            : '',
        }),
        h('span', { class: 'spacer' }),
        button('Close', { kind: 'icon', icon: 'close', onClick: () => this.ctx.update({ process: null }) }),
      ),
      h('p', { class: 'muted small', text: 'CPU and memory summed over every process with this name at each moment.' }),
    );
    if (procs.length > 0) {
      const list = h('ul', { class: 'member-list' });
      for (const p of procs.slice(0, 30)) {
        const pick = (): void => this.ctx.openProcess({ kind: 'process', pid: p.pid, startTime: p.startTime, name: p.name });
        list.append(
          h(
            'li',
            {},
            h('button', {
              class: 'link',
              text: `pid ${p.pid}`,
              title: p.command || p.name,
              attrs: { type: 'button' },
              on: { click: pick },
            }),
            h('span', {
              class: 'muted',
              text: ` ${formatWhen(p.startTime, now)} – ${alive.has(key(p)) ? 'running' : formatWhen(p.lastSeen, now)}`,
            }),
          ),
        );
      }
      if (procs.length > 30) list.append(h('li', { class: 'muted', text: `and ${procs.length - 30} more` }));
      this.selMembers.append(list);
    }
  }
}
