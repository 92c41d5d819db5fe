// The dashboard app: tabs, range picker, status and problem banners, and the message loop with the
// extension. State that must survive a reload or hide/show lives in VS Code's webview state.

import type { BackendStatus, StaticInfo } from '../../src/backend/index';
import type { DashboardMethod, DashboardParams, DashboardResult, DashboardTab, DashboardTarget, LiveSample } from '../../src/extension/dashboard/protocol';
import type { AppContext, TabView } from './context';
import { button, clear, h, icon, setShown } from './dom';
import { formatBytes, formatWhen } from '../../src/shared/format';
import { OverviewView } from './overview';
import { ProcessView } from './processTab';
import {
  customRangeProblem,
  fromDatetimeLocal,
  LIVE_WINDOW_MS,
  PRESETS,
  resolveRange,
  toDatetimeLocal,
  zoomWindow,
  type RangeSpec,
  type TimeWindow,
} from './range';
import { RequestError, Rpc, type PushMessage } from './rpc';
import type { ProcessChoice } from './series';
import { parseState, type PersistedState } from './state';
import { StorageView } from './storageTab';
import { onThemeChange, readTheme, type Theme } from './theme';
import { errorText } from '../../src/shared/errors';

const TABS: { id: DashboardTab; label: string; icon: string }[] = [
  { id: 'overview', label: 'Overview', icon: 'graph-line' },
  { id: 'process', label: 'Process', icon: 'server-process' },
  { id: 'storage', label: 'Storage', icon: 'database' },
];

const SUPPORTED_PLATFORMS = ['linux', 'darwin', 'win32'];
/** Presets move with the clock; refresh them this often while shown. */
const PRESET_REFRESH_MS = 60_000;
const SLOW_BACKEND_MS = 8_000;

type Connection = 'connecting' | 'slow' | 'ready' | 'restarting';

export class App implements AppContext {
  state: PersistedState;
  theme: Theme;
  info: StaticInfo | null = null;
  status: BackendStatus | null = null;
  metrics: string[] = [];
  latest: LiveSample | null = null;

  private readonly rpc: Rpc;
  private connection: Connection = 'connecting';
  private initialized = false;
  private queuedTarget: DashboardTarget | null = null;
  private readonly views: Record<DashboardTab, TabView>;
  private readonly tabButtons = new Map<DashboardTab, HTMLButtonElement>();
  private readonly banners: HTMLElement;
  private readonly statusChip: HTMLElement;
  private readonly rangeBar: HTMLElement;
  private readonly rangeButtons = new Map<string, HTMLButtonElement>();
  private readonly custom: HTMLElement;
  private readonly customFrom: HTMLInputElement;
  private readonly customTo: HTMLInputElement;
  private readonly customError: HTMLElement;
  private readonly zoomChip: HTMLElement;
  private presetTimer: number | undefined;

