// The rules engine, driven by synthetic series with a fake clock: sustain, hysteresis, snooze,
// grouping, the leak fit (steady growth fires; a sawtooth and a one-off step do not), filesystems.
import { describe, expect, it } from 'vitest';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { AlertEngine, type EngineStep } from '../../../src/backend/alerts/engine';
import { processLabel } from '../../../src/backend/alerts/text';
import type { AlertsConfig } from '../../../src/backend/alerts/types';
import type { ProcessSample, Snapshot } from '../../../src/backend/types';
import { systemAt } from '../../support/synthetic';

const T0 = Date.UTC(2026, 10, 1, 12);
const MB = 1024 * 1024;
const SEC = 1000;
const MIN = 60 * SEC;

function proc(pid: number, over: Partial<ProcessSample> = {}): ProcessSample {
  return {
    pid,
    ppid: 1,
    startTime: T0 - 3_600_000 + pid,
    name: 'node',
    command: `node /work/node_modules/.bin/jest --watch ${pid}`,
    user: 'dev',
    state: 'R',
    cpu: 0,
    rssBytes: 100 * MB,
    threads: 4,
    ...over,
  };
}

function snap(t: number, processes: ProcessSample[], over: { cpu?: number; availablePct?: number; fsUsed?: number } = {}): Snapshot {
  const system = systemAt(t);
  system.cpu = { ...system.cpu, total: over.cpu ?? 10 };
  const total = 16e9;
  system.mem = { ...system.mem, totalBytes: total, availableBytes: ((over.availablePct ?? 50) / 100) * total };
  system.filesystems = [{ mount: '/', fstype: 'ext4', sizeBytes: 100e9, usedBytes: over.fsUsed ?? 50e9 }];
  return { t, system, processes };
}

function setup(over: (c: AlertsConfig) => void = () => undefined) {
  const config = structuredClone(defaultMonitorConfig().alerts);
  over(config);
  let now = T0;
  const engine = new AlertEngine({ now: () => now }, config);
  const log: EngineStep[] = [];
  /** Steps every `every` ms from the current time for `ms`, building each snapshot with `make`. */
  const run = (ms: number, make: (t: number) => Snapshot, every = 2 * SEC): EngineStep => {
    const all: EngineStep = { started: [], ended: [] };
    for (const end = now + ms; now < end;) {
      now += every;
      const step = engine.step(make(now));
      log.push(step);
      all.started.push(...step.started);
      all.ended.push(...step.ended);
    }
    return all;
  };
  return { engine, run, config, at: () => now };
}

