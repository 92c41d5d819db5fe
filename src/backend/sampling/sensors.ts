// Temperatures and batteries, read slowly (every `SENSOR_INTERVAL_MS`) and attached to every system
// sample in between as last read. Linux reads sysfs (linux/sensors.ts); elsewhere systeminformation,
// loaded on first use only (it is large, and most Linux sessions never need it), in the background:
// a sample never waits for it. A machine with no sensors and no battery gets no readings at all, and
// the views show nothing for them.

import type { Millis, SensorReadings } from '../types';
import { systeminformation } from './fallback/systeminformation';
import { readBatteries, readHwmonTemperatures } from './linux/sensors';

export const SENSOR_INTERVAL_MS = 30_000;

export interface SensorSourceOptions {
  platform?: NodeJS.Platform;
  /** Where sysfs is mounted (Linux). */
  sysRoot?: string;
  intervalMs?: number;
}

export class SensorSource {
  private readonly platform: NodeJS.Platform;
  private readonly sysRoot: string;
  private readonly intervalMs: number;
  private last: SensorReadings | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private pending: Promise<void> | undefined;

  constructor(opts: SensorSourceOptions = {}) {
    this.platform = opts.platform ?? process.platform;
    this.sysRoot = opts.sysRoot ?? '/sys';
    this.intervalMs = opts.intervalMs ?? SENSOR_INTERVAL_MS;
  }

  /** The latest readings, read again when they are older than the interval; undefined when there are none. */
  latest(now: Millis): SensorReadings | undefined {
    if (now - this.readAt >= this.intervalMs || now < this.readAt) {
      this.readAt = now;
      if (this.platform === 'linux') this.keep(now, readHwmonTemperatures(this.sysRoot), readBatteries(this.sysRoot));
      else if (!this.pending) this.pending = this.readElsewhere(now).finally(() => (this.pending = undefined));
    }
    return this.last;
  }

  /** Resolves when a background read (systeminformation) is done: tests wait for it. */
  settled(): Promise<void> {
    return this.pending ?? Promise.resolve();
  }

  private keep(t: Millis, temperatures: SensorReadings['temperatures'], batteries: SensorReadings['batteries']): void {
    this.last = temperatures.length || batteries.length ? { t, temperatures, batteries } : undefined;
  }

  private async readElsewhere(now: Millis): Promise<void> {
    try {
      const si = await systeminformation();
      const [temp, battery] = await Promise.all([si.cpuTemperature().catch(() => null), si.battery().catch(() => null)]);
      const temperatures: SensorReadings['temperatures'] = [];
      if (temp && typeof temp.main === 'number' && temp.main > 0) {
        temperatures.push({ key: 'cpu/main', label: 'CPU', celsius: temp.main, ...(temp.max ? { criticalCelsius: temp.max } : {}) });
        temp.cores.forEach((c, i) => {
          if (typeof c === 'number' && c > 0) temperatures.push({ key: `cpu/core${i}`, label: `CPU core ${i}`, celsius: c });
        });
      }
      const batteries: SensorReadings['batteries'] =
        battery && battery.hasBattery
          ? [
              {
                name: 'battery',
                percent: Number.isFinite(battery.percent) ? battery.percent : null,
                status: battery.isCharging ? 'Charging' : battery.acConnected ? 'Not charging' : 'Discharging',
                watts: null,
              },
            ]
          : [];
      this.keep(now, temperatures, batteries);
    } catch {
      this.last = undefined;
    }
  }
}
