// The sampling timer: one sample per interval, aligned to the interval so samples from every run
// fall on the same grid, never two at once. What happens to a sample is the caller's (`deliver`).
import type { Samplers } from '../sampling';
import type { BackendSink } from '../service';
import type { Clock, Snapshot } from '../types';
import { errorDetail } from '../../shared/errors';

interface SchedulerDeps {
  clock: Clock;
  samplers: Samplers;
  intervalMs: () => number;
  /** Whether this process samples at all (it records and is not closed). */
  active: () => boolean;
  /** Records and publishes one sample. */
  deliver: (snapshot: Snapshot) => void;
  log: BackendSink['log'];
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastT = 0;
  /** A tick in progress (close() waits for it). */
  ticking = false;
  /** Time spent sampling and recording, for the recorder's own cost in the health report. */
  busyMs = 0;

  constructor(private readonly deps: SchedulerDeps) {}

  start(): void {
    this.running = true;
    if (this.timer || !this.deps.active()) return;
    // A first sample right away: the views fill at once instead of up to one interval later.
    if (this.lastT === 0) void this.tick();
    this.schedule();
  }

  /** This process records now: sample again if sampling was started. */
  resume(): void {
    if (this.running && !this.timer) this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The interval changed: the next tick moves to the new grid. */
  reschedule(): void {
    if (!this.timer) return;
    this.stop();
    this.schedule();
  }

  private schedule(): void {
    const interval = this.deps.intervalMs();
    const now = this.deps.clock.now();
    // Aligned to the interval so samples from every run fall on the same grid.
    const delay = Math.max(10, Math.ceil((now + 1) / interval) * interval - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().finally(() => {
        if (this.deps.active() && !this.timer) this.schedule();
      });
    }, delay);
    this.timer.unref?.();
  }

  /** One interval: sample, then deliver (record, publish, flush/checkpoint when due). */
  async tick(): Promise<Snapshot | undefined> {
    if (this.ticking || !this.deps.active()) return undefined;
    this.ticking = true;
    const started = performance.now();
    try {
      let t = this.deps.clock.now();
      if (t <= this.lastT) t = this.lastT + 1;
      this.lastT = t;
      const [system, processes] = await Promise.all([this.deps.samplers.system.sample(t), this.deps.samplers.processes.sample(t)]);
      const snapshot: Snapshot = { t, system, processes };
      // The role may have changed while the samplers ran.
      if (!this.deps.active()) return undefined;
      this.deps.deliver(snapshot);
      return snapshot;
    } catch (e) {
      this.deps.log('error', `Sampling failed: ${errorDetail(e)}`);
      return undefined;
    } finally {
      this.busyMs += performance.now() - started;
      this.ticking = false;
    }
  }
}
