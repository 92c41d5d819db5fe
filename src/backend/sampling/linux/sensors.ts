// Temperatures and batteries from sysfs. Read every `SENSOR_INTERVAL_MS` (sampling/sensors.ts), not
// every sample: they change slowly, and a hwmon read can wake a sleeping device.
//
//   /sys/class/hwmon/hwmon<N>/name             the chip (coretemp, k10temp, nvme, acpitz…)
//   /sys/class/hwmon/hwmon<N>/temp<i>_input    millidegrees Celsius
//   /sys/class/hwmon/hwmon<N>/temp<i>_label    optional ("Package id 0", "Composite")
//   /sys/class/hwmon/hwmon<N>/temp<i>_crit     optional, millidegrees
//   /sys/class/power_supply/<name>/type        "Battery" (others are mains, USB…)
//   /sys/class/power_supply/<name>/capacity    percent
//   /sys/class/power_supply/<name>/status      Charging, Discharging, Full, Not charging, Unknown
//   /sys/class/power_supply/<name>/power_now   µW; or current_now (µA) × voltage_now (µV)
//
// The root is injected so tests read fixture trees; a machine without these directories (a VM, a
// container) has no readings, and nothing is shown.

import { readdirSync, readFileSync } from 'node:fs';
import type { BatteryReading, TemperatureReading } from '../../types';

export function readHwmonTemperatures(sysRoot = '/sys'): TemperatureReading[] {
  const base = `${sysRoot}/class/hwmon`;
  const out: TemperatureReading[] = [];
  for (const dir of list(base)) {
    const chipDir = `${base}/${dir}`;
    const chip = read(`${chipDir}/name`) ?? dir;
    const inputs = list(chipDir)
      .map((f) => /^temp(\d+)_input$/.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]));
    for (const m of inputs) {
      const i = m[1]!;
      const milli = num(read(`${chipDir}/temp${i}_input`));
      // A sensor that is there but reads nothing (or an error) is left out rather than shown as 0.
      if (milli === null) continue;
      const label = read(`${chipDir}/temp${i}_label`);
      const crit = num(read(`${chipDir}/temp${i}_crit`));
      const name = label ?? `temp${i}`;
      out.push({
        key: uniqueKey(out, `${chip}/${name}`),
        label: label ? `${chip} ${label}` : `${chip} temp${i}`,
        celsius: milli / 1000,
        ...(crit !== null && crit > 0 ? { criticalCelsius: crit / 1000 } : {}),
      });
    }
  }
  return out;
}

export function readBatteries(sysRoot = '/sys'): BatteryReading[] {
  const base = `${sysRoot}/class/power_supply`;
  const out: BatteryReading[] = [];
  for (const name of list(base).sort()) {
    const dir = `${base}/${name}`;
    if (read(`${dir}/type`) !== 'Battery') continue;
    // Peripherals (a mouse's battery) say scope Device; the machine's own say System or nothing.
    if (read(`${dir}/scope`) === 'Device') continue;
    const capacity = num(read(`${dir}/capacity`));
    const powerMicroW = num(read(`${dir}/power_now`));
    const currentMicroA = num(read(`${dir}/current_now`));
    const voltageMicroV = num(read(`${dir}/voltage_now`));
    const watts =
      powerMicroW !== null
        ? Math.abs(powerMicroW) / 1e6
        : currentMicroA !== null && voltageMicroV !== null
          ? Math.abs(currentMicroA * voltageMicroV) / 1e12
          : null;
    out.push({
      name,
      percent: capacity,
      status: read(`${dir}/status`) ?? 'Unknown',
      watts: watts === null ? null : Math.round(watts * 100) / 100,
    });
  }
  return out;
}

function uniqueKey(taken: readonly TemperatureReading[], key: string): string {
  let k = key;
  for (let n = 2; taken.some((t) => t.key === k); n++) k = `${key}#${n}`;
  return k;
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function read(file: string): string | null {
  try {
    const t = readFileSync(file, 'utf8').trim();
    return t === '' ? null : t;
  } catch {
    return null;
  }
}

function num(text: string | null): number | null {
  if (text === null) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}
