// The rules: from one snapshot (and what earlier ones left in the per-process series), which
// conditions hold now, for which culprit, with which figure. Pure apart from the series they keep;
// whether a condition has held long enough, and when it is over, is the engine's (engine.ts).
import type { Millis, ProcessSample, Snapshot } from '../types';
import { processKeyString } from '../types';
import { fitLine } from './fit';
import { MinuteMinima } from './series';
import { bytesFigure, cpuFigure, durationText, namedList, processLabel, rateFigure } from './text';
import type { AlertCulprit, AlertProcess, AlertRule, AlertsConfig, AlertUnit } from './types';

/** A condition that holds now. */
export interface Observation {
  rule: AlertRule;
  culprit: AlertCulprit;
  value: number;
  unit: AlertUnit;
  /** Whether a higher figure is worse (CPU, growth) or a lower one (available memory). */
  worse: 'up' | 'down';
  /** How long it must hold before the alert starts. */
  sustainMs: number;
  /** How far back the condition already reached when first seen (a leak's fitted window): the event starts there. */
  lookbackMs?: number;
  details: Record<string, number | string | null>;
  /** The line for people, given how long it has held and the worst figure so far. */
  describe(durationMs: number, peak: number): string;
}

export interface Observed {
  observations: Observation[];
  /** Whether a process or group culprit (by key) still runs: an alert of a gone one ends at once. */
  alive: (key: string) => boolean;
}

interface LeakFit {
  slope: number;
  r2: number;
  halves: [number, number];
  n: number;
}

/** A process's memory series, by pid: no key string is built for each process every interval. */
interface ProcessSeries {
  startTime: Millis;
  minima: MinuteMinima;
  /** The interval that last saw it. */
  seen: number;
  fit?: LeakFit | undefined;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Good enough a fit for a leak: the line explains this much of the minima's variance. */
export const LEAK_MIN_R2 = 0.8;
/** Processes named by machine-wide alerts. */
const TOP = 3;
/** The filesystem projection needs at least this much of the last hour. */
const FS_MIN_SPAN = 15 * MINUTE;

export const processKey = (p: Pick<ProcessSample, 'pid' | 'startTime'>): string => `process:${processKeyString(p)}`;

function asProcess(p: ProcessSample, value: number): AlertProcess {
  return { pid: p.pid, startTime: p.startTime, name: processLabel(p), value };
}

interface Group {
  key: string;
  group: string;
  label: string;
  members: ProcessSample[];
}

/**
 * Processes serving one extension, once process samples carry VS Code roles (src/backend/vscode/).
 * Only groups of two or more: a group of one is its process, which has its own alert.
 */
function extensionGroups(processes: readonly ProcessSample[]): Group[] {
  const groups = new Map<string, Group>();
  for (const p of processes) {
    const id = p.role?.extensionId;
    if (!id) continue;
    const group = `extension:${id}`;
    let g = groups.get(group);
    if (!g) groups.set(group, (g = { key: `group:${group}`, group, label: `extension ${p.role?.extensionName || id}`, members: [] }));
    g.members.push(p);
  }
  return [...groups.values()].filter((g) => g.members.length >= 2);
}

function groupCulprit(g: Group, value: (p: ProcessSample) => number): AlertCulprit {
  return { key: g.key, kind: 'group', label: g.label, group: g.group, processes: g.members.map((p) => asProcess(p, value(p))) };
}

/** The per-culprit series the leak, low-memory and filesystem rules need across snapshots. */
export class RuleState {
  private readonly processMemory = new Map<number, ProcessSeries>();
  private readonly groupMemory = new Map<string, MinuteMinima>();
  private readonly used = new Map<string, MinuteMinima>();
  /** The groups' leak fits, redone once per minute (a fit needs whole minutes), by culprit key; a process's is on its series. */
  private groupFits = new Map<string, LeakFit>();
  private leakMinute = -1;
  private interval = 0;

