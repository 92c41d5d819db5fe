// What the user reads about alerts in VS Code: the notification's message (one alert, or a group),
// the status bar's marker and its tooltip lines. Pure; the sentence for one alert is the backend's
// own (the CLI prints the same line), so every door words an alert the same way.

import type { AlertEvent } from '../../backend';
import { escapeMarkdown } from '../processes/tooltip';
import { formatAgo } from '../../shared/format';

/** Shown in a grouped notification before "and N more". */
const NAMED_IN_GROUP = 2;
/** Tooltip lines before "and N more". */
const TOOLTIP_ALERTS = 5;

/** Without the "Vitals:" prefix of Vitals' failure messages: an alert is news, not an error (VS Code shows the source). */
export function notificationText(alerts: readonly AlertEvent[]): string {
  const [first] = alerts;
  if (!first) return '';
  if (alerts.length === 1) return first.text;
  const named = alerts.slice(0, NAMED_IN_GROUP).map((a) => a.text);
  const rest = alerts.length - named.length;
  return `${alerts.length} alerts — ${named.join('; ')}${rest > 0 ? `; and ${rest} more` : ''}.`;
}

/** The marker the status bar item puts before its figures, or '' with none active. */
export function alertMarker(count: number): string {
  return count > 0 ? `$(warning) ${count}` : '';
}

export function alertTooltipMarkdown(alerts: readonly AlertEvent[], now: number): string {
  if (alerts.length === 0) return '';
  const lines = [`$(warning) **${alerts.length === 1 ? 'Active alert' : `${alerts.length} active alerts`}**`, ''];
  for (const a of alerts.slice(0, TOOLTIP_ALERTS)) lines.push(`- ${escapeMarkdown(a.text)} (started ${formatAgo(a.start, now)})`);
  if (alerts.length > TOOLTIP_ALERTS) lines.push(`- and ${alerts.length - TOOLTIP_ALERTS} more`);
  lines.push('');
  return lines.join('\n');
}

export function accessibilityAlerts(count: number): string {
  return count === 0 ? '' : `, ${count} active alert${count === 1 ? '' : 's'}`;
}
