// The cost governor: keeps the samplers' CPU under a budget (vitals.governor.maxCpuPercent of one
// core) by sampling processes less often. On Linux the /proc samplers cost ~0.2 % of a core at 2 s
// and the governor never acts; the systeminformation samplers (macOS, Windows, or
// VITALS_SAMPLER=fallback) cost ~16 %, and there it does.
//
// System metrics keep the configured interval (they are cheap everywhere and the charts most looked
// at); the process interval steps through whole multiples of it, so process samples stay on the
// same grid. Costs are smoothed (EWMA) and decided on only after a few samples; it steps up as soon
// as the estimate is over budget, and back only when the lower step would cost at most
// DOWN_MARGIN of the budget and the current step has held DWELL_MS: no flapping at the edge.
//
// Pure: the scheduler feeds it measured costs, the clock is injected.
import type { Clock, Millis, SamplingState } from '../types';

/** Process intervals tried, as multiples of the configured interval. */
const FACTORS = [1, 2, 3, 5, 10, 15, 30] as const;
/** Processes are sampled at least once a minute (the 1-minute rollups need them), whatever it costs. */
const MAX_PROCESS_INTERVAL_MS = 60_000;
/** Samples of each sampler before the governor decides anything (the first ones pay for warming up). */
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
  samples = 0;
  add(x: number): void {
    this.value = this.samples === 0 ? x : this.value + EWMA_WEIGHT * (x - this.value);
    this.samples++;
  }
}

export class Governor {
  private level = 0;
  private changedAt: Millis;
  private lastProcessesAt: Millis | null = null;
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

  get processIntervalMs(): number {
    return FACTORS[this.level]! * this.deps.intervalMs();
  }

  /**
   * Whether the tick at `t` samples processes: on the stretched grid, or once a stretched interval has
   * passed anyway (a tick delayed off the grid must not skip a whole period).
   */
  processesDue(t: Millis): boolean {
    const factor = FACTORS[this.level]!;
    if (factor === 1 || this.lastProcessesAt === null) return true;
    const interval = this.deps.intervalMs();
    return Math.round(t / interval) % factor === 0 || t - this.lastProcessesAt >= factor * interval;
  }

  /** The tick at `t` sampled processes. */
  processesSampled(t: Millis): void {
    this.lastProcessesAt = t;
  }

  /** Estimated samplers' cost (percent of one core) with processes sampled every `factor` intervals. */
  private costAt(factor: number): number {
    const interval = this.deps.intervalMs();
    return (100 * (this.system.value + this.processes.value / factor)) / interval;
  }

  private get maxLevel(): number {
    const interval = this.deps.intervalMs();
    let max = 0;
    while (max + 1 < FACTORS.length && FACTORS[max + 1]! * interval <= MAX_PROCESS_INTERVAL_MS) max++;
    return max;
  }

  /** After each tick: moves to another step when the costs say so. Returns the new state when it changed. */
  decide(): SamplingState | undefined {
    if (this.system.samples < WARMUP_SAMPLES || this.processes.samples < WARMUP_SAMPLES) return undefined;
    const budget = this.deps.budgetPercent();
    const max = this.maxLevel;
    let next = Math.min(this.level, max);
    if (this.costAt(FACTORS[next]!) > budget) {
      // Up at once, to the first step under the budget (or the slowest there is).
      while (next < max && this.costAt(FACTORS[next]!) > budget) next++;
    } else if (this.deps.clock.now() - this.changedAt >= DWELL_MS) {
      // Back to the fastest step that fits with a margin.
      for (let l = 0; l < next; l++) {
        if (this.costAt(FACTORS[l]!) <= DOWN_MARGIN * budget) {
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
    const measured = this.system.samples > 0 && this.processes.samples > 0;
    return {
      intervalMs: this.deps.intervalMs(),
      processIntervalMs: this.processIntervalMs,
      costPercent: measured ? this.costAt(1) : null,
      budgetPercent: this.deps.budgetPercent(),
      governed: this.level > 0,
    };
  }
}
