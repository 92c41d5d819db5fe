// What an alert notification offers, without `vscode` (unit-tested): the actions for one alert or
// a group. Where they lead is src/shared/alertTargets.ts (the dashboard's Events list uses it too).

import type { AlertEvent } from '../../backend';
import { killTarget } from '../../shared/alertTargets';

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

export function notificationActions(batch: readonly AlertEvent[]): string[] {
  const [first] = batch;
  if (!first) return [];
  if (batch.length > 1) return [Action.showAlerts, Action.snoozeAll, Action.settings];
  return killTarget(first)
    ? [Action.showHistory, Action.kill, Action.snooze, Action.settings]
    : [Action.showHistory, Action.snooze, Action.settings];
}
