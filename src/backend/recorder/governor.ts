// The cost governor: keeps the samplers' CPU under a budget (vitals.governor.maxCpuPercent of one
// core) by sampling processes less often. On Linux the /proc samplers cost ~0.2 % of a core at 2 s
// and the governor never acts; the systeminformation samplers (macOS, Windows, or
// VITALS_SAMPLER=fallback) cost ~16 %, and there it does.
//
// The process interval steps through whole multiples of the configured one first, so process
// samples stay on the same grid, up to once a minute. System metrics keep the configured interval
// (the charts most looked at) unless, with processes at their slowest, the total is still over
// budget and system metrics alone cost more than half of it (systeminformation spawns helpers for
// some); then they too are sampled less often, up to every MAX_SYSTEM_INTERVAL_MS. Costs are
// smoothed (EWMA) and decided on only after a few samples; it steps up as soon as the estimate is
// over budget, and back only when the lower step would cost at most
// DOWN_MARGIN of the budget and the current step has held DWELL_MS: no flapping at the edge.
//
// Pure: the scheduler feeds it measured costs, the clock is injected.
import type { Clock, Millis, SamplingState } from '../types';

/** Process intervals tried, as multiples of the configured interval. */
const FACTORS = [1, 2, 3, 5, 10, 15, 30] as const;
/** Processes are sampled at least once a minute (the 1-minute rollups need them), whatever it costs. */
const MAX_PROCESS_INTERVAL_MS = 60_000;
/** System metrics at least this often, whatever they cost: the charts and alerts live on them. */
const MAX_SYSTEM_INTERVAL_MS = 10_000;
/**
 * The first samples of each sampler pay for warming up (the first process sample reads every
 * process's command line, user and cgroup: ~100 ms at 400 processes, 20 times a later one; V8 is
 * still compiling): they are left out of the estimate, and nothing is decided before it has one.
 * Averaged in, they kept the recorder at processes every 10 s for its first two minutes.
 */
const WARMUP_SAMPLES = 3;
/** Stepping back: the lower step's estimated cost must be at most this share of the budget. */
const DOWN_MARGIN = 0.7;
/** Stepping back: the current step must have held this long. */
const DWELL_MS = 60_000;
const EWMA_WEIGHT = 0.25;

export interface GovernorDeps {
  clock: Clock;
  /** The configured sampling interval. */
  intervalMs: () => number;
  /** Share of one core the samplers may use, in percent. */
  budgetPercent: () => number;
}

class Smoothed {
  value = 0;
  /** Samples seen, warm-up ones included. */
  samples = 0;
  add(x: number): void {
    this.samples++;
    if (this.samples <= WARMUP_SAMPLES) return;
    this.value = this.samples === WARMUP_SAMPLES + 1 ? x : this.value + EWMA_WEIGHT * (x - this.value);
  }

  get measured(): boolean {
    return this.samples > WARMUP_SAMPLES;
  }
}

/** One step: every how many intervals system metrics and processes are sampled. */
interface Step {
  system: number;
  processes: number;
}

export class Governor {
  private level = 0;
  private changedAt: Millis;
  private lastProcessesAt: Millis | null = null;
  private lastSystemAt: Millis | null = null;
  private readonly system = new Smoothed();
  private readonly processes = new Smoothed();

  constructor(private readonly deps: GovernorDeps) {
    this.changedAt = deps.clock.now();
  }

  /** CPU milliseconds one system sample cost. */
  observeSystem(cpuMs: number): void {
    this.system.add(cpuMs);
  }

  /** CPU milliseconds one process sample cost. */
  observeProcesses(cpuMs: number): void {
    this.processes.add(cpuMs);
  }

  /** The steps at the configured interval: processes stretched first, then system metrics. */
  private get steps(): Step[] {
    const interval = this.deps.intervalMs();
    const steps: Step[] = [{ system: 1, processes: 1 }];
    for (const f of FACTORS.slice(1)) if (f * interval <= MAX_PROCESS_INTERVAL_MS) steps.push({ system: 1, processes: f });
    // System metrics only when they are a large part of the cost: stretching them when processes
    // alone are over budget would blur the charts and save little.
    if ((100 * this.system.value) / interval <= this.deps.budgetPercent() / 2) return steps;
    const slowest = steps[steps.length - 1]!.processes;
    for (const f of FACTORS.slice(1))
      if (f * interval <= MAX_SYSTEM_INTERVAL_MS && f <= slowest) steps.push({ system: f, processes: slowest });
    return steps;
  }

  private get step(): Step {
    const steps = this.steps;
    return steps[Math.min(this.level, steps.length - 1)]!;
  }

  get processIntervalMs(): number {
    return this.step.processes * this.deps.intervalMs();
  }

  get systemIntervalMs(): number {
    return this.step.system * this.deps.intervalMs();
  }

  /**
   * Whether the tick at `t` samples processes: on the stretched grid, or once a stretched interval has
   * passed anyway (a tick delayed off the grid must not skip a whole period).
   */
  processesDue(t: Millis): boolean {
    return this.due(t, this.step.processes, this.lastProcessesAt);
  }

  /** Whether the tick at `t` samples at all (system metrics); the same grid as processesDue. */
  systemDue(t: Millis): boolean {
    return this.due(t, this.step.system, this.lastSystemAt);
  }

  private due(t: Millis, factor: number, last: Millis | null): boolean {
    if (factor === 1 || last === null) return true;
    const interval = this.deps.intervalMs();
    return Math.round(t / interval) % factor === 0 || t - last >= factor * interval;
  }

  /** The tick at `t` sampled processes. */
  processesSampled(t: Millis): void {
    this.lastProcessesAt = t;
  }

  /** The tick at `t` sampled system metrics. */
  systemSampled(t: Millis): void {
    this.lastSystemAt = t;
  }

  /** Estimated samplers' cost (percent of one core) at a step. */
  private costAt(step: Step): number {
    const interval = this.deps.intervalMs();
    return (100 * (this.system.value / step.system + this.processes.value / step.processes)) / interval;
  }

  /** After each tick: moves to another step when the costs say so. Returns the new state when it changed. */
  decide(): SamplingState | undefined {
    if (!this.system.measured || !this.processes.measured) return undefined;
    const budget = this.deps.budgetPercent();
    const steps = this.steps;
    const max = steps.length - 1;
    let next = Math.min(this.level, max);
    if (this.costAt(steps[next]!) > budget) {
      // Up at once, to the first step under the budget (or the slowest there is).
      while (next < max && this.costAt(steps[next]!) > budget) next++;
    } else if (this.deps.clock.now() - this.changedAt >= DWELL_MS) {
      // Back to the fastest step that fits with a margin.
      for (let l = 0; l < next; l++) {
        if (this.costAt(steps[l]!) <= DOWN_MARGIN * budget) {
          next = l;
          break;
        }
      }
    }
    if (next === this.level) return undefined;
    this.level = next;
    this.changedAt = this.deps.clock.now();
    return this.state;
  }

  get state(): SamplingState {
    const measured = this.system.measured && this.processes.measured;
    return {
      intervalMs: this.deps.intervalMs(),
      systemIntervalMs: this.systemIntervalMs,
      processIntervalMs: this.processIntervalMs,
      costPercent: measured ? this.costAt({ system: 1, processes: 1 }) : null,
      budgetPercent: this.deps.budgetPercent(),
      governed: this.level > 0,
    };
  }
}
