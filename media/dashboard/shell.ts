// The dashboard's frame around the tabs: the tab strip and status chip, the banners, the range bar
// with its custom-range form and zoom chip, and the three tab panels below. It builds that DOM once
// and redraws it from the app's state; what its buttons do goes through the AppContext.

import type { DashboardTab } from '../../src/shared/dashboardProtocol';
import { renderBanners, showError } from './banners';
import type { AppContext, TabView } from './context';
import { button, clear, h, icon, setShown } from './dom';
import { formatBytes, formatWhen } from '../../src/shared/format';
import type { Connection } from './messageLoop';
import { customRangeProblem, fromDatetimeLocal, PRESETS, resolveRange, toDatetimeLocal, type RangeSpec } from './range';

const TABS: { id: DashboardTab; label: string; icon: string }[] = [
  { id: 'overview', label: 'Overview', icon: 'graph-line' },
  { id: 'process', label: 'Process', icon: 'server-process' },
  { id: 'events', label: 'Events', icon: 'bell' },
  { id: 'storage', label: 'Storage', icon: 'database' },
];

export class Shell {
  private readonly tabButtons = new Map<DashboardTab, HTMLButtonElement>();
  private readonly banners: HTMLElement;
  private readonly statusChip: HTMLElement;
  private readonly rangeArea: HTMLElement;
  private readonly rangeButtons = new Map<string, HTMLButtonElement>();
  private readonly custom: HTMLElement;
  private readonly customFrom: HTMLInputElement;
  private readonly customTo: HTMLInputElement;
  private readonly customError: HTMLElement;
  private readonly zoomChip: HTMLElement;

  /** Replaces whatever `root` holds. `refresh` reloads the current tab (the Refresh button). */
  constructor(
    root: HTMLElement,
    private readonly ctx: AppContext,
    private readonly views: Readonly<Record<DashboardTab, TabView>>,
    refresh: () => void,
  ) {
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
        onClick: () => (spec ? ctx.update({ range: spec, zoom: null }) : this.openCustom()),
      });
      this.rangeButtons.set(id, b);
      segments.append(b);
    };
    addRange('live', 'Live', { kind: 'live' }, 'pulse');
    for (const p of PRESETS) addRange(p.preset, p.label, { kind: 'preset', preset: p.preset });
    addRange('custom', 'Custom…', null, 'calendar');
    this.rangeButtons.get('custom')?.setAttribute('aria-expanded', 'false');
    const rangeBar = h(
      'div',
      { class: 'range-bar' },
      segments,
      this.zoomChip,
      h('span', { class: 'spacer' }),
      button('Export this range…', { kind: 'icon', icon: 'export', onClick: () => this.exportRange() }),
      button('Refresh', { kind: 'icon', icon: 'refresh', onClick: refresh }),
    );
    this.rangeArea = h('div', { class: 'range-area' }, rangeBar, this.custom);

    clear(root);
    root.append(
      h('header', { class: 'top' }, tablist, h('span', { class: 'spacer' }), this.statusChip),
      this.banners,
      this.rangeArea,
      views.overview.el,
      views.process.el,
      views.events.el,
      views.storage.el,
    );
    setShown(this.custom, false);
  }

  /** Redraws everything from the app's state. */
  render(connection: Connection): void {
    const state = this.ctx.state;
    for (const [id, b] of this.tabButtons) {
      const on = id === state.tab;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
    for (const [id, v] of Object.entries(this.views)) setShown(v.el, id === state.tab);
    const r = state.range;
    const current = r.kind === 'live' ? 'live' : r.kind === 'preset' ? r.preset : 'custom';
    for (const [id, b] of this.rangeButtons) b.setAttribute('aria-pressed', String(id === current));
    setShown(this.rangeArea, state.tab !== 'storage');
    this.renderZoom();
    this.renderStatus();
    this.renderBanners(connection);
  }

  renderBanners(connection: Connection): void {
    renderBanners(this.banners, connection, this.ctx);
  }

  showError(text: string): void {
    showError(this.banners, text);
  }

  /** Closes the custom-range form if open, giving the focus back to its button unless told not to. */
  closeCustom(focus = true): void {
    if (this.custom.hidden) return;
    setShown(this.custom, false);
    const b = this.rangeButtons.get('custom');
    b?.setAttribute('aria-expanded', 'false');
    if (focus) b?.focus();
  }

  private selectTab(tab: DashboardTab): void {
    if (tab !== this.ctx.state.tab) this.ctx.update({ tab });
  }

  /** Arrow keys, Home and End move between tabs, as in any tablist. */
  private tabKey(e: KeyboardEvent, tab: DashboardTab): void {
    const i = TABS.findIndex((t) => t.id === tab);
    const next =
      e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[(next + TABS.length) % TABS.length];
    if (!t) return;
    this.selectTab(t.id);
    this.tabButtons.get(t.id)?.focus();
  }

  private openCustom(): void {
    const w = this.ctx.window();
    this.customFrom.value = toDatetimeLocal(w.from);
    this.customTo.value = toDatetimeLocal(w.to);
    this.customError.textContent = '';
    setShown(this.custom, true);
    this.rangeButtons.get('custom')?.setAttribute('aria-expanded', 'true');
    this.customFrom.focus();
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
    this.ctx.update({ range: { kind: 'custom', from, to }, zoom: null });
  }

  private exportRange(): void {
    const w = this.ctx.window();
    const { process: p, tab } = this.ctx.state;
    void this.ctx.request(
      'export',
      p?.kind === 'process' && tab === 'process' ? { from: w.from, to: w.to, pid: p.pid } : { from: w.from, to: w.to },
    );
  }

  private renderZoom(): void {
    clear(this.zoomChip);
    const z = this.ctx.state.zoom;
    const r = this.ctx.state.range;
    if (!z && r.kind !== 'custom') {
      setShown(this.zoomChip, false);
      return;
    }
    const w = z ?? resolveRange(r, Date.now());
    const ref = Date.now();
    this.zoomChip.append(icon(z ? 'zoom-in' : 'calendar'), h('span', { text: `${formatWhen(w.from, ref)} – ${formatWhen(w.to, ref)}` }));
    if (z)
      this.zoomChip.append(
        button('Reset zoom (or double-click a chart)', { kind: 'icon', icon: 'discard', onClick: () => this.ctx.resetZoom() }),
      );
    setShown(this.zoomChip, true);
  }

  private renderStatus(): void {
    clear(this.statusChip);
    const s = this.ctx.status;
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
    const host = this.ctx.info?.hostname ? ` on ${this.ctx.info.hostname}` : '';
    this.statusChip.title =
      s.role === 'viewer' && s.recorder
        ? `Another VS Code window (pid ${s.recorder.pid} on ${s.recorder.host}) records; this one shows its data.`
        : `${text}${host} · database ${formatBytes(s.databaseSizeBytes)}`;
    this.statusChip.append(icon(iconName), h('span', { text }));
    if (s.databaseSizeBytes > 0) this.statusChip.append(h('span', { class: 'muted', text: ` · ${formatBytes(s.databaseSizeBytes)}` }));
  }
}
