// Decides when an alert becomes a notification, so a burst never becomes a storm: alerts that start
// within GROUP_MS of each other are shown as one notification, and at most one notification is
// shown per QUIET_MS; whatever arrives inside that quiet time is not shown as a notification at all
// (the status bar item lists every active alert anyway). An alert that ends before its batch is
// shown is dropped from it. Pure apart from the injected timers, so it is tested with a fake clock.

import { realTimers, type Timers } from '../util/throttle';

/** Alerts starting this close together are one notification. */
export const GROUP_MS = 1500;
/** At most one notification per this long. */
export const QUIET_MS = 30_000;

export interface NotifierSink<A> {
  /** One notification for these alerts (one or more, in the order they started). */
  show(alerts: readonly A[]): void;
  /** Alerts not shown as a notification because one was shown less than QUIET_MS ago. */
  held(alerts: readonly A[]): void;
}

export class AlertNotifier<A> {
  private pending: A[] = [];
  private timer: unknown;
  private lastShown = -Infinity;

  constructor(
    private readonly sink: NotifierSink<A>,
    private readonly keyOf: (a: A) => string,
    private readonly timers: Timers = realTimers,
    private readonly groupMs = GROUP_MS,
    private readonly quietMs = QUIET_MS,
  ) {}

  /** An alert started and this window is the one to tell. */
  started(alert: A): void {
    const key = this.keyOf(alert);
    if (this.pending.some((p) => this.keyOf(p) === key)) return;
    this.pending.push(alert);
    // The window starts with the first alert of a batch: a steady trickle cannot postpone it forever.
    this.timer ??= this.timers.setTimeout(() => this.flush(), this.groupMs);
  }

  /** An alert ended: if it has not been shown yet, it is not shown at all. */
  ended(alert: A): void {
    const key = this.keyOf(alert);
    this.pending = this.pending.filter((p) => this.keyOf(p) !== key);
  }

  dispose(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private flush(): void {
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const now = this.timers.now();
    if (now - this.lastShown < this.quietMs) {
      this.sink.held(batch);
      return;
    }
    this.lastShown = now;
    this.sink.show(batch);
  }
}
