// Runs an action at most once per interval, trailing: a call inside the interval schedules one run
// at its end instead of being lost, so the last state is always shown.

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class Throttle {
  private last = -Infinity;
  private timer: unknown;

  /** `action` returns false when it had nothing to do (no data yet): that does not start an interval. */
  constructor(
    private readonly action: () => boolean | void,
    private intervalMs: number,
    private readonly timers: Timers = realTimers,
  ) {}

  setInterval(ms: number): void {
    this.intervalMs = ms;
  }

  /**
   * Samples arrive once per sampling interval, which usually equals the refresh interval; with a
   * strict comparison every other sample would miss by a millisecond of jitter. A tenth of the
   * interval of slack keeps one refresh per sample.
   */
  request(): void {
    if (this.timer !== undefined) return;
    const wait = this.last + this.intervalMs - this.timers.now();
    if (wait <= this.intervalMs / 10) {
      this.run();
      return;
    }
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.run();
    }, wait);
  }

  /** Runs now (e.g. the view just became visible) and resets the interval. */
  flush(): void {
    this.cancel();
    this.run();
  }

  cancel(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.cancel();
  }

  private run(): void {
    const now = this.timers.now();
    if (this.action() !== false) this.last = now;
  }
}
