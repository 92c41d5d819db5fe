// The rules engine: fed one snapshot per interval, it says which alerts start and which end. Pure
// (no I/O, time only from the snapshots and the injected clock), so tests drive it with synthetic
// series. Runs in the recorder only (alerts/duty.ts).
import type { Clock, Snapshot } from '../types';
import type { AlertEvent, AlertRule, AlertsConfig } from './types';

export interface EngineStep {
  started: AlertEvent[];
  ended: AlertEvent[];
}

export class AlertEngine {
  private readonly active = new Map<string, AlertEvent>();
  private readonly snoozes = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    public config: AlertsConfig,
  ) {}

  /** One interval. */
  step(_snapshot: Snapshot): EngineStep {
    return { started: [], ended: [] };
  }

  activeAlerts(): AlertEvent[] {
    return [...this.active.values()].sort((a, b) => a.start - b.start);
  }

  /** Silences `rule` for `culprit` (an AlertCulprit.key) until `until`; an active alert of theirs stays active. */
  snooze(rule: AlertRule, culprit: string, until: number): boolean {
    if (until <= this.clock.now()) return false;
    this.snoozes.set(`${rule}|${culprit}`, until);
    return true;
  }
}