  observe(s: Snapshot, c: AlertsConfig): Observed {
    const observations: Observation[] = [];
    const groups = extensionGroups(s.processes);
    this.track(s, groups, c);
    // Asked only for an alert whose culprit was not observed this interval: rare, so built on demand.
    let aliveKeys: Set<string> | undefined;
    const alive = (key: string): boolean => {
      aliveKeys ??= new Set([...s.processes.map(processKey), ...groups.map((g) => g.key)]);
      return aliveKeys.has(key);
    };
    if (c.processCpu.enabled) observations.push(...processCpu(s, groups, c));
    if (c.machineCpu.enabled) observations.push(...machineCpu(s, c));
    if (c.lowMemory.enabled) observations.push(...this.lowMemory(s, c));
    if (c.leak.enabled) observations.push(...this.leaks(s, groups, c));
    if (c.filesystem.enabled) observations.push(...this.filesystems(s, c));
    return { observations, alive };
  }

  /** Feeds the series and forgets the processes that are gone. */
  private track(s: Snapshot, groups: Group[], c: AlertsConfig): void {
    const keep = c.leak.windowMs + MINUTE;
    const interval = ++this.interval;
    for (const p of s.processes) {
      let series = this.processMemory.get(p.pid);
      if (!series || series.startTime !== p.startTime) {
        // New, or its pid is someone else's now.
        series = { startTime: p.startTime, minima: new MinuteMinima(keep), seen: interval };
        this.processMemory.set(p.pid, series);
      }
      series.seen = interval;
      series.minima.add(s.t, p.rssBytes);
    }
    for (const [pid, series] of this.processMemory) if (series.seen !== interval) this.processMemory.delete(pid);
    const seen = new Set<string>();
    for (const g of groups) {
      seen.add(g.key);
      let m = this.groupMemory.get(g.key);
      if (!m) this.groupMemory.set(g.key, (m = new MinuteMinima(keep)));
      m.add(
        s.t,
        g.members.reduce((sum, p) => sum + p.rssBytes, 0),
      );
    }
    for (const key of this.groupMemory.keys()) if (!seen.has(key)) this.groupMemory.delete(key);
    for (const fs of s.system.filesystems) {
      let m = this.used.get(fs.mount);
      if (!m) this.used.set(fs.mount, (m = new MinuteMinima(HOUR)));
      m.add(s.t, fs.usedBytes);
    }
  }

  /** Bytes per hour a culprit's memory grew over the last few whole minutes (for "fastest-growing"). */
  private growth(p: ProcessSample, now: Millis): number {
    const minute = Math.floor(now / MINUTE) * MINUTE;
    const series = this.processMemory.get(p.pid);
    const fit = fitLine(series?.startTime === p.startTime ? series.minima.between(minute - 10 * MINUTE, minute) : []);
    return fit ? fit.slope * HOUR : 0;
  }

  private lowMemory(s: Snapshot, c: AlertsConfig): Observation[] {
    const { totalBytes, availableBytes } = s.system.mem;
    if (totalBytes <= 0) return [];
    const pct = (availableBytes / totalBytes) * 100;
    if (pct >= c.lowMemory.availablePercent) return [];
    const largest = [...s.processes].sort((a, b) => b.rssBytes - a.rssBytes).slice(0, TOP);
    const growing = s.processes
      .map((p) => ({ p, g: this.growth(p, s.t) }))
      .filter((x) => x.g > 0)
      .sort((a, b) => b.g - a.g)
      .slice(0, TOP);
    const named = [...largest.map((p) => asProcess(p, p.rssBytes))];
    for (const { p } of growing) if (!largest.includes(p)) named.push(asProcess(p, p.rssBytes));
    return [
      {
        rule: 'lowMemory',
        culprit: { key: 'memory', kind: 'machine', label: 'memory', processes: named },
        value: pct,
        unit: '%',
        worse: 'down',
        sustainMs: 0,
        details: {
          threshold: c.lowMemory.availablePercent,
          availableBytes,
          totalBytes,
          largest: namedList(
            largest.map((p) => ({ name: processLabel(p), value: p.rssBytes })),
            bytesFigure,
          ),
          growing: namedList(
            growing.map(({ p, g }) => ({ name: processLabel(p), value: g })),
            rateFigure,
          ),
        },
        describe: (ms, peak) =>
          `Only ${Math.round(peak)} % of memory (${bytesFigure(availableBytes)}) has been available for ${durationText(ms)}; ` +
          `largest: ${namedList(
            largest.map((p) => ({ name: processLabel(p), value: p.rssBytes })),
            bytesFigure,
          )}` +
          (growing.length
            ? `; growing fastest: ${namedList(
                growing.map(({ p, g }) => ({ name: processLabel(p), value: g })),
                rateFigure,
              )}`
            : ''),
      },
    ];
  }

