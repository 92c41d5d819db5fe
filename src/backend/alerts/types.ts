// The alerts' wire contract: what the recorder's rules engine raises, what it stores in the `event`
// table, what it sends the windows (the feed's `alert` event) and what a window may ask about it
// (protocol.ts: alerts, activeAlerts, snoozeAlert, reportFocus, topAt). Plain data plus the checks
// that validate it at the edge; no behaviour.

import type { Millis, Tier } from '../types';
import { arrayOf, int, nullable, num, obj, oneOf, recordOf, str, type Check } from '../../shared/check';

/** The rules (settings `vitals.alerts.<rule>.*`). */
export const ALERT_RULES = ['processCpu', 'machineCpu', 'lowMemory', 'leak', 'filesystem'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** A process an alert names: the culprit itself, or the top ones of a machine-wide alert. */
export interface AlertProcess {
  pid: number;
  /** With pid, identifies the process (pids are reused); opens its history. */
  startTime: Millis;
  name: string;
  /** Its figure in the alert's unit when it was named (CPU % of one core, RSS bytes, bytes/hour). */
  value: number;
}

/**
 * Who the alert is about. `key` is its identity: one alert per rule and key at a time, and a snooze
 * names it. `process:<pid>@<startTime>`, `group:<group>` (an extension or a VS Code role, once
 * process samples carry roles), `machine`, `memory`, `fs:<mount>`.
 */
export interface AlertCulprit {
  key: string;
  kind: 'process' | 'group' | 'machine' | 'filesystem';
  /** What a notification names: `node (jest)`, `extension ms-python.python`, `the machine`, `/home`. */
  label: string;
  /** The processes involved: the culprit, a group's members, or the top processes of a machine alert. */
  processes: AlertProcess[];
  /** Set for kind `group`: e.g. `extension:ms-python.python`, `role:extensionHost`. */
  group?: string | undefined;
  /** Set for kind `filesystem`. */
  mount?: string | undefined;
}

/** `%core`: percent of one core (200 = two cores); `%`: percent of a whole; bytes; bytes per hour. */
export type AlertUnit = '%core' | '%' | 'bytes' | 'bytes/h';

export interface AlertFigure {
  value: number;
  unit: AlertUnit;
}

export interface AlertEvent {
  /** Stable across windows and restarts: `<rule>|<culprit key>|<start>`. */
  id: string;
  rule: AlertRule;
  culprit: AlertCulprit;
  /** When the condition began (not when it had lasted long enough to fire). */
  start: Millis;
  /** null while active. */
  end: Millis | null;
  /** The worst figure seen so far. */
  peak: AlertFigure;
  /** One line for people, built by the backend so every front end says the same: `node (jest) has used 198 % of a core for 3 min`. */
  text: string;
  /** Rule-specific numbers (threshold, sustainSeconds, slopeBytesPerHour, r2, hoursToFull, …). */
  details: Record<string, number | string | null>;
}

/**
 * The feed event the recorder sends when an alert starts or ends. `notify` is the window that shows
 * the notification: the focused one (windows say so with `reportFocus`), else the recorder's own;
 * null when no window has reported (the CLI prints every alert itself).
 */
export interface AlertChange {
  change: 'started' | 'ended';
  alert: AlertEvent;
  notify: string | null;
}

export interface SnoozeRequest {
  rule: AlertRule;
  /** AlertCulprit.key */
  culprit: string;
  /** Until when the rule stays silent for that culprit (ms since epoch). */
  until: Millis;
}

export interface TopAtQuery {
  /** The moment asked about. */
  t: Millis;
  by: 'cpu' | 'memory';
  n: number;
}

export interface TopAtRow {
  pid: number;
  startTime: Millis;
  name: string;
  command: string;
  /** CPU % of one core and RSS at that sample, or the bucket's averages (with maxima) from a rollup. */
  cpu: number;
  rssBytes: number;
  cpuMax: number;
  rssMaxBytes: number;
}

export interface TopAtResult {
  /** The asked moment. */
  asked: Millis;
  /** The sample's time (exact) or the bucket's start (rollup); null when nothing was recorded near it. */
  at: Millis | null;
  /** true: from the raw sample nearest the moment; false: the bucket's top N from the rollups. */
  exact: boolean;
  tier: Tier;
  /** 0 for a raw sample, else the bucket's length. */
  bucketMs: number;
  by: 'cpu' | 'memory';
  processes: TopAtRow[];
}

// ---------------------------------------------------------------------------------------------
// Checks, for the protocol's edge.

export const alertRule: Check = oneOf(...ALERT_RULES);

const alertProcess: Check = obj({ pid: int, startTime: num, name: str, value: num });

const alertCulprit: Check = obj({
  key: str,
  kind: oneOf('process', 'group', 'machine', 'filesystem'),
  label: str,
  processes: arrayOf(alertProcess),
});

const detailValue: Check = (v, p) => (v === null || typeof v === 'string' ? undefined : num(v, p));

export const alertEvent: Check = obj({
  id: str,
  rule: alertRule,
  culprit: alertCulprit,
  start: num,
  end: nullable(num),
  peak: obj({ value: num, unit: oneOf('%core', '%', 'bytes', 'bytes/h') }),
  text: str,
  details: recordOf(detailValue),
});

export const alertChange: Check = obj({
  change: oneOf('started', 'ended'),
  alert: alertEvent,
  notify: nullable(str),
});

/** The rules' settings in the units the engine works in (config.ts builds it from `vitals.alerts.*`). */
export interface AlertsConfig {
  enabled: boolean;
  /** How long a condition must stay false before its alert ends (hysteresis). */
  endAfterMs: number;
  processCpu: { enabled: boolean; percent: number; sustainMs: number };
  machineCpu: { enabled: boolean; percent: number; sustainMs: number };
  lowMemory: { enabled: boolean; availablePercent: number };
  leak: { enabled: boolean; bytesPerHour: number; windowMs: number };
  /** projectionHours 0: only the percent-full test. */
  filesystem: { enabled: boolean; percent: number; projectionHours: number };
}
