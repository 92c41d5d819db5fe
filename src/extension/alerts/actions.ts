// What an alert notification offers and where its actions go, without `vscode` (unit-tested): the
// actions for one alert or a group, and the dashboard target of Show History.

import type { AlertEvent } from './backendGuess';
import type { DashboardTarget } from '../../shared/dashboardProtocol';
import { eventWindow } from '../../shared/eventWindow';

export const SNOOZE_MS = 60 * 60_000;
export const ALERT_SETTINGS_QUERY = 'vitals.alerts';

export const Action = {
  showHistory: 'Show History',
  kill: 'Kill…',
  snooze: 'Snooze 1 h',
  settings: 'Settings',
  showAlerts: 'Show Alerts',
  snoozeAll: 'Snooze All 1 h',
} as const;

/** The process an alert names first, if it names one. */
export function culpritOf(a: AlertEvent): AlertEvent['culprits'][number] | undefined {
  return a.culprits[0];
}

export function notificationActions(batch: readonly AlertEvent[]): string[] {
  const [first] = batch;
  if (!first) return [];
  if (batch.length > 1) return [Action.showAlerts, Action.snoozeAll, Action.settings];
  return culpritOf(first)
    ? [Action.showHistory, Action.kill, Action.snooze, Action.settings]
    : [Action.showHistory, Action.snooze, Action.settings];
}

/** Where Show History goes for an alert: its process's history, or the Overview, around the event. */
export function historyTarget(a: AlertEvent, now: number): DashboardTarget {
  const range = eventWindow(a.start, a.end, now);
  const c = culpritOf(a);
  return c ? { tab: 'process', process: { pid: c.pid, startTime: c.startTime, name: c.name }, range } : { tab: 'overview', range };
}