  private leaks(s: Snapshot, groups: Group[], c: AlertsConfig): Observation[] {
    const minute = Math.floor(s.t / MINUTE) * MINUTE;
    if (minute !== this.leakMinute) {
      this.leakMinute = minute;
      const from = minute - c.leak.windowMs;
      const fitOf = (series: MinuteMinima): LeakFit | undefined => {
        // Watched for the whole window: its first whole minute is at or before the window's start.
        const first = series.first;
        if (!first || first.x > from) return undefined;
        const points = series.between(from, minute);
        if (points.length < Math.max(5, (c.leak.windowMs / MINUTE) * 0.8)) return undefined;
        const fit = fitLine(points);
        if (!fit) return undefined;
        const mid = from + c.leak.windowMs / 2;
        const a = fitLine(points.filter((p) => p.x < mid));
        const b = fitLine(points.filter((p) => p.x >= mid));
        return { slope: fit.slope * HOUR, r2: fit.r2, halves: [(a?.slope ?? 0) * HOUR, (b?.slope ?? 0) * HOUR], n: fit.n };
      };
      for (const series of this.processMemory.values()) series.fit = fitOf(series.minima);
      this.groupFits = new Map();
      for (const [key, series] of this.groupMemory) {
        const fit = fitOf(series);
        if (fit) this.groupFits.set(key, fit);
      }
    }
    const out: Observation[] = [];
    const minutes = c.leak.windowMs / MINUTE;
    const leaking = (f: LeakFit | undefined) => {
      // Steady: the whole window fits a line well, and each half grows too, so a one-off step
      // (flat, jump, flat) is not a leak however well a line happens to pass through it.
      const threshold = c.leak.bytesPerHour;
      return f && f.slope >= threshold && f.r2 >= LEAK_MIN_R2 && f.halves[0] >= threshold / 3 && f.halves[1] >= threshold / 3
        ? f
        : undefined;
    };
    const observation = (culprit: AlertCulprit, rss: number, f: { slope: number; r2: number }): Observation => ({
      rule: 'leak',
      culprit,
      value: f.slope,
      unit: 'bytes/h',
      worse: 'up',
      sustainMs: 0,
      lookbackMs: c.leak.windowMs,
      details: { thresholdBytesPerHour: c.leak.bytesPerHour, windowMinutes: minutes, r2: Number(f.r2.toFixed(3)), rssBytes: rss },
      describe: (ms, peak) => `${culprit.label}'s memory has grown ${rateFigure(peak)} for ${durationText(ms)} (now ${bytesFigure(rss)})`,
    });
    for (const p of s.processes) {
      const f = leaking(this.processMemory.get(p.pid)?.fit);
      if (f)
        out.push(
          observation(
            { key: processKey(p), kind: 'process', label: processLabel(p), processes: [asProcess(p, p.rssBytes)] },
            p.rssBytes,
            f,
          ),
        );
    }
    for (const g of groups) {
      const f = leaking(this.groupFits.get(g.key));
      const rss = g.members.reduce((sum, p) => sum + p.rssBytes, 0);
      if (f)
        out.push(
          observation(
            groupCulprit(g, (p) => p.rssBytes),
            rss,
            f,
          ),
        );
    }
    return out;
  }