describe('alert engine: process CPU', () => {
  it('fires once the condition has held for the sustain time, naming the process and its figure', () => {
    const { run, engine } = setup();
    const busy = (t: number) => snap(t, [proc(42, { cpu: 198 }), proc(43, { cpu: 3 })]);
    expect(run(118 * SEC, busy).started).toEqual([]);
    const { started } = run(4 * SEC, busy);
    expect(started).toHaveLength(1);
    const a = started[0]!;
    expect(a.rule).toBe('processCpu');
    expect(a.start).toBe(T0 + 2 * SEC);
    expect(a.end).toBeNull();
    expect(a.culprit.processes.map((p) => p.pid)).toEqual([42]);
    expect(a.culprit.label).toBe('node (jest)');
    expect(a.peak).toEqual({ value: 198, unit: '%core' });
    expect(a.text).toBe('node (jest) has used 198 % of a core for 2 min');
    expect(engine.activeAlerts().map((x) => x.id)).toEqual([a.id]);
    // Still busy: one alert per culprit, never a second one.
    expect(run(10 * MIN, busy).started).toEqual([]);
  });

  it('a short dip before firing does not restart the count; a long one does', () => {
    const { run } = setup();
    const at = (cpu: number) => (t: number) => snap(t, [proc(42, { cpu })]);
    run(60 * SEC, at(150));
    run(4 * SEC, at(10));
    expect(run(60 * SEC, at(150)).started).toHaveLength(1);
    const b = setup();
    b.run(60 * SEC, at(150));
    b.run(30 * SEC, at(10));
    expect(b.run(100 * SEC, at(150)).started).toEqual([]);
    expect(b.run(30 * SEC, at(150)).started).toHaveLength(1);
  });

  it('hysteresis: ends only after the condition has been false for endAfterSeconds, then can fire again', () => {
    const { run, engine } = setup((c) => (c.endAfterMs = 60 * SEC));
    const at = (cpu: number) => (t: number) => snap(t, [proc(42, { cpu })]);
    run(130 * SEC, at(150));
    // Hovering around the threshold: one alert, no end.
    for (let i = 0; i < 5; i++) {
      const s = run(20 * SEC, at(50));
      expect(s.ended).toEqual([]);
      run(4 * SEC, at(150));
    }
    const lastBusy = engine.activeAlerts()[0]!;
    const quiet = run(70 * SEC, at(5));
    expect(quiet.ended).toHaveLength(1);
    expect(quiet.ended[0]!.id).toBe(lastBusy.id);
    expect(quiet.ended[0]!.end).toBeGreaterThan(quiet.ended[0]!.start);
    expect(engine.activeAlerts()).toEqual([]);
    expect(run(130 * SEC, at(150)).started).toHaveLength(1);
  });

  it('an alert whose process is gone ends at once', () => {
    const { run } = setup();
    run(130 * SEC, (t) => snap(t, [proc(42, { cpu: 150 })]));
    const s = run(2 * SEC, (t) => snap(t, []));
    expect(s.ended).toHaveLength(1);
  });

  it('snooze per rule and culprit: that culprit stays silent, another one does not', () => {
    const { run, engine, at } = setup((c) => (c.endAfterMs = 0));
    const key = 'process:42@' + (T0 - 3_600_000 + 42);
    expect(engine.snooze('processCpu', key, at() + 3_600_000)).toBe(true);
    expect(engine.snooze('processCpu', key, at() - 1)).toBe(false);
    const s = run(200 * SEC, (t) => snap(t, [proc(42, { cpu: 150 }), proc(43, { cpu: 150 })]));
    expect(s.started.map((a) => a.culprit.processes[0]!.pid)).toEqual([43]);
    // The snooze runs out while 42 is still busy: it fires then.
    expect(run(3_600_000, (t) => snap(t, [proc(42, { cpu: 150 }), proc(43, { cpu: 150 })]), 10 * SEC).started).toHaveLength(1);
  });

  it('groups the processes of one extension (roles), only groups of two or more', () => {
    const { run } = setup();
    const role = { kind: 'extension' as const, detail: '', extensionId: 'ms-python.python', extensionName: 'Python' };
    const s = run(130 * SEC, (t) =>
      snap(t, [proc(50, { cpu: 60, role, name: 'python' }), proc(51, { cpu: 60, role, name: 'python' }), proc(52, { cpu: 5 })]),
    );
    expect(s.started).toHaveLength(1);
    const g = s.started[0]!;
    expect(g.culprit).toMatchObject({ kind: 'group', key: 'group:extension:ms-python.python', label: 'extension Python' });
    expect(g.culprit.processes.map((p) => p.pid).sort()).toEqual([50, 51]);
    expect(g.peak.value).toBe(120);
  });

  it('disabled rule or alerts: nothing fires, active ones end', () => {
    const { run, config } = setup();
    run(130 * SEC, (t) => snap(t, [proc(42, { cpu: 150 })]));
    config.processCpu.enabled = false;
    expect(run(2 * SEC, (t) => snap(t, [proc(42, { cpu: 150 })])).ended).toHaveLength(1);
    expect(run(300 * SEC, (t) => snap(t, [proc(42, { cpu: 150 })])).started).toEqual([]);
  });
});

