// The recorder's part in alerts: it runs the engine on each delivered snapshot, keeps which window
// has the focus (so exactly one window shows each notification), and hands every change to the
// monitor, which stores it and tells the windows. A viewer keeps only its own window id, for the day
// it becomes the recorder.
import type { Clock, Snapshot } from '../types';
import { AlertEngine } from './engine';
import type { AlertChange, AlertEvent, AlertsConfig, SnoozeRequest } from './types';

export class AlertDuty {
  private readonly engine: AlertEngine;
  /** The window this backend serves (its extension host reported it); null in the CLI. */
  private ownWindow: string | null = null;
  /** The window that last said it has the focus and has not said it lost it since. */
  private focused: string | null = null;

  constructor(clock: Clock, config: AlertsConfig) {
    this.engine = new AlertEngine(clock, config);
  }

  set config(config: AlertsConfig) {
    this.engine.config = config;
  }

  /** One interval of the recorder: the alerts that started and ended, each with the window to notify. */
  step(snapshot: Snapshot): AlertChange[] {
    const { started, ended } = this.engine.config.enabled ? this.engine.step(snapshot) : { started: [], ended: this.engine.endAll() };
    return this.changes(started, ended);
  }

  /** Ends every active alert (the recorder stops or steps down: a viewer does not carry them on). */
  endAll(): AlertChange[] {
    return this.changes([], this.engine.endAll());
  }

  private changes(started: AlertEvent[], ended: AlertEvent[]): AlertChange[] {
    const notify = this.notifyTarget();
    return [
      ...ended.map((alert): AlertChange => ({ change: 'ended', alert, notify })),
      ...started.map((alert): AlertChange => ({ change: 'started', alert, notify })),
    ];
  }

  activeAlerts(): AlertEvent[] {
    return this.engine.activeAlerts();
  }

  snooze(req: SnoozeRequest): boolean {
    return this.engine.snooze(req.rule, req.culprit, req.until);
  }

  /** This backend's own window reports its focus (recorder or viewer). */
  setOwnWindow(windowId: string): void {
    this.ownWindow = windowId;
  }

  /** A window (this one or a viewer) reports its focus; answers who would be notified now. */
  reportFocus(windowId: string, focused: boolean): string | null {
    if (focused) this.focused = windowId;
    else if (this.focused === windowId) this.focused = null;
    return this.notifyTarget();
  }

  /** The focused window, else the recorder's own. */
  notifyTarget(): string | null {
    return this.focused ?? this.ownWindow;
  }
}
