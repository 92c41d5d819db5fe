// TEMPORARY: the UI's guess at alerts-core's types until they land on main; replaced by imports
// from '../../backend' then. Nothing here may survive that merge.

import type { Millis } from '../../backend';

export type AlertRule = 'processCpu' | 'systemCpu' | 'memory' | 'leak' | 'disk';

export interface AlertCulprit {
  pid: number;
  startTime: Millis;
  name: string;
  command?: string;
}

export interface AlertEvent {
  id: number;
  rule: AlertRule;
  start: Millis;
  /** null while active. */
  end: Millis | null;
  culprits: AlertCulprit[];
  peak: number;
  /** e.g. "node (jest) has used 198% of a core for 3 min" */
  message: string;
}

export interface AlertChange {
  change: 'started' | 'ended';
  alert: AlertEvent;
  /** The recorder chose this window to show the notification. */
  notify: boolean;
}

export interface TopAtResult {
  at: Millis;
  exact: boolean;
  tier: 'raw' | '1m' | '1h';
  bucketMs: number;
  rows: { pid: number; startTime: Millis; name: string; command: string; cpu: number; rssBytes: number }[];
}
