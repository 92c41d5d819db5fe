// The dashboard app: the state of the view (tab, range, zoom, process; kept in VS Code's webview
// state so it survives a reload or hide/show) and the wiring of the three parts — the message
// loop with the extension (messageLoop.ts), the frame around the tabs (shell.ts) and the tabs.

import type { BackendStatus, StaticInfo } from '../../src/backend/index';
import type {
  DashboardMethod,
  DashboardParams,
  DashboardResult,
  DashboardTab,
  DashboardTarget,
  LiveSample,
} from '../../src/shared/dashboardProtocol';
import type { AppContext, TabView } from './context';
import { MessageLoop, type InitEvent } from './messageLoop';
import { EventsView } from './eventsTab';
import { OverviewView } from './overview';
import { ProcessView } from './processTab';
import { LIVE_WINDOW_MS, PRESETS, resolveRange, zoomWindow, type TimeWindow } from './range';
import type { ProcessChoice } from './series';
import { Shell } from './shell';
import { parseState, type PersistedState } from './state';
import { StorageView } from './storageTab';
import { onThemeChange, readTheme, type Theme } from './theme';

/** Presets move with the clock; refresh them this often while shown. */
const PRESET_REFRESH_MS = 60_000;

export class App implements AppContext {
  state: PersistedState;
  theme: Theme;

  private readonly loop: MessageLoop;
  private readonly views: Record<DashboardTab, TabView>;
  private readonly shell: Shell;
  private presetTimer: number | undefined;

  constructor(
    private readonly api: VsCodeWebviewApi,
    root: HTMLElement,
  ) {
    this.state = parseState(api.getState());
    this.theme = readTheme();
    // Its events only come from messages and timers, so after this constructor has run.
    this.loop = new MessageLoop(api, {
      onInit: (e) => this.onInit(e),
      onLive: (sample) => this.views[this.state.tab].onLive(sample),
      onStatus: (recovered) => {
        this.renderChrome();
        if (recovered) this.reload();
      },
      onShow: (target) => this.applyTarget(target, true),
      onConnection: () => this.shell.renderBanners(this.loop.connection),
      onRequestFailed: (text) => this.shell.showError(text),
    });
    this.views = {
      overview: new OverviewView(this),
      process: new ProcessView(this),
      events: new EventsView(this),
      storage: new StorageView(this),
    };
    this.shell = new Shell(root, this, this.views, () => this.reload());
    onThemeChange(() => {
      this.theme = readTheme();
      for (const v of Object.values(this.views)) v.onTheme();
    });
    this.renderChrome();
  }

  start(): void {
    this.loop.start();
  }

  // ---------------------------------------------------------------------------------------------
  // AppContext

  get info(): StaticInfo | null {
    return this.loop.info;
  }

  get status(): BackendStatus | null {
    return this.loop.status;
  }

  get metrics(): readonly string[] {
    return this.loop.metrics;
  }

  get latest(): LiveSample | null {
    return this.loop.latest;
  }

  window(): TimeWindow {
    if (this.state.zoom) return this.state.zoom;
    const now = this.state.range.kind === 'live' && this.latest ? Math.max(this.latest.t, Date.now()) : Date.now();
    return resolveRange(this.state.range, now);
  }

  isLive(): boolean {
    return this.state.range.kind === 'live' && this.state.zoom === null;
  }

  request<M extends DashboardMethod>(method: M, params: DashboardParams<M>): Promise<DashboardResult<M> | null> {
    return this.loop.request(method, params);
  }

  zoom(w: TimeWindow): void {
    const z = zoomWindow(w.from, w.to);
    if (z) this.update({ zoom: z });
  }

  resetZoom(): void {
    if (this.state.zoom) this.update({ zoom: null });
  }

  openProcess(choice: ProcessChoice, range?: TimeWindow): void {
    this.update({ process: choice, tab: 'process', ...(range ? { range: { kind: 'custom', ...range }, zoom: null } : {}) });
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
    if (patch.range) this.shell.closeCustom(false);
    this.renderChrome();
    if (!this.loop.initialized) return;
    if (patch.tab !== undefined && patch.tab !== before.tab) this.views[before.tab].pause();
    if (rangeChanged || patch.tab !== undefined || patch.process !== undefined) this.reload();
  }

  // ---------------------------------------------------------------------------------------------

  private onInit({ first, metricsChanged, target }: InitEvent): void {
    if (metricsChanged) this.views.overview.onMetrics?.();
    if (target) this.applyTarget(target, false);
    this.renderChrome();
    if (first || target || this.isLive()) this.reload();
  }

  private reload(): void {
    if (!this.loop.initialized) return;
    const tab = this.state.tab;
    for (const [id, v] of Object.entries(this.views)) if (id !== tab) v.pause();
    this.views[tab].load();
    window.clearInterval(this.presetTimer);
    this.presetTimer =
      this.state.range.kind === 'preset' && !this.state.zoom && tab !== 'storage'
        ? window.setInterval(() => this.views[this.state.tab].load(), PRESET_REFRESH_MS)
        : undefined;
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
    if (t.range) {
      patch.range = { kind: 'custom', from: t.range.from, to: t.range.to };
      patch.zoom = null;
    }
    if (reload) this.update(patch);
    else {
      this.state = { ...this.state, ...patch };
      this.api.setState(this.state);
    }
  }

  private renderChrome(): void {
    this.shell.render(this.loop.connection);
  }
}
