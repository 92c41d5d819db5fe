// The rules engine: fed one snapshot per interval, it says which alerts start and which end. Pure
// (time comes from the snapshots and the injected clock only), so tests drive it with synthetic
// series. Runs in the recorder only (alerts/duty.ts).
//
// Per rule and culprit a tracker remembers since when the condition has held. An alert starts once
// it has held for the rule's sustain time (unless that rule is snoozed for that culprit), and ends
// once the condition has been false for `endAfterMs` (hysteresis: a figure hovering at the
// threshold is one alert, not a storm), or at once when its process or group is gone. While a
// condition is not yet an alert, a dip shorter than PENDING_GRACE_MS does not restart the count: one
// sample under the threshold on a loaded machine is not the end of a busy process.
import type { Clock, Snapshot } from '../types';
import { RuleState, type Observation } from './rules';
import type { AlertEvent, AlertRule, AlertsConfig } from './types';

export interface EngineStep {
  started: AlertEvent[];
  ended: AlertEvent[];
}

export const PENDING_GRACE_MS = 10_000;

interface Tracker {
  since: number;
  lastTrue: number;
  peak: number;
  last: Observation;
  alert: AlertEvent | undefined;
}

const trackerKey = (rule: AlertRule, culprit: string): string => `${rule}|${culprit}`;

export class AlertEngine {
  private readonly trackers = new Map<string, Tracker>();
  private readonly snoozes = new Map<string, number>();
  private readonly rules = new RuleState();

  constructor(
    private readonly clock: Clock,
    public config: AlertsConfig,
  ) {}

  /** One interval. */
  step(snapshot: Snapshot): EngineStep {
    const t = snapshot.t;
    const { observations, alive } = this.rules.observe(snapshot, this.config);
    const started: AlertEvent[] = [];
    const ended: AlertEvent[] = [];
    const seen = new Set<string>();
    for (const o of observations) {
      const key = trackerKey(o.rule, o.culprit.key);
      seen.add(key);
      let tr = this.trackers.get(key);
      if (!tr) this.trackers.set(key, (tr = { since: t - (o.lookbackMs ?? 0), lastTrue: t, peak: o.value, last: o, alert: undefined }));
      tr.lastTrue = t;
      tr.last = o;
      if (o.worse === 'up' ? o.value > tr.peak : o.value < tr.peak) tr.peak = o.value;
      if (tr.alert) {
        this.refresh(tr, t);
        continue;
      }
      if (t - tr.since - (o.lookbackMs ?? 0) < o.sustainMs || this.snoozed(key)) continue;
      tr.alert = {
        id: `${key}|${tr.since}`,
        rule: o.rule,
        culprit: o.culprit,
        start: tr.since,
        end: null,
        peak: { value: tr.peak, unit: o.unit },
        text: o.describe(t - tr.since, tr.peak),
        details: o.details,
      };
      started.push({ ...tr.alert });
    }
    for (const [key, tr] of this.trackers) {
      if (seen.has(key)) continue;
      const gone = (tr.last.culprit.kind === 'process' || tr.last.culprit.kind === 'group') && !alive(tr.last.culprit.key);
      const disabled = !this.config.enabled || !this.ruleEnabled(tr.last.rule);
      if (tr.alert) {
        if (gone || disabled || t - tr.lastTrue >= this.config.endAfterMs) {
          this.trackers.delete(key);
          ended.push(this.finish(tr));
        }
      } else if (gone || disabled || t - tr.lastTrue >= Math.min(PENDING_GRACE_MS, this.config.endAfterMs || PENDING_GRACE_MS)) {
        this.trackers.delete(key);
      }
    }
    const now = this.clock.now();
    for (const [key, until] of this.snoozes) if (until <= now) this.snoozes.delete(key);
    return { started, ended };
  }

  private ruleEnabled(rule: AlertRule): boolean {
    return this.config[rule].enabled;
  }

  private snoozed(key: string): boolean {
    const until = this.snoozes.get(key);
    return until !== undefined && until > this.clock.now();
  }

  /** The active alert's figures follow the condition: the worst figure, the text with its duration so far. */
  private refresh(tr: Tracker, t: number): void {
    const a = tr.alert!;
    a.peak = { value: tr.peak, unit: tr.last.unit };
    a.culprit = tr.last.culprit;
    a.details = tr.last.details;
    a.text = tr.last.describe(t - tr.since, tr.peak);
  }

  private finish(tr: Tracker): AlertEvent {
    this.refresh(tr, tr.lastTrue);
    return { ...tr.alert!, end: tr.lastTrue };
  }

  /** Every alert ends now (alerts turned off, the recorder stopping or stepping down). */
  endAll(): AlertEvent[] {
    const ended = [...this.trackers.values()].filter((tr) => tr.alert).map((tr) => this.finish(tr));
    this.trackers.clear();
    return ended;
  }

  activeAlerts(): AlertEvent[] {
    return [...this.trackers.values()].flatMap((tr) => (tr.alert ? [{ ...tr.alert }] : [])).sort((a, b) => a.start - b.start);
  }

  /**
   * Silences `rule` for `culprit` (an AlertCulprit.key) until `until`: no new alert of that rule for
   * that culprit starts before then. An alert already active stays active (it is one event); only
   * its notification, already shown, is what a snooze answers.
   */
  snooze(rule: AlertRule, culprit: string, until: number): boolean {
    if (until <= this.clock.now()) return false;
    this.snoozes.set(trackerKey(rule, culprit), until);
    return true;
  }
}
