// Alerts in VS Code: keeps the recorder's active alerts (for the status bar and the commands),
// tells the recorder whether this window has the focus (so it picks one window to notify), and
// turns the alerts it is told to show into notifications through the AlertNotifier (grouped,
// throttled), with the actions Show History, Kill…, Snooze 1 h and Settings.

import * as vscode from 'vscode';
import type { AlertChange, AlertEvent } from '../../backend';
import type { Dashboard } from '../dashboard';
import type { DashboardTarget } from '../../shared/dashboardProtocol';
import { background, type Logger } from '../log';
import { CommandId } from '../commands/ids';
import { Emitter } from '../util/emitter';
import { realTimers, type Timers } from '../util/throttle';
import { AlertNotifier } from './notifier';
import { Action, ALERT_SETTINGS_QUERY, notificationActions, SNOOZE_MS } from './actions';
import { historyTarget, killTarget } from '../../shared/alertTargets';
import { notificationText } from './text';
import { errorText } from '../../shared/errors';

/** An alert change, and whether this window is the one to show its notification. */
export type AlertsChangeHere = AlertChange & { here: boolean };

/** What the alerts UI needs of the backend (alertsBackend.ts implements it over the worker). */
export interface AlertsBackend {
  readonly onAlert: vscode.Event<AlertsChangeHere>;
  /** The recorder changed (restart, takeover): what was known is stale. */
  readonly onRecorderChange: vscode.Event<void>;
  activeAlerts(): Promise<AlertEvent[]>;
  snooze(alert: AlertEvent, forMs: number): Promise<void>;
  reportFocus(focused: boolean): Promise<void>;
}

/** What a notification offered (integration tests read these; nobody else). */
export interface ShownNotification {
  message: string;
  actions: string[];
  alerts: string[];
}

const MAX_RECORDED = 50;

export class AlertsController implements vscode.Disposable {
  private readonly active = new Map<string, AlertEvent>();
  /**
   * Alerts snoozed from this window. The recorder keeps a snoozed alert active until its condition
   * ends (it only stops new ones for that culprit); here it stops nagging at once.
   */
  private readonly snoozed = new Set<string>();
  private readonly changeEmitter = new Emitter<readonly AlertEvent[]>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly notifier: AlertNotifier<AlertEvent>;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly shown: ShownNotification[] = [];
  private readonly held: string[] = [];
  private refreshGen = 0;

  constructor(
    private readonly backend: AlertsBackend,
    private readonly dashboard: Dashboard,
    private readonly log: Logger,
    timers: Timers = realTimers,
  ) {
    this.notifier = new AlertNotifier<AlertEvent>(
      {
        show: (batch) => this.notify(batch),
        held: (batch) => {
          this.held.push(...batch.map((a) => a.id));
          if (this.held.length > MAX_RECORDED) this.held.splice(0, this.held.length - MAX_RECORDED);
          this.log.info(`Alerts not shown as a notification (one was shown recently): ${batch.map((a) => a.text).join('; ')}`);
        },
      },
      (a) => a.id,
      timers,
    );
    this.disposables.push(
      backend.onAlert((c) => this.onChange(c)),
      backend.onRecorderChange(() => {
        this.reportFocus(vscode.window.state.focused);
        this.refresh();
      }),
      vscode.window.onDidChangeWindowState((s) => this.reportFocus(s.focused)),
    );
  }

  /** Asks for the active alerts and reports the focus; call once the backend is starting. */
  start(): void {
    this.reportFocus(vscode.window.state.focused);
    this.refresh();
  }

  /** Active alerts, oldest first. */
  get current(): readonly AlertEvent[] {
    return [...this.active.values()].sort((a, b) => a.start - b.start || a.id.localeCompare(b.id));
  }

  /** Notifications shown so far in this session (newest last; integration tests). */
  get notifications(): readonly ShownNotification[] {
    return this.shown;
  }

  /** Ids of alerts kept out of notifications by the quiet time (integration tests). */
  get heldAlerts(): readonly string[] {
    return this.held;
  }

  find(id: string): AlertEvent | undefined {
    return this.active.get(id);
  }

  showHistory(a: AlertEvent): DashboardTarget {
    const target = historyTarget(a, Date.now());
    this.dashboard.show(target);
    return target;
  }

  async snooze(a: AlertEvent, forMs = SNOOZE_MS): Promise<void> {
    await this.backend.snooze(a, forMs);
    this.snoozed.add(a.id);
    this.notifier.ended(a);
    this.active.delete(a.id);
    this.fire();
  }

  /** Disposed with the controller (its commands, the status bar wiring). */
  own(...ds: vscode.Disposable[]): void {
    this.disposables.push(...ds);
  }

  dispose(): void {
    this.notifier.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.changeEmitter.dispose();
  }

  private onChange(c: AlertsChangeHere): void {
    if (c.change === 'started') {
      if (this.snoozed.has(c.alert.id)) return;
      this.active.set(c.alert.id, c.alert);
      if (c.here) this.notifier.started(c.alert);
    } else {
      this.active.delete(c.alert.id);
      this.snoozed.delete(c.alert.id);
      this.notifier.ended(c.alert);
    }
    this.fire();
  }

  private refresh(): void {
    const gen = ++this.refreshGen;
    this.backend.activeAlerts().then(
      (list) => {
        if (gen !== this.refreshGen) return;
        this.active.clear();
        for (const a of list) if (!this.snoozed.has(a.id)) this.active.set(a.id, a);
        this.fire();
      },
      (err: unknown) => this.log.debug(`Active alerts not available yet: ${errorText(err)}`),
    );
  }

  private reportFocus(focused: boolean): void {
    this.backend.reportFocus(focused).catch((err: unknown) => this.log.debug(`Reporting the window focus failed: ${errorText(err)}`));
  }

  private fire(): void {
    this.changeEmitter.fire(this.current, (err) => this.log.error('An alerts listener failed:', err));
  }

  private notify(batch: readonly AlertEvent[]): void {
    const message = notificationText(batch);
    const actions = notificationActions(batch);
    this.shown.push({ message, actions, alerts: batch.map((a) => a.id) });
    if (this.shown.length > MAX_RECORDED) this.shown.shift();
    this.log.info(`Notification: ${message}`);
    background(
      vscode.window.showWarningMessage(message, ...actions).then((choice) => (choice ? this.act(choice, batch) : undefined)),
      this.log,
      'Showing an alert',
    );
  }

  private async act(choice: string, batch: readonly AlertEvent[]): Promise<void> {
    const [first] = batch;
    if (!first) return;
    switch (choice) {
      case Action.showHistory:
        this.showHistory(first);
        return;
      case Action.kill: {
        const c = killTarget(first);
        if (c) await vscode.commands.executeCommand(CommandId.killProcess, { pid: c.pid, startTime: c.startTime, name: c.name });
        return;
      }
      case Action.snooze:
        await this.snooze(first);
        return;
      case Action.snoozeAll:
        for (const a of batch) await this.snooze(a);
        return;
      case Action.showAlerts:
        this.dashboard.show({ tab: 'events' });
        return;
      case Action.settings:
        await vscode.commands.executeCommand('workbench.action.openSettings', ALERT_SETTINGS_QUERY);
        return;
    }
  }
}
