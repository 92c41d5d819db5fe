// `vitals events`, `vitals top --at` and what `record` does for alerts (--config, the lines printed
// as alerts start and end). The settings file holds `vitals.*` keys, checked by the same spec and
// validation as VS Code's settings (backend/config.ts).
import { readFileSync } from 'node:fs';
import { SETTINGS, SETTINGS_SECTION, validateSettings, type SettingKey, type ValidatedSettings } from '../backend/config';
import { alertsBetween, topAt } from '../backend/queries/events';
import type { Store } from '../backend/storage/store';
import type { AlertChange, AlertEvent, TopAtResult } from '../backend/alerts/types';
import { isRecord } from '../shared/check';
import { errorText } from '../shared/errors';
import { formatBytes, formatDateTime, formatDuration, formatPercent } from '../shared/format';
import { parseToolTime } from '../shared/time';
import { UsageError } from './args';

/**
 * A JSON object of settings, keyed `vitals.alerts.processCpu.percent` or without the prefix. Invalid
 * values are warned about and replaced by the nearest valid one; unknown keys are warned about.
 */
export function readConfigFile(path: string, warn: (line: string) => void): ValidatedSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`--config ${path}: ${errorText(e)}`);
  }
  if (!isRecord(raw)) throw new UsageError(`--config ${path}: expected a JSON object of vitals.* settings`);
  const values = new Map<string, unknown>();
  for (const [k, v] of Object.entries(raw)) {
    const key = k.startsWith(`${SETTINGS_SECTION}.`) ? k.slice(SETTINGS_SECTION.length + 1) : k;
    if (Object.prototype.hasOwnProperty.call(SETTINGS, key)) values.set(key, v);
    else warn(`--config: unknown setting "${k}" ignored`);
  }
  const settings = validateSettings((key: SettingKey) => values.get(key));
  for (const p of settings.problems) warn(`--config: ${p.message}`);
  return settings;
}

/** The line `record` prints when an alert starts or ends. */
export function alertLine(change: AlertChange): string {
  const a = change.alert;
  if (change.change === 'started') return `ALERT ${a.rule} started ${formatDateTime(a.start)}: ${a.text}`;
  return `ALERT ${a.rule} ended ${formatDateTime(a.end)} after ${formatDuration((a.end ?? a.start) - a.start)}: ${a.text}`;
}

export function eventsCommand(store: Store, from: number, to: number, json: boolean, out: (s: string) => void): number {
  const events = alertsBetween(store, from, to);
  if (json) {
    out(`${JSON.stringify(events, null, 2)}\n`);
    return 0;
  }
  if (events.length === 0) out('No alert events in that range.\n');
  for (const e of events) out(`${eventLine(e)}\n`);
  return 0;
}

function eventLine(e: AlertEvent): string {
  const pids = e.culprit.processes.map((p) => p.pid).join(',');
  const span = e.end === null ? 'active' : formatDuration(e.end - e.start);
  return `${formatDateTime(e.start)}  ${e.rule.padEnd(10)}  ${span.padEnd(10)}  ${e.text}${pids ? `  [pid ${pids}]` : ''}`;
}

/** `--at`: an ISO time or a relative one (`-2h`, `now`), parsed as the agent tools parse it. */
export function parseAt(value: string | undefined, now: number): number {
  if (value === undefined) throw new UsageError('--at TIME is required (an ISO time, or relative like -2h)');
  const t = parseToolTime(value, now);
  if (typeof t !== 'number') throw new UsageError(`--at ${t.error}`);
  return t;
}

export function topCommand(
  store: Store,
  q: { t: number; by: 'cpu' | 'memory'; n: number },
  sampleIntervalMs: number,
  json: boolean,
  out: (s: string) => void,
): number {
  const r = topAt(store, q, sampleIntervalMs);
  out(json ? `${JSON.stringify(r, null, 2)}\n` : topText(r));
  return 0;
}

function topText(r: TopAtResult): string {
  if (r.at === null) return `Nothing was recorded near ${formatDateTime(r.asked)}.\n`;
  const head = r.exact
    ? `Top processes by ${r.by} at ${formatDateTime(r.at)} (exact, from the raw sample):`
    : `Top processes by ${r.by} in the ${formatDuration(r.bucketMs)} from ${formatDateTime(r.at)} (${r.tier} rollup: that bucket's top, averages):`;
  const rows = r.processes.map(
    (p) => `  ${String(p.pid).padStart(7)}  ${formatPercent(p.cpu).padStart(7)}  ${formatBytes(p.rssBytes).padStart(9)}  ${p.name}`,
  );
  return `${[head, '      PID      CPU     MEMORY  NAME', ...rows].join('\n')}\n`;
}