describe('alert engine: machine and memory', () => {
  it('machine CPU names the top processes', () => {
    const { run } = setup();
    const s = run(302 * SEC, (t) => snap(t, [proc(1, { cpu: 99 }), proc(2, { cpu: 97, name: 'cc1' }), proc(3, { cpu: 1 })], { cpu: 97 }));
    const m = s.started.find((a) => a.rule === 'machineCpu')!;
    expect(m.culprit.key).toBe('machine');
    expect(m.culprit.processes.map((p) => p.pid)).toEqual([1, 2, 3]);
    expect(m.text).toMatch(/^The machine's CPU has been at 97 % for 5 min; busiest: node \(jest\) 99 %, cc1 97 %/);
  });

  it('low memory names the largest and the fastest-growing processes, peak is the lowest figure', () => {
    const { run } = setup();
    run(10 * MIN, (t) => snap(t, [proc(1, { rssBytes: 4000 * MB }), proc(2, { rssBytes: 100 * MB + ((t - T0) / MIN) * 20 * MB })]));
    const s = run(10 * SEC, (t) =>
      snap(t, [proc(1, { rssBytes: 4000 * MB }), proc(2, { rssBytes: 100 * MB + ((t - T0) / MIN) * 20 * MB })], { availablePct: 5 }),
    );
    expect(s.started).toHaveLength(1);
    const a = s.started[0]!;
    expect(a.rule).toBe('lowMemory');
    expect(a.peak).toEqual({ value: 5, unit: '%' });
    expect(String(a.details.largest)).toMatch(/^node \(jest\) 3\.9 GB/);
    expect(String(a.details.growing)).toMatch(/^node \(jest\) 1\.2 GB\/h/);
    expect(a.text).toContain('growing fastest');
  });
});

describe('alert engine: leaks', () => {
  const leakRun = (rss: (minutes: number) => number, minutes = 45) => {
    const { run } = setup();
    return run(minutes * MIN, (t) => snap(t, [proc(7, { rssBytes: rss((t - T0) / MIN) })]), 10 * SEC);
  };

  it('steady growth at the threshold fires, naming the slope and the start of the fitted window', () => {
    // 5 MB per minute = 300 MB/h, with noise and a GC sawtooth on top.
    const s = leakRun((m) => 500 * MB + m * 5 * MB + ((m * 60) % 20) * 2 * MB + Math.sin(m * 7) * MB);
    const leaks = s.started.filter((a) => a.rule === 'leak');
    expect(leaks).toHaveLength(1);
    const a = leaks[0]!;
    expect(a.peak.unit).toBe('bytes/h');
    expect(a.peak.value / MB).toBeGreaterThan(250);
    expect(a.peak.value / MB).toBeLessThan(350);
    expect(Number(a.details.r2)).toBeGreaterThan(0.9);
    // Fires after ~30 min of watching; the event starts where the fitted window began.
    expect(a.start).toBeLessThanOrEqual(T0 + 2 * MIN);
    expect(a.text).toMatch(/^node \(jest\)'s memory has grown \d+ MB\/h for \d+ min \(now /);
  });

  it('a garbage-collected sawtooth that does not grow does not fire', () => {
    // Climbs 300 MB in 4 minutes, collected back down, again and again.
    const s = leakRun((m) => 500 * MB + (m % 4) * 75 * MB, 90);
    expect(s.started.filter((a) => a.rule === 'leak')).toEqual([]);
  });

  it('a one-off step does not fire, wherever it falls in the window', () => {
    for (const at of [10, 20, 28, 35]) {
      const s = leakRun((m) => (m < at ? 500 : 900) * MB, 75);
      expect(
        s.started.filter((a) => a.rule === 'leak'),
        `step at ${at} min`,
      ).toEqual([]);
    }
  });

  it('growth below the threshold does not fire', () => {
    const s = leakRun((m) => 500 * MB + m * 2 * MB, 60); // 120 MB/h
    expect(s.started.filter((a) => a.rule === 'leak')).toEqual([]);
  });
});

describe('alert engine: filesystems', () => {
  it('fires when the percent-full threshold is reached', () => {
    const { run } = setup();
    const s = run(4 * SEC, (t) => snap(t, [], { fsUsed: 96e9 }));
    expect(s.started).toHaveLength(1);
    expect(s.started[0]!.culprit).toMatchObject({ kind: 'filesystem', mount: '/', key: 'fs:/' });
    expect(s.started[0]!.text).toMatch(/^\/ is 96 % full/);
  });

  it('fires when the last hour projects it full within 24 h, not for a slow fill', () => {
    // 50 GB free, filling at 3 GB/h: full in ~17 h.
    const fast = setup();
    const s = fast.run(40 * MIN, (t) => snap(t, [], { fsUsed: 50e9 + ((t - T0) / 3_600_000) * 3e9 }), 30 * SEC);
    expect(s.started).toHaveLength(1);
    expect(Number(s.started[0]!.details.hoursToFull)).toBeGreaterThan(15);
    expect(Number(s.started[0]!.details.hoursToFull)).toBeLessThan(17);
    expect(s.started[0]!.text).toMatch(/^\/ will be full in about 1\d h/);
    // 1 GB/h: 50 h to full.
    const slow = setup();
    expect(slow.run(60 * MIN, (t) => snap(t, [], { fsUsed: 50e9 + ((t - T0) / 3_600_000) * 1e9 }), 30 * SEC).started).toEqual([]);
    // Projection off: only the percent.
    const off = setup((c) => (c.filesystem.projectionHours = 0));
    expect(off.run(40 * MIN, (t) => snap(t, [], { fsUsed: 50e9 + ((t - T0) / 3_600_000) * 3e9 }), 30 * SEC).started).toEqual([]);
  });
});

describe('process labels', () => {
  it('names the script a runner runs, or the extension a process serves', () => {
    expect(processLabel({ name: 'node', command: 'node /x/node_modules/.bin/jest --watch', role: undefined })).toBe('node (jest)');
    expect(processLabel({ name: 'python3', command: 'python3 -u train.py', role: undefined })).toBe('python3 (train)');
    expect(processLabel({ name: 'node', command: 'node -e for(;;){}', role: undefined })).toBe('node');
    expect(processLabel({ name: 'python3', command: 'python3 -m pytest -x', role: undefined })).toBe('python3 (pytest)');
    expect(processLabel({ name: 'node', command: 'node -r ts-node/register src/app.ts', role: undefined })).toBe('node (app)');
    expect(processLabel({ name: 'cc1', command: 'cc1 -O2 x.c', role: undefined })).toBe('cc1');
    expect(processLabel({ name: 'node', command: '', role: undefined })).toBe('node');
    expect(
      processLabel({ name: 'node', command: 'node x', role: { kind: 'extension', detail: '', extensionId: 'a.b', extensionName: 'B' } }),
    ).toBe('node (B)');
  });
});
