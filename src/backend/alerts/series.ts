// Per-minute minima of one figure (a process's resident memory, a filesystem's used bytes), kept for
// a bounded span: what the leak rule fits and the low-memory and filesystem rules read growth from.
// Pure; one instance per process or mount.

import type { Millis } from '../types';
import type { Point } from './fit';

const MINUTE = 60_000;

export class MinuteMinima {
  /** Minute start → the smallest value seen in it; oldest first. */
  private readonly minutes: Point[] = [];

  constructor(private readonly keepMs: number) {}

  add(t: Millis, value: number): void {
    const minute = Math.floor(t / MINUTE) * MINUTE;
    const last = this.minutes[this.minutes.length - 1];
    if (last && last.x === minute) last.y = Math.min(last.y, value);
    else if (!last || minute > last.x) this.minutes.push({ x: minute, y: value });
    const cutoff = minute - this.keepMs;
    while (this.minutes.length > 0 && this.minutes[0]!.x < cutoff) this.minutes.shift();
  }

  /** Whole minutes in from..to (the current, still open minute excluded by the caller's `to`). */
  between(from: Millis, to: Millis): Point[] {
    return this.minutes.filter((p) => p.x >= from && p.x < to);
  }

  get first(): Point | undefined {
    return this.minutes[0];
  }

  get size(): number {
    return this.minutes.length;
  }
}