  private filesystems(s: Snapshot, c: AlertsConfig): Observation[] {
    const out: Observation[] = [];
    for (const fs of s.system.filesystems) {
      if (fs.sizeBytes <= 0) continue;
      const pct = (fs.usedBytes / fs.sizeBytes) * 100;
      const minute = Math.floor(s.t / MINUTE) * MINUTE;
      const points = this.used.get(fs.mount)?.between(minute - HOUR, minute + MINUTE) ?? [];
      const span = points.length ? points[points.length - 1]!.x - points[0]!.x : 0;
      const fit = span >= FS_MIN_SPAN ? fitLine(points) : null;
      const rate = fit ? fit.slope * HOUR : 0;
      const hoursToFull = rate > 0 ? (fs.sizeBytes - fs.usedBytes) / rate : null;
      const full = pct >= c.filesystem.percent;
      const soon = c.filesystem.projectionHours > 0 && hoursToFull !== null && hoursToFull <= c.filesystem.projectionHours;
      if (!full && !soon) continue;
      out.push({
        rule: 'filesystem',
        culprit: { key: `fs:${fs.mount}`, kind: 'filesystem', label: fs.mount, mount: fs.mount, processes: [] },
        value: pct,
        unit: '%',
        worse: 'up',
        sustainMs: 0,
        details: {
          threshold: c.filesystem.percent,
          sizeBytes: fs.sizeBytes,
          usedBytes: fs.usedBytes,
          bytesPerHour: Math.round(rate),
          hoursToFull: hoursToFull === null ? null : Number(hoursToFull.toFixed(2)),
          projectionHours: c.filesystem.projectionHours,
        },
        describe: (_ms, peak) =>
          full
            ? `${fs.mount} is ${Math.round(peak)} % full (${bytesFigure(fs.sizeBytes - fs.usedBytes)} free)`
            : `${fs.mount} will be full in about ${durationText((hoursToFull ?? 0) * HOUR)} at the last hour's rate of ${rateFigure(rate)} (${Math.round(pct)} % full)`,
      });
    }
    return out;
  }
}

function processCpu(s: Snapshot, groups: Group[], c: AlertsConfig): Observation[] {
  const { percent, sustainMs } = c.processCpu;
  const out: Observation[] = [];
  const details = { threshold: percent, sustainSeconds: sustainMs / 1000 };
  for (const p of s.processes) {
    if (p.cpu < percent) continue;
    const label = processLabel(p);
    out.push({
      rule: 'processCpu',
      culprit: { key: processKey(p), kind: 'process', label, processes: [asProcess(p, p.cpu)] },
      value: p.cpu,
      unit: '%core',
      worse: 'up',
      sustainMs,
      details: { ...details, pid: p.pid },
      describe: (ms, peak) => `${label} has used ${cpuFigure(peak)} of a core for ${durationText(ms)}`,
    });
  }
  for (const g of groups) {
    const total = g.members.reduce((sum, p) => sum + p.cpu, 0);
    if (total < percent) continue;
    out.push({
      rule: 'processCpu',
      culprit: groupCulprit(g, (p) => p.cpu),
      value: total,
      unit: '%core',
      worse: 'up',
      sustainMs,
      details: { ...details, members: g.members.length },
      describe: (ms, peak) => `The processes of ${g.label} have used ${cpuFigure(peak)} of a core for ${durationText(ms)}`,
    });
  }
  return out;
}

function machineCpu(s: Snapshot, c: AlertsConfig): Observation[] {
  const { percent, sustainMs } = c.machineCpu;
  const total = s.system.cpu.total;
  if (total < percent) return [];
  const top = [...s.processes].sort((a, b) => b.cpu - a.cpu).slice(0, TOP);
  const list = namedList(
    top.map((p) => ({ name: processLabel(p), value: p.cpu })),
    cpuFigure,
  );
  return [
    {
      rule: 'machineCpu',
      culprit: { key: 'machine', kind: 'machine', label: 'the machine', processes: top.map((p) => asProcess(p, p.cpu)) },
      value: total,
      unit: '%',
      worse: 'up',
      sustainMs,
      details: { threshold: percent, sustainSeconds: sustainMs / 1000, cores: s.system.cores.length, top: list },
      describe: (ms, peak) => `The machine's CPU has been at ${cpuFigure(peak)} for ${durationText(ms)}${list ? `; busiest: ${list}` : ''}`,
    },
  ];
}
