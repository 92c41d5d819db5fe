// The status bar item: CPU and memory at a fixed width, the top processes in its tooltip, a warning
// or error background past the configured thresholds. Click opens the dashboard.

import * as vscode from 'vscode';
import type { Snapshot, UiConfig, ValidatedSettings } from '../../backend';
import type { WorkerConnection } from '../worker/connection';
import { CommandId } from '../commands/ids';
import { Throttle } from '../util/throttle';
import { statusAccessibilityLabel, statusFigures, statusSeverity, statusText, statusTooltipMarkdown, type Severity } from './format';
import type { AlertEvent } from '../../backend';
import { accessibilityAlerts, alertMarker, alertTooltipMarkdown } from '../alerts/text';

const BACKGROUND: Record<Severity, vscode.ThemeColor | undefined> = {
  normal: undefined,
  warning: new vscode.ThemeColor('statusBarItem.warningBackground'),
  error: new vscode.ThemeColor('statusBarItem.errorBackground'),
};

export class StatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly throttle: Throttle;
  private readonly disposables: vscode.Disposable[] = [];
  private config: UiConfig['statusBar'];
  private severity: Severity = 'normal';
  private shown = false;
  private alerts: readonly AlertEvent[] = [];

  constructor(
    private readonly backend: WorkerConnection,
    settings: ValidatedSettings,
    onSettings: vscode.Event<ValidatedSettings>,
  ) {
    this.config = settings.ui.statusBar;
    this.item = vscode.window.createStatusBarItem('vitals.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Vitals';
    this.item.command = CommandId.showDashboard;
    this.item.text = '$(pulse) Vitals';
    this.item.tooltip = 'Vitals is starting…';
    this.throttle = new Throttle(() => this.render(), settings.ui.viewRefreshMs);
    this.disposables.push(
      this.item,
      this.throttle,
      backend.onSnapshot(() => {
        if (this.config.enabled) this.throttle.request();
      }),
      onSettings((s) => {
        this.config = s.ui.statusBar;
        this.throttle.setInterval(s.ui.viewRefreshMs);
        this.applyVisibility();
        if (this.config.enabled) this.throttle.flush();
      }),
    );
    this.applyVisibility();
  }

  /** Whether the item is shown (tests: vscode.StatusBarItem does not tell). */
  get visible(): boolean {
    return this.shown;
  }

  /** The active alerts: marked before the figures, listed first in the tooltip. */
  setAlerts(alerts: readonly AlertEvent[]): void {
    this.alerts = alerts;
    if (this.config.enabled) this.throttle.flush();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private applyVisibility(): void {
    if (this.config.enabled) this.item.show();
    else {
      this.throttle.cancel();
      this.item.hide();
    }
    this.shown = this.config.enabled;
  }

  private render(): boolean {
    const snapshot: Snapshot | undefined = this.backend.lastSnapshot;
    if (!snapshot) return false;
    const figures = statusFigures(snapshot);
    this.severity = statusSeverity(figures, this.config);
    const marker = alertMarker(this.alerts.length);
    this.item.text = marker ? `${marker} ${statusText(figures)}` : statusText(figures);
    // An active alert is at least a warning, whatever the figures of this moment say.
    this.item.backgroundColor = BACKGROUND[this.severity === 'normal' && marker ? 'warning' : this.severity];
    this.item.accessibilityInformation = {
      label: statusAccessibilityLabel(figures) + accessibilityAlerts(this.alerts.length),
      role: 'button',
    };
    const md = new vscode.MarkdownString(
      alertTooltipMarkdown(this.alerts, snapshot.t) + statusTooltipMarkdown(snapshot, this.backend.info?.hostname, this.config),
      true,
    );
    md.isTrusted = false;
    this.item.tooltip = md;
    return true;
  }
}
