// The Storage tab: the backend's HealthReport in words and bars (size against the cap, rows per
// tier, what time span is on record, the retention in force, flush and checkpoint, the recorder's
// own cost) and the maintenance actions.

import type { HealthReport } from '../../src/backend/index';
import type { StorageHealth } from '../../src/shared/dashboardProtocol';
import type { AppContext, TabView } from './context';
import { button, clear, h, icon } from './dom';
import {
  formatAgo,
  formatBytes,
  formatCount,
  formatDateTime,
  formatDuration,
  formatWholePercent,
  MISSING,
  percentOf,
} from '../../src/shared/format';
import { ownCostFacts, recorderState, samplingText, sizeAgainstCap, tableLabel } from '../../src/shared/healthText';

const REFRESH_MS = 10_000;

export class StorageView implements TabView {
  readonly el: HTMLElement;
  private readonly body: HTMLElement;
  private readonly actions: HTMLElement;
  private timer: number | undefined;
  private gen = 0;
  private last: StorageHealth | null = null;

  constructor(private readonly ctx: AppContext) {
    this.body = h('div', { class: 'storage-grid' });
    this.actions = h('div', { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Storage actions' } });
    this.el = h(
      'section',
      { class: 'tab-panel', attrs: { id: 'panel-storage', role: 'tabpanel', 'aria-labelledby': 'tab-storage' } },
      this.actions,
      this.body,
    );
    this.body.append(h('p', { class: 'muted', text: 'Reading the storage report…' }));
    this.renderActions();
  }

  load(): void {
    this.fetch();
    window.clearInterval(this.timer);
    this.timer = window.setInterval(() => this.fetch(), REFRESH_MS);
  }

  pause(): void {
    window.clearInterval(this.timer);
    this.timer = undefined;
  }

  onLive(): void {}
  onTheme(): void {}

  private fetch(): void {
    const gen = ++this.gen;
    void this.ctx.request('health', {}).then((res) => {
      if (gen !== this.gen || !res) return;
      this.last = res;
      this.render(res);
      this.renderActions();
    });
  }

  private renderActions(): void {
    clear(this.actions);
    const report = this.last?.report;
    const backups = this.last?.backups ?? null;
    const act = (p: Promise<unknown>): void => void p.then(() => this.fetch());
    this.actions.append(
      button('Export…', {
        icon: 'export',
        title: 'Export recorded history to CSV or JSON',
        onClick: () =>
          act(this.ctx.request('export', { from: report?.oldestSample ?? 0, to: Math.max(Date.now(), report?.newestSample ?? 0) })),
      }),
    );
    // Only offered where backups are a thing on this machine: some exist already.
    if (backups && backups.length > 0)
      this.actions.append(button('Back Up Now', { icon: 'save', onClick: () => act(this.ctx.request('backupNow', {})) }));
    this.actions.append(
      button('Clear History…', { icon: 'trash', onClick: () => act(this.ctx.request('clearHistory', {})) }),
      button('Open Settings', { icon: 'settings-gear', onClick: () => void this.ctx.request('openSettings', {}) }),
      button('Copy as JSON', { icon: 'copy', onClick: () => void this.ctx.request('copyHealthJson', {}) }),
      button('Refresh', { kind: 'icon', icon: 'refresh', onClick: () => this.fetch() }),
    );
  }

  private render({ report: r, backups }: StorageHealth): void {
    clear(this.body);
    const now = Date.now();
    this.body.append(
      this.databaseCard(r),
      this.recordCard(r, now),
      this.rowsCard(r),
      this.retentionCard(r),
      this.durabilityCard(r, now),
      this.costCard(r),
    );
    if (backups !== null) this.body.append(this.backupsCard(backups, now));
  }

  private card(title: string, iconName: string, ...children: (Node | null)[]): HTMLElement {
    return h('section', { class: 'card' }, h('h2', {}, icon(iconName), h('span', { text: title })), ...children);
  }

  private facts(rows: [string, string | Node, string?][]): HTMLElement {
    const dl = h('dl', { class: 'facts' });
    for (const [k, v, cls] of rows) dl.append(h('dt', { text: k }), h('dd', { class: cls ?? '' }, v));
    return dl;
  }

  private databaseCard(r: HealthReport): HTMLElement {
    // Until the first checkpoint there is no file; what counts against the cap is then in memory.
    const written = r.databaseSizeBytes > 0;
    const size = sizeAgainstCap(r);
    const share = percentOf(size, r.capBytes);
    const meter = h('div', {
      class: `meter${share >= 90 ? ' high' : ''}`,
      attrs: {
        role: 'meter',
        'aria-label': 'Database size against the cap',
        'aria-valuemin': 0,
        'aria-valuemax': r.capBytes,
        'aria-valuenow': size,
        'aria-valuetext': `${formatBytes(size)} of ${formatBytes(r.capBytes)}`,
      },
    });
    const fill = h('div', { class: 'meter-fill' });
    // CSSOM property writes are allowed under the CSP (style attributes in markup are not).
    fill.style.width = `${Math.min(100, Math.max(0, share)).toFixed(1)}%`;
    meter.append(fill);
    return this.card(
      'Database',
      'database',
      h(
        'p',
        { class: 'big' },
        h('strong', { text: formatBytes(size) }),
        h('span', { class: 'muted', text: ` of ${formatBytes(r.capBytes)} cap (${formatWholePercent(share)})` }),
      ),
      meter,
      this.facts([
        ['Size on disk', written ? formatBytes(r.databaseSizeBytes) : 'not written yet (at the first checkpoint)'],
        ['In memory', formatBytes(r.liveSizeBytes)],
        ['File', h('code', { class: 'path', text: r.databasePath })],
      ]),
    );
  }

  private recordCard(r: HealthReport, now: number): HTMLElement {
    const span = r.oldestSample !== null && r.newestSample !== null ? formatDuration(r.newestSample - r.oldestSample) : MISSING;
    const state = recorderState(r);
    const rows: [string, string | Node, string?][] = [
      ['State', state, r.recording || r.role === 'viewer' ? 'ok' : 'warn'],
      ['Oldest sample', r.oldestSample === null ? 'none yet' : `${formatDateTime(r.oldestSample)} (${formatAgo(r.oldestSample, now)})`],
      ['Newest sample', r.newestSample === null ? 'none yet' : `${formatDateTime(r.newestSample)} (${formatAgo(r.newestSample, now)})`],
      ['Span on record', span],
    ];
    const card = this.card('Recording', 'record', this.facts(rows));
    if (!r.recording && r.role === 'recorder')
      card.append(button('Resume Recording', { kind: 'primary', icon: 'play', onClick: () => this.ctx.setRecording(true) }));
    return card;
  }

  private rowsCard(r: HealthReport): HTMLElement {
    const entries = Object.entries(r.rowCounts);
    const total = entries.reduce((s, [, n]) => s + n, 0);
    const table = h('table', { class: 'data-table compact' });
    const body = h('tbody');
    for (const [k, n] of entries)
      body.append(h('tr', {}, h('td', { text: tableLabel(k) }), h('td', { class: 'num', text: formatCount(n) })));
    body.append(h('tr', { class: 'total' }, h('td', { text: 'Total' }), h('td', { class: 'num', text: formatCount(total) })));
    table.append(body);
    return this.card('Rows per tier', 'table', entries.length ? table : h('p', { class: 'muted', text: 'No tables reported.' }));
  }

  private retentionCard(r: HealthReport): HTMLElement {
    const p = r.retention;
    return this.card(
      'Retention in force',
      'history',
      this.facts([
        ['Raw system samples', `${p.rawSystemHours} h`],
        ['Raw process samples', `${p.rawProcessMinutes} min`],
        ['1-minute rollups', `${p.minuteDays} d, top ${p.topNMinute} processes`],
        ['1-hour rollups', `${p.hourDays} d, top ${p.topNHour} processes`],
        ['Size cap', `${p.maxDatabaseMB} MB (oldest evicted first)`],
      ]),
    );
  }

  private durabilityCard(r: HealthReport, now: number): HTMLElement {
    const ev = (e: HealthReport['lastFlush']): string =>
      e ? `${formatAgo(e.at, now)}${e.durationMs === null ? '' : `, took ${formatDuration(e.durationMs)}`}` : 'not yet';
    return this.card(
      'Durability',
      'shield',
      this.facts([
        ['Last flush', ev(r.lastFlush)],
        ['Last checkpoint', ev(r.lastCheckpoint)],
        ['Journal', formatBytes(r.journalBytes)],
        ['Dropped samples', formatCount(r.samplesDropped), r.samplesDropped > 0 ? 'warn' : ''],
      ]),
    );
  }

  private costCard(r: HealthReport): HTMLElement {
    return this.card(
      'The monitor’s own cost',
      'dashboard',
      this.facts([...ownCostFacts(r.self), ...(r.sampling ? ([['Sampling', samplingText(r.sampling)]] as [string, string][]) : [])]),
    );
  }

  private backupsCard(backups: NonNullable<StorageHealth['backups']>, now: number): HTMLElement {
    if (backups.length === 0)
      return this.card(
        'Backups',
        'archive',
        h('p', {
          class: 'muted',
          text: 'No backups yet. Vitals keeps daily backups beside the database unless they are turned off in the settings.',
        }),
      );
    const newest = [...backups].sort((a, b) => b.createdAt - a.createdAt)[0];
    const total = backups.reduce((s, b) => s + b.sizeBytes, 0);
    return this.card(
      'Backups',
      'archive',
      this.facts([
        ['Kept', `${backups.length} (${formatBytes(total)})`],
        ['Newest', newest ? `${formatDateTime(newest.createdAt)} (${formatAgo(newest.createdAt, now)})` : MISSING],
        ['Where', newest ? h('code', { class: 'path', text: newest.path }) : MISSING],
      ]),
    );
  }
}
