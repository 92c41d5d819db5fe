// Temperatures and batteries over a laptop's sysfs tree (test/fixtures/sysfs-laptop), and live here.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBatteries, readHwmonTemperatures } from '../../../src/backend/sampling/linux/sensors';
import { SensorSource } from '../../../src/backend/sampling/sensors';

const LAPTOP = join(__dirname, '../../fixtures/sysfs-laptop');

describe('hwmon', () => {
  it('reads every input with its chip and label, in input order, skipping what cannot be read', () => {
    expect(readHwmonTemperatures(LAPTOP)).toEqual([
      { key: 'acpitz/temp1', label: 'acpitz temp1', celsius: 27.8, criticalCelsius: 119 },
      { key: 'coretemp/Package id 0', label: 'coretemp Package id 0', celsius: 54, criticalCelsius: 100 },
      { key: 'coretemp/Core 0', label: 'coretemp Core 0', celsius: 51, criticalCelsius: 100 },
      { key: 'coretemp/Core 1', label: 'coretemp Core 1', celsius: 53 },
      { key: 'coretemp/Core 8', label: 'coretemp Core 8', celsius: 49 },
      { key: 'nvme/Composite', label: 'nvme Composite', celsius: 38.85, criticalCelsius: 84.85 },
      { key: 'nvme/Sensor 1', label: 'nvme Sensor 1', celsius: 38.85 },
    ]);
  });

  it('a machine without hwmon has no temperatures', () => {
    expect(readHwmonTemperatures('/nonexistent-sys')).toEqual([]);
  });
});

describe('power_supply', () => {
  it("reads the machine's batteries (not mains, not a mouse's), power from power_now or current × voltage", () => {
    expect(readBatteries(LAPTOP)).toEqual([
      { name: 'BAT0', percent: 76, status: 'Discharging', watts: 8.73 },
      { name: 'BAT1', percent: 41, status: 'Charging', watts: 18 },
    ]);
  });
});

describe('SensorSource', () => {
  it('reads slowly: again only after its interval', () => {
    const s = new SensorSource({ platform: 'linux', sysRoot: LAPTOP, intervalMs: 30_000 });
    const first = s.latest(1_000);
    expect(first?.temperatures).toHaveLength(7);
    expect(first?.batteries).toHaveLength(2);
    expect(s.latest(20_000)).toBe(first);
    const later = s.latest(31_000);
    expect(later).not.toBe(first);
    expect(later?.t).toBe(31_000);
  });

  it('nothing at all where there are no sensors', () => {
    expect(new SensorSource({ platform: 'linux', sysRoot: '/nonexistent-sys' }).latest(0)).toBeUndefined();
  });

  it('live on this machine: readings where it has sensors, none otherwise, never NaN', () => {
    const got = new SensorSource({ platform: 'linux' }).latest(Date.now());
    for (const t of got?.temperatures ?? []) expect(Number.isFinite(t.celsius)).toBe(true);
    for (const b of got?.batteries ?? []) if (b.percent !== null) expect(b.percent).toBeGreaterThanOrEqual(0);
  });
});
