// The sampling timer: one sample per interval, aligned to the interval so samples from every run
// fall on the same grid, never two at once. What happens to a sample is the caller's (`deliver`).
// System, then processes, one after the other (never overlapping, so each one's CPU is its own),
// and processes only when the cost governor (governor.ts) says they are due.
import type { Samplers } from '../sampling';
import type { BackendSink } from '../service';
import type { Clock, ProcessSample, SamplingState, Snapshot } from '../types';
import { errorDetail } from '../../shared/errors';
import { formatDuration, formatPercent } from '../../shared/format';
import { Governor } from './governor';

interface SchedulerDeps {
  clock: Clock;
  samplers: Samplers;
  intervalMs: () => number;
  /** Whether this process samples at all (it records and is not closed). */
  active: () => boolean;
  /** Records and publishes one sample. */
  deliver: (snapshot: Snapshot) => void;
  log: BackendSink['log'];
  /** CPU microseconds the sampling work has used so far (the thread's, and any child processes'). */
  cpuMicros: () => number;
  /** Share of one core the samplers may use (vitals.governor.maxCpuPercent). */
  budgetPercent: () => number;
}

export class Scheduler {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private lastT = 0;
  /** A tick in progress (close() waits for it). */
  ticking = false;
  private readonly governor: Governor;
  /** The newest process sample: what a tick without one publishes again. */
  private lastProcesses: { t: number; processes: ProcessSample[] } | undefined;

  constructor(private readonly deps: SchedulerDeps) {
    this.governor = new Governor({ clock: deps.clock, intervalMs: deps.intervalMs, budgetPercent: deps.budgetPercent });
  }

  /** How often processes are sampled now and why (Storage Health). */
  get sampling(): SamplingState {
    return this.governor.state;
  }

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
    try {
      let t = this.deps.clock.now();
      if (t <= this.lastT) t = this.lastT + 1;
      this.lastT = t;
      // Above budget even with processes at their slowest, system metrics are skipped too: this
      // interval then has no sample at all.
      if (!this.governor.systemDue(t)) return undefined;
      const { cpuMicros } = this.deps;
      const c0 = cpuMicros();
      const system = await this.deps.samplers.system.sample(t);
      const c1 = cpuMicros();
      this.governor.observeSystem((c1 - c0) / 1000);
      this.governor.systemSampled(t);
      let last = this.lastProcesses;
      if (!last || this.governor.processesDue(t)) {
        last = { t, processes: await this.deps.samplers.processes.sample(t) };
        this.governor.observeProcesses((cpuMicros() - c1) / 1000);
        this.governor.processesSampled(t);
        this.lastProcesses = last;
      }
      // Between two process samples the last list is published again, marked as older: the views
      // keep showing it, the store does not record it twice.
      const snapshot: Snapshot = { t, system, processes: last.processes, ...(last.t !== t ? { processesAt: last.t } : {}) };
      this.governorStep();
      // The role may have changed while the samplers ran.
      if (!this.deps.active()) return undefined;
      this.deps.deliver(snapshot);
      return snapshot;
    } catch (e) {
      this.deps.log('error', `Sampling failed: ${errorDetail(e)}`);
      return undefined;
    } finally {
      this.ticking = false;
    }
  }

  /** Lets the governor decide; a change is logged once, not every tick. */
  private governorStep(): void {
    const changed = this.governor.decide();
    if (!changed) return;
    const cost = changed.costPercent === null ? 'unknown' : formatPercent(changed.costPercent);
    const budget = formatPercent(changed.budgetPercent);
    const every = formatDuration(changed.processIntervalMs);
    // The system interval is stretched only after the process one, and said only then.
    const system =
      changed.systemIntervalMs > changed.intervalMs ? `, system metrics every ${formatDuration(changed.systemIntervalMs)},` : '';
    this.deps.log(
      'info',
      changed.governed
        ? `Processes sampled every ${every}${system} to stay under ${budget} of one core (sampling them every interval costs ${cost}).`
        : `Processes sampled every ${every} again (sampling cost ${cost}, under ${budget} of one core).`,
    );
  }
}