  constructor(
    private readonly api: VsCodeWebviewApi,
    root: HTMLElement,
  ) {
    this.state = parseState(api.getState());
    this.theme = readTheme();
    this.rpc = new Rpc(api, (m) => this.onPush(m));

    const tablist = h('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Dashboard sections' } });
    for (const t of TABS) {
      const b = h(
        'button',
        {
          class: 'tab',
          attrs: { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}` },
          on: { click: () => this.selectTab(t.id), keydown: (e) => this.tabKey(e, t.id) },
        },
        icon(t.icon),
        h('span', { text: t.label }),
      );
      this.tabButtons.set(t.id, b);
      tablist.append(b);
    }
    this.statusChip = h('div', { class: 'status-chip', attrs: { role: 'status' } });
    this.banners = h('div', { class: 'banners', attrs: { 'aria-live': 'polite' } });

    this.customFrom = h('input', { attrs: { type: 'datetime-local', 'aria-label': 'Start of the range' } });
    this.customTo = h('input', { attrs: { type: 'datetime-local', 'aria-label': 'End of the range' } });
    this.customError = h('span', { class: 'error-text', attrs: { role: 'alert' } });
    this.custom = h(
      'form',
      {
        class: 'custom-range',
        on: {
          submit: (e) => (e.preventDefault(), this.applyCustom()),
          keydown: (e) => {
            if (e.key === 'Escape') this.closeCustom();
          },
        },
      },
      h('label', {}, h('span', { text: 'From' }), this.customFrom),
      h('label', {}, h('span', { text: 'To' }), this.customTo),
      h('button', { class: 'btn btn-primary', text: 'Apply', attrs: { type: 'submit' } }),
      button('Cancel', { onClick: () => this.closeCustom() }),
      this.customError,
    );
    this.zoomChip = h('div', { class: 'zoom-chip' });
    const segments = h('div', { class: 'segmented', attrs: { role: 'group', 'aria-label': 'Time range' } });
    const addRange = (id: string, label: string, spec: RangeSpec | null, iconName?: string): void => {
      const b = button(label, {
        icon: iconName,
        onClick: () => (spec ? this.update({ range: spec, zoom: null }) : this.openCustom()),
      });
      this.rangeButtons.set(id, b);
      segments.append(b);
    };
    addRange('live', 'Live', { kind: 'live' }, 'pulse');
    for (const p of PRESETS) addRange(p.preset, p.label, { kind: 'preset', preset: p.preset });
    addRange('custom', 'Custom…', null, 'calendar');
    this.rangeButtons.get('custom')?.setAttribute('aria-expanded', 'false');
    this.rangeBar = h(
      'div',
      { class: 'range-bar' },
      segments,
      this.zoomChip,
      h('span', { class: 'spacer' }),
      button('Export this range…', { kind: 'icon', icon: 'export', onClick: () => this.exportRange() }),
      button('Refresh', { kind: 'icon', icon: 'refresh', onClick: () => this.reload() }),
    );

    this.views = { overview: new OverviewView(this), process: new ProcessView(this), storage: new StorageView(this) };
    clear(root);
    root.append(
      h('header', { class: 'top' }, tablist, h('span', { class: 'spacer' }), this.statusChip),
      this.banners,
      h('div', { class: 'range-area' }, this.rangeBar, this.custom),
      this.views.overview.el,
      this.views.process.el,
      this.views.storage.el,
    );
    setShown(this.custom, false);
    onThemeChange(() => {
      this.theme = readTheme();
      for (const v of Object.values(this.views)) v.onTheme();
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && this.initialized) this.rpc.send({ kind: 'ready' });
    });
    this.renderChrome();
  }

  start(): void {
    this.rpc.send({ kind: 'ready' });
    window.setTimeout(() => {
      if (this.connection === 'connecting') {
        this.connection = 'slow';
        this.renderBanners();
      }
    }, SLOW_BACKEND_MS);
  }

  // ---------------------------------------------------------------------------------------------
  // AppContext

  window(): TimeWindow {
    if (this.state.zoom) return this.state.zoom;
    const now = this.state.range.kind === 'live' && this.latest ? Math.max(this.latest.t, Date.now()) : Date.now();
    return resolveRange(this.state.range, now);
  }

  isLive(): boolean {
    return this.state.range.kind === 'live' && this.state.zoom === null;
  }

  async request<M extends DashboardMethod>(method: M, params: DashboardParams<M>): Promise<DashboardResult<M> | null> {
    try {
      const r = await this.rpc.request(method, params);
      if (this.connection === 'restarting') {
        this.connection = 'ready';
        this.renderBanners();
      }
      return r;
    } catch (err) {
      if (err instanceof RequestError && err.code === 'not-ready') {
        this.connection = 'restarting';
        this.renderBanners();
      } else {
        this.rpc.log('warn', `${method} failed: ${errorText(err)}`);
        this.showError(`${method === 'history' || method === 'processHistory' ? 'Loading the charts' : `The ${method} request`} failed: ${errorText(err)}`);
      }
      return null;
    }
  }

  zoom(w: TimeWindow): void {
    const z = zoomWindow(w.from, w.to);
    if (z) this.update({ zoom: z });
  }

  resetZoom(): void {
    if (this.state.zoom) this.update({ zoom: null });
  }

  openProcess(choice: ProcessChoice): void {
    this.update({ process: choice, tab: 'process' });
    // The choice may come from far down a table; its charts are at the top.
    window.scrollTo({ top: 0 });
  }

  setRecording(enabled: boolean): void {
    void this.request('setRecording', { enabled });
  }

  /** Changes state, saves it, and reloads what depends on the change. */
  update(patch: Partial<PersistedState>): void {
    const before = this.state;
    this.state = { ...before, ...patch };
    this.api.setState(this.state);
    const rangeChanged = patch.range !== undefined || patch.zoom !== undefined;
    if (patch.range) this.closeCustom(false);
    this.renderChrome();
    if (!this.initialized) return;
    if (patch.tab !== undefined && patch.tab !== before.tab) this.views[before.tab].pause();
    if (rangeChanged || patch.tab !== undefined || patch.process !== undefined) this.reload();
  }

  // ---------------------------------------------------------------------------------------------

  private selectTab(tab: DashboardTab): void {
    if (tab !== this.state.tab) this.update({ tab });
  }

  private tabKey(e: KeyboardEvent, tab: DashboardTab): void {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[(next + TABS.length) % TABS.length];
    if (!t) return;
    this.selectTab(t.id);
    this.tabButtons.get(t.id)?.focus();
  }

  private reload(): void {
    if (!this.initialized) return;
    const tab = this.state.tab;
    for (const [id, v] of Object.entries(this.views)) if (id !== tab) v.pause();
    this.views[tab].load();
    window.clearInterval(this.presetTimer);
    this.presetTimer =
      this.state.range.kind === 'preset' && !this.state.zoom && tab !== 'storage'
        ? window.setInterval(() => this.views[this.state.tab].load(), PRESET_REFRESH_MS)
        : undefined;
  }

  private onPush(msg: PushMessage): void {
    switch (msg.kind) {
      case 'init': {
        const first = !this.initialized;
        this.info = msg.info;
        this.status = msg.status;
        this.latest = msg.latest;
        const metricsChanged = msg.metrics.join('\n') !== this.metrics.join('\n');
        this.metrics = msg.metrics;
        this.connection = 'ready';
        this.initialized = true;
        if (metricsChanged) this.views.overview.onMetrics?.();
        const target = msg.target ?? this.queuedTarget;
        this.queuedTarget = null;
        if (target) this.applyTarget(target, false);
        this.renderChrome();
        if (first || target || this.isLive()) this.reload();
        return;
      }
      case 'live':
        if (!this.initialized) return;
        this.latest = msg.sample;
        this.views[this.state.tab].onLive(msg.sample);
        return;
      case 'status': {
        const wasDown = this.connection === 'restarting' || this.status === null || this.status.role === 'stopped';
        this.status = msg.status;
        if (this.connection === 'restarting' && msg.status.role !== 'stopped') this.connection = 'ready';
        this.renderChrome();
        if (wasDown && msg.status.role !== 'stopped' && this.initialized) this.reload();
        return;
      }
      case 'show':
        if (!this.initialized) {
          this.queuedTarget = msg.target;
          return;
        }
        this.applyTarget(msg.target, true);
        return;
      case 'resync':
        // The panel was hidden and shown again while this document survived: start over from init.
        if (this.initialized) this.rpc.send({ kind: 'ready' });
        return;
    }
  }

  private applyTarget(t: DashboardTarget, reload: boolean): void {
    const patch: Partial<PersistedState> = {};
    if (t.process) {
      patch.process = { kind: 'process', pid: t.process.pid, startTime: t.process.startTime, name: t.process.name };
      patch.tab = 'process';
      // From live, widen to the shortest range that reaches back to the process's start.
      if (this.state.range.kind === 'live') {
        const now = this.latest?.t ?? Date.now();
        if (t.process.startTime < now - LIVE_WINDOW_MS) {
          const fit = PRESETS.find((p) => now - p.ms <= t.process!.startTime) ?? PRESETS[PRESETS.length - 1];
          if (fit) patch.range = { kind: 'preset', preset: fit.preset };
        }
      }
      patch.zoom = null;
    }
    if (t.tab) patch.tab = t.tab;
    if (reload) this.update(patch);
    else {
      this.state = { ...this.state, ...patch };
      this.api.setState(this.state);
    }
  }

  private openCustom(): void {
    const w = this.window();
    this.customFrom.value = toDatetimeLocal(w.from);
    this.customTo.value = toDatetimeLocal(w.to);
    this.customError.textContent = '';
    setShown(this.custom, true);
    this.rangeButtons.get('custom')?.setAttribute('aria-expanded', 'true');
    this.customFrom.focus();
  }

  private closeCustom(focus = true): void {
    if (this.custom.hidden) return;
    setShown(this.custom, false);
    const b = this.rangeButtons.get('custom');
    b?.setAttribute('aria-expanded', 'false');
    if (focus) b?.focus();
  }

  private applyCustom(): void {
    const from = fromDatetimeLocal(this.customFrom.value);
    const to = fromDatetimeLocal(this.customTo.value);
    const problem = customRangeProblem(from, to, Date.now());
    if (problem || from === null || to === null) {
      this.customError.textContent = problem ?? 'Enter both a start and an end.';
      return;
    }
    this.customError.textContent = '';
    this.update({ range: { kind: 'custom', from, to }, zoom: null });
  }

  private exportRange(): void {
    const w = this.window();
    const p = this.state.process;
    void this.request('export', p?.kind === 'process' && this.state.tab === 'process' ? { from: w.from, to: w.to, pid: p.pid } : { from: w.from, to: w.to });
  }

  private showError(text: string): void {
    const el = h('div', { class: 'banner error', attrs: { role: 'alert' } }, icon('error'), h('span', { class: 'banner-text', text }));
    el.append(button('Dismiss', { kind: 'icon', icon: 'close', onClick: () => el.remove() }));
    this.banners.querySelector('.banner.error.transient')?.remove();
    el.classList.add('transient');
    this.banners.append(el);
  }

  private renderChrome(): void {
    for (const [id, b] of this.tabButtons) {
      const on = id === this.state.tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const [id, v] of Object.entries(this.views)) setShown(v.el, id === this.state.tab);
    const r = this.state.range;
    const current = r.kind === 'live' ? 'live' : r.kind === 'preset' ? r.preset : 'custom';
    for (const [id, b] of this.rangeButtons) b.setAttribute('aria-pressed', String(id === current));
    setShown(this.rangeBar.parentElement as HTMLElement, this.state.tab !== 'storage');
    this.renderZoom();
    this.renderStatus();
    this.renderBanners();
  }

  private renderZoom(): void {
    clear(this.zoomChip);
    const z = this.state.zoom;
    const r = this.state.range;
    if (!z && r.kind !== 'custom') {
      setShown(this.zoomChip, false);
      return;
    }
    const w = z ?? resolveRange(r, Date.now());
    const ref = Date.now();
    this.zoomChip.append(icon(z ? 'zoom-in' : 'calendar'), h('span', { text: `${formatWhen(w.from, ref)} – ${formatWhen(w.to, ref)}` }));
    if (z) this.zoomChip.append(button('Reset zoom (or double-click a chart)', { kind: 'icon', icon: 'discard', onClick: () => this.resetZoom() }));
    setShown(this.zoomChip, true);
  }

  private renderStatus(): void {
    clear(this.statusChip);
    const s = this.status;
    if (!s) {
      this.statusChip.append(icon('loading', 'codicon-modifier-spin'), h('span', { text: 'Starting' }));
      return;
    }
    const [iconName, text, cls] =
      s.role === 'stopped'
        ? ['circle-slash', 'Stopped', 'warn']
        : s.role === 'viewer'
          ? ['eye', 'Viewing', 'ok']
          : s.recording
            ? ['record', 'Recording', 'ok']
            : ['debug-pause', 'Paused', 'warn'];
    this.statusChip.className = `status-chip ${cls}`;
    const host = this.info?.hostname ? ` on ${this.info.hostname}` : '';
    this.statusChip.title =
      s.role === 'viewer' && s.recorder
        ? `Another VS Code window (pid ${s.recorder.pid} on ${s.recorder.host}) records; this one shows its data.`
        : `${text}${host} · database ${formatBytes(s.databaseSizeBytes)}`;
    this.statusChip.append(icon(iconName), h('span', { text }));
    if (s.databaseSizeBytes > 0) this.statusChip.append(h('span', { class: 'muted', text: ` · ${formatBytes(s.databaseSizeBytes)}` }));
  }

  private renderBanners(): void {
    for (const b of [...this.banners.children]) if (!b.classList.contains('transient')) b.remove();
    const add = (kind: 'info' | 'warn' | 'error', iconName: string, text: string, ...actions: HTMLElement[]): void => {
      this.banners.append(
        h('div', { class: `banner ${kind}`, attrs: { role: kind === 'error' ? 'alert' : 'status' } }, icon(iconName), h('span', { class: 'banner-text', text }), ...actions),
      );
    };
    const logs = (): HTMLButtonElement => button('Show Logs', { icon: 'output', onClick: () => void this.request('showLogs', {}) });
    if (this.connection === 'connecting') return;
    if (this.connection === 'slow') {
      add('warn', 'loading', 'Waiting for the Vitals backend to answer. If this stays, the logs say why.', logs());
      return;
    }
    if (this.connection === 'restarting') {
      add('warn', 'sync', 'The Vitals backend is restarting. The charts reload as soon as it is back.', logs());
      return;
    }
    const s = this.status;
    const platform = this.info?.platform;
    if (platform && !SUPPORTED_PLATFORMS.includes(platform)) {
      add('error', 'circle-slash', `Vitals cannot sample this platform (${platform}). History recorded elsewhere can still be viewed.`, logs());
      return;
    }
    if (!s) {
      add('info', 'loading', 'The Vitals backend is starting…');
      return;
    }
    if (s.role === 'stopped') {
      add('error', 'error', s.problem ? `Vitals is not recording: ${s.problem}` : 'The Vitals backend has stopped.', logs());
      return;
    }
    if (s.problem) add('warn', 'warning', s.problem, logs());
    if (s.role === 'recorder' && !s.recording)
      add('warn', 'debug-pause', 'Recording is paused: no new samples are stored. The charts show what was recorded before.', button('Resume Recording', { kind: 'primary', icon: 'play', onClick: () => this.setRecording(true) }));
  }
}
