// The `when`-clause context keys Vitals sets, in one place so package.json and the code agree.
//
//   vitals.ready               a first snapshot arrived (the views have data)
//   vitals.failed              the backend could not start (welcome content says so)
//   vitals.problem             the backend reports a condition that stops it (unsupported platform…)
//   vitals.recording           the recorder is recording (Pause shown) or not (Resume shown)
//   vitals.role                recorder | viewer | stopped
//   vitals.processes.filtered  a filter is set (Clear Filter shown)
//   vitals.processes.mode      tree | flat | containers | vscode
//   vitals.alerts.active       an alert is active (Snooze Alert and Kill Alert Culprit shown)

import { background, type Logger } from './log';

export const ContextKey = {
  ready: 'vitals.ready',
  failed: 'vitals.failed',
  problem: 'vitals.problem',
  recording: 'vitals.recording',
  role: 'vitals.role',
  filtered: 'vitals.processes.filtered',
  mode: 'vitals.processes.mode',
  alertsActive: 'vitals.alerts.active',
} as const;

export type ContextKeyName = (typeof ContextKey)[keyof typeof ContextKey];

export class ContextKeys {
  private readonly values = new Map<ContextKeyName, unknown>();

  /** `setContext` is `(k, v) => vscode.commands.executeCommand('setContext', k, v)` in the extension. */
  constructor(
    private readonly setContext: (key: string, value: unknown) => Thenable<unknown>,
    private readonly log: Logger,
  ) {}

  /** Sets a key when its value changes; repeated equal values cost nothing. */
  set(key: ContextKeyName, value: boolean | string): void {
    if (this.values.get(key) === value) return;
    this.values.set(key, value);
    background(this.setContext(key, value), this.log, `Setting ${key}`);
  }
}
