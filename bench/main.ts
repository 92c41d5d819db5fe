// `npm run bench [-- --quick]`: what Vitals costs while it watches, measured against its peers and
// against the floor, side by side in one run (the machine is shared and noisy, so ratios measured
// together mean more than absolute figures; both are reported). Prints a table and writes it with
// the machine, date and command to BENCHMARKS.md (quick mode: out/bench/BENCHMARKS-quick.md).
// A missed budget prints MISSED; the exit code is 0 unless a measurement failed to run.
//
// Options: --quick (under 2 minutes: fewer runs, smaller databases, a shorter history; the table
// says which), --out <file>, --days <n> (simulated history), --only <section,…> (skipped sections'
// databases come from an earlier run's out/bench/work when there).
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { runChild, serveChild } from './lib/child';
import { processCount } from './lib/cpu';
import { startLoad, waitGone, DEFAULT_LOAD, type Load } from './lib/load';
import { mb, num, ratio, spread, withSpread } from './lib/stats';
import { activateOnce, type ActivateResult } from './sections/activate';
import { simulatedHistory, type HistoryResult } from './sections/history';
import { hostStall, type HostResult } from './sections/host';
import { wholeMonitor, type MonitorResult } from './sections/monitor';
import { processSamplers, systemSamplers, type SamplerResult } from './sections/samplers';
import type { CheckpointResult } from './sections/checkpointMemory';
import { GROWTH_RETENTION, storageBySize, type StorageResult } from './sections/storage';
import { vsixSize, type VsixResult } from './sections/vsix';
import { metricsEndpoint, type MetricsResult } from './sections/metrics';
import { shippedRecorder, type ShippedResult } from './sections/shipped';
import { OPTIMIZATIONS } from './notes';

const JOBS = {
  processSamplers,
  systemSamplers,
  wholeMonitor,
  storageBySize,
  simulatedHistory,
  hostStall,
  activateOnce,
};

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'out', 'bench');
const WORK = join(OUT, 'work');
const EXT = join(OUT, 'ext');
const LEAN = join(OUT, 'lean.js');
const SI_MONITOR = join(OUT, 'si-monitor.js');

interface Options {
  quick: boolean;
  out: string;
  days: number;
  only: Set<string> | undefined;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = value('--only');
  return {
    quick,
    out: value('--out') ?? (quick ? join(OUT, 'BENCHMARKS-quick.md') : join(ROOT, 'BENCHMARKS.md')),
    days: Number(value('--days') ?? (quick ? 1 / 12 : 30)),
    only: only ? new Set(only.split(',')) : undefined,
  };
}

type Status = 'ok' | 'MISSED' | 'reported' | 'not measured';

interface Row {
  figure: string;
  vitals: string;
  compared: string;
  budget: string;
  status: Status;
  /** For the report's list of misses: by how much. */
  miss?: string;
}

const rows: Row[] = [];

/**
 * With --only, a database an earlier run kept in out/bench/work stands in for the section that
 * was skipped (the 30-day history takes ~20 minutes to build); the notes say so.
 */
let onlyOpts: Options | undefined;
function earlier(name: string): string | undefined {
  const path = join(WORK, name);
  if (!onlyOpts?.only || !existsSync(path)) return undefined;
  notes.push(
    `Seeded from ${relative(ROOT, path)}, kept by an earlier run (${statSync(path).mtime.toISOString().slice(0, 16).replace('T', ' ')} UTC).`,
  );
  return path;
}
const failures: string[] = [];
const notes: string[] = [];

function row(r: Row): void {
  rows.push(r);
  const mark = r.status === 'MISSED' ? '  << MISSED' : '';
  console.log(
    `  ${r.figure}: ${r.vitals}${r.compared ? ` | vs ${r.compared}` : ''}${r.budget ? ` | budget ${r.budget}` : ''} → ${r.status}${mark}`,
  );
}

function notMeasured(figure: string, budget: string, why: string): void {
  row({ figure, vitals: '—', compared: '', budget, status: 'not measured', miss: why });
  failures.push(`${figure}: ${why}`);
}

const check = (ok: boolean): Status => (ok ? 'ok' : 'MISSED');

function ratios(a: number[], b: number[]): number[] {
  return a.map((x, i) => x / b[i]!);
}

async function section<T>(name: string, opts: Options, fn: () => Promise<T>, figures: string[]): Promise<T | undefined> {
  if (opts.only && !opts.only.has(name)) return undefined;
  console.log(`\n== ${name}`);
  const t0 = performance.now();
  try {
    const r = await fn();
    console.log(`   (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    return r;
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    console.error(e);
    for (const f of figures) notMeasured(f, '', `${name} failed to run: ${why}`);
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------

function reportSamplers(p: SamplerResult, s: SamplerResult): void {
  const v = spread(p.cpuMs.vitals!);
  const bare = spread(p.cpuMs.bare!);
  const ps = spread(p.cpuMs.ps!);
  const si = spread(p.cpuMs.si!);
  const vsBare = spread(ratios(p.cpuMs.vitals!, p.cpuMs.bare!));
  const siOver = spread(ratios(p.cpuMs.si!, p.cpuMs.vitals!));
  const psOver = spread(ratios(p.cpuMs.ps!, p.cpuMs.vitals!));
  const okBare = vsBare.median <= 2;
  const okSi = siOver.median >= 20;
  row({
    figure: `Process sampler, CPU per sample (${p.processes} processes)`,
    vitals: withSpread(v, 'ms'),
    compared:
      `bare /proc read ${withSpread(bare, 'ms')} → Vitals = ${ratio(vsBare.median)} of it; ` +
      `\`ps -eo …\` ${withSpread(ps, 'ms')} (${ratio(psOver.median)} Vitals); ` +
      `systeminformation.processes() ${withSpread(si, 'ms')} (${ratio(siOver.median)} Vitals)`,
    budget: '≤ 2× bare /proc; systeminformation ≥ 20× Vitals',
    status: check(okBare && okSi),
    miss: [
      !okBare ? `${ratio(vsBare.median)} of bare /proc (budget 2×)` : '',
      !okSi ? `systeminformation only ${ratio(siOver.median)} Vitals (budget 20×)` : '',
    ]
      .filter(Boolean)
      .join('; '),
  });
  const sv = spread(s.cpuMs.vitals!);
  const ssi = spread(s.cpuMs.si!);
  const sOver = spread(ratios(s.cpuMs.si!, s.cpuMs.vitals!));
  row({
    figure: 'System sampler, CPU per sample',
    vitals: withSpread(sv, 'ms'),
    compared: `systeminformation currentLoad + mem + fsSize + networkStats ${withSpread(ssi, 'ms')} = ${ratio(sOver.median)} Vitals (${num(sOver.min)}–${num(sOver.max)}×)`,
    budget: 'systeminformation ≥ 20× Vitals',
    status: check(sOver.median >= 20),
    miss: sOver.median >= 20 ? undefined : `${ratio(sOver.median)} (budget 20×)`,
  });
}

function reportMonitor(
  m: MonitorResult,
  windowS: number,
  h: HistoryResult | undefined,
  cps: { targetMB: number; r: CheckpointResult }[],
): void {
  const c = spread(m.cpuPercent);
  const cp64 = cps[cps.length - 1];
  const cpMs = cp64 ? spread(cp64.r.checkpointMs).median : NaN;
  const amortized = (cpMs / (15 * 60_000)) * 100;
  row({
    figure: `Whole monitor in-process (Monitor in the measuring process, sample + record + retention + flush every 2 s, ${m.processes} processes, after a warm-up), CPU of one core`,
    vitals: withSpread(c, '%'),
    compared:
      `${m.cpuPercent.length} windows of ${windowS} s after a ${num(m.warmupMs / 1000)} s warm-up (which cost ${num(m.warmupCpuPercent)} %: V8 compiling), ${m.ticks} intervals in all; RSS ${mb(m.rssBytes)}; ` +
      (m.seeded ? `database seeded with the ${h ? `${num(h.days)}-day` : ''} simulated history` : 'fresh database') +
      (Number.isFinite(amortized)
        ? `; checkpoints add ${num(amortized)} % (one ${num(cpMs)} ms checkpoint of ${cp64!.targetMB} MB per 15 min)`
        : ''),
    budget: '< 0.5 %',
    status: check(c.median < 0.5),
    miss: c.median < 0.5 ? undefined : `${num(c.median)} % (budget 0.5 %)`,
  });
  if (m.problems.length) notes.push(`Whole monitor logged: ${m.problems.slice(0, 3).join(' | ')}`);
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

function reportShipped(r: ShippedResult, quick: boolean): void {
  const w = r.windowMs / 1000;
  const cut = r.startWindows;
  const fiveMin = Math.max(1, Math.round(300_000 / r.windowMs));
  const rec = r.recorder.cpuPercent;
  const steady = rec.slice(cut);
  const steadyMean = mean(steady);
  const startMean = mean(rec.slice(0, cut));
  const firstFive = mean(rec.slice(0, fiveMin));
  const whole = mean(rec);
  const startS = cut * w;
  const span = quick
    ? `the whole ${num(rec.length * w)} s run (quick mode: not 5 minutes)`
    : `the first ${num((Math.min(fiveMin, rec.length) * w) / 60)} minutes`;
  const ended = [r.recorder, r.si, r.top].some((f) => f.exited);
  if (ended)
    notes.push(
      `Shipped recorder: a process ended before the measurement did (recorder: ${r.recorder.exited ?? 'ran'}; systeminformation monitor: ${r.si.exited ?? 'ran'}; top: ${r.top.exited ?? 'ran'}).`,
    );
  if (r.problems.length) notes.push(`Shipped recorder wrote on stderr: ${r.problems.slice(0, 3).join(' | ')}`);
  row({
    figure: `Shipped recorder (\`cli.js record\`, production bundle, its own process, fresh database, ${r.processes} processes, 2 s), CPU of one core after the first ${num(startS)} s`,
    vitals: `${num(steadyMean)} % (windows of ${num(w)} s: ${withSpread(spread(steady), '%')})`,
    compared: `measured from outside (/proc/<pid>/stat, every thread); first ${num(startS)} s: ${num(startMean)} %; whole run of ${num(rec.length * w)} s: ${num(whole)} %`,
    budget: '< 0.3 %',
    status: check(steadyMean < 0.3),
    miss: steadyMean < 0.3 ? undefined : `${num(steadyMean)} % (budget 0.3 %)`,
  });
  row({
    figure: `Shipped recorder, CPU of one core over ${span}`,
    vitals: `${num(firstFive)} %`,
    compared: `the start included: what a user who just started it sees`,
    budget: '< 0.5 %',
    status: check(firstFive < 0.5),
    miss: firstFive < 0.5 ? undefined : `${num(firstFive)} % (budget 0.5 %)`,
  });
  // Side by side in the same windows: the peers' CPU over the recorder's, after the start.
  const siSteady = mean(r.si.cpuPercent.slice(cut));
  const topSteady = mean(r.top.cpuPercent.slice(cut));
  const siOver = siSteady / steadyMean;
  const perWindow = spread(r.si.cpuPercent.slice(cut).map((x, i) => x / steady[i]!));
  row({
    figure: 'Shipped recorder vs a systeminformation-based monitor and `top -b -d 2`, same run, same windows (after the start)',
    vitals: `systeminformation monitor ${num(siSteady)} % = ${ratio(siOver)} the recorder (per window ${withSpread(perWindow, '×')})`,
    compared:
      `processes() + currentLoad() + mem() + networkStats() + fsSize() every 2 s, its own process, children included; ` +
      `whole run: ${num(mean(r.si.cpuPercent))} % = ${ratio(mean(r.si.cpuPercent) / whole)}; ` +
      `\`top -b -d 2\` ${num(topSteady)} % = ${ratio(topSteady / steadyMean)} the recorder; ` +
      `RSS: systeminformation monitor ${mb(r.si.rssBytes[r.si.rssBytes.length - 1]!)}, top ${mb(r.top.rssBytes[r.top.rssBytes.length - 1]!)}`,
    budget: 'systeminformation monitor ≥ 50× the recorder',
    status: check(siOver >= 50),
    miss: siOver >= 50 ? undefined : `${ratio(siOver)} (budget 50×)`,
  });
  const rss = r.recorder.rssBytes;
  const last = rss[rss.length - 1]!;
  const limit = 70 * 1024 * 1024;
  row({
    figure: 'Shipped recorder, resident memory with a small database',
    vitals: `${mb(last)} at the end; peak ${mb(r.recorder.peakRssBytes)}`,
    compared: `/proc/<pid>/status VmRSS and VmHWM; database ${mb(r.dbBytes)} (file + journal) after ${num(rec.length * w)} s; RSS per window ${withSpread(spread(rss.map((x) => x / 1024 / 1024)), 'MB')}`,
    budget: '< 70 MB',
    status: check(last < limit),
    miss: last < limit ? undefined : `${mb(last)} (budget 70 MB)`,
  });
}

function reportFallback(r: ShippedResult): void {
  const f = r.fallback;
  if (!f) return;
  if (f.exited) notes.push(`Shipped recorder with the fallback samplers ended before the measurement did (${f.exited}).`);
  const steady = f.cpuPercent.slice(r.startWindows);
  const steadyMean = mean(steady);
  const limit = 1.2;
  row({
    figure: `Shipped recorder with the fallback samplers (\`VITALS_SAMPLER=fallback\`: systeminformation, what macOS and Windows get), governor at its default 1 % of a core, CPU of one core after the first ${num(r.startWindows * (r.windowMs / 1000))} s`,
    vitals: `${num(steadyMean)} % (windows of ${num(r.windowMs / 1000)} s: ${withSpread(spread(steady), '%')})`,
    compared:
      `same run, its own process and database, its children (ps) included; first ${num(r.startWindows * (r.windowMs / 1000))} s: ${num(mean(f.cpuPercent.slice(0, r.startWindows)))} %; ` +
      `at the end: ${f.governed ?? 'processes at every interval (governor not acting)'}; the systeminformation monitor without a governor: ${num(mean(r.si.cpuPercent.slice(r.startWindows)))} %; ` +
      `RSS ${mb(f.rssBytes[f.rssBytes.length - 1]!)}`,
    budget: `~1 % (≤ ${num(limit)} %)`,
    status: check(steadyMean <= limit),
    miss: steadyMean <= limit ? undefined : `${num(steadyMean)} % (budget ~1 %)`,
  });
}

function reportHost(on: HostResult[], off: HostResult[], none: HostResult[]): void {
  const p99 = spread(on.map((r) => r.p99Ms));
  const max = spread(on.map((r) => r.maxMs));
  const f = (rs: HostResult[]): string =>
    rs.length ? `p99 ${withSpread(spread(rs.map((r) => r.p99Ms)), 'ms')}, max ${withSpread(spread(rs.map((r) => r.maxMs)), 'ms')}` : 'n/a';
  const checkpoints = on.flatMap((r) => r.checkpoints);
  const ok = p99.median < 5 && max.median < 20;
  // Which long stalls fell inside a checkpoint (give or take 50 ms): the rest is the machine's.
  const inCheckpoint = on.flatMap((r) =>
    r.stalls.filter((s) => r.checkpointEndsAt.some((end, i) => s.atMs + s.ms >= end - r.checkpoints[i]! - 50 && s.atMs <= end + 50)),
  );
  const allStalls = on.reduce((n, r) => n + r.stalls.length, 0);
  const worstIn = inCheckpoint.reduce((m, s) => Math.max(m, s.ms), 0);
  row({
    figure: 'Extension-host main thread stall while recording (event-loop delay)',
    vitals: `p99 ${withSpread(p99, 'ms')}, max ${withSpread(max, 'ms')}, p50 ${num(spread(on.map((r) => r.p50Ms)).median)} ms`,
    compared:
      `recording off: ${f(off)}; no backend at all: ${f(none)}. ` +
      `${on.reduce((n, r) => n + r.snapshots, 0)} snapshots, ${on.reduce((n, r) => n + r.queries, 0)} history queries ` +
      `(${num(spread(on.flatMap((r) => r.queryMs)).median)} ms round trip), ${checkpoints.length} checkpoints ` +
      `(${num(spread(checkpoints).median)} ms each, in the worker); of ${allStalls} main-thread stalls over 15 ms while recording, ` +
      `${inCheckpoint.length} fell during a checkpoint${inCheckpoint.length ? ` (longest ${num(worstIn)} ms)` : ''}; ` +
      `host process CPU (main thread + worker + helper threads, in-process figure) ${num(spread(on.map((r) => r.cpuPercent)).median)} % recording vs ${num(spread(off.map((r) => r.cpuPercent)).median)} % not ` +
      `vs ${num(spread(none.map((r) => r.cpuPercent)).median)} % with no backend (the 1 ms event-loop probe itself; recording here also checkpoints every few seconds and queries history every 5 s)`,
    budget: 'p99 < 5 ms, max < 20 ms',
    status: check(ok),
    miss: ok
      ? undefined
      : `p99 ${num(p99.median)} ms (budget 5), max ${num(max.median)} ms (budget 20); the same process without any backend: ${f(none)}; ` +
        `${inCheckpoint.length} of ${allStalls} stalls over 15 ms coincided with a checkpoint`,
  });
  const workerOn = spread(on.map((r) => r.workerCpuPercent));
  const workerOff = spread(off.map((r) => r.workerCpuPercent));
  const bare = spread(none.map((r) => r.rssBytes)).median;
  const share = spread(on.map((r) => r.rssBytes - bare));
  const db = on[0]?.dbBytes ?? 0;
  const shareLimit = 2.5 * db + 40 * 1024 * 1024;
  const shareOk = share.median < shareLimit;
  row({
    figure: "Extension's backend worker thread (host-like process): the worker's own CPU and its share of the RSS",
    vitals: `CPU ${withSpread(workerOn, '%')} of one core recording, ${withSpread(workerOff, '%')} only sampling; RSS share ${withSpread(spread(on.map((r) => (r.rssBytes - bare) / 1024 / 1024)), 'MB')}`,
    compared:
      `the worker thread's /proc/self/task/<tid>/stat; the recording runs also checkpoint every few seconds and answer a history query every few seconds (the host row above); ` +
      `RSS share = the process's RSS recording minus the same process with no backend (${mb(bare)}); database ${mb(db)}`,
    budget: `RSS share < 2.5 × database + 40 MB = ${mb(shareLimit)}`,
    status: check(shareOk),
    miss: shareOk ? undefined : `${mb(share.median)} (budget ${mb(shareLimit)})`,
  });
  const errs = [...on, ...off].flatMap((r) => r.errors);
  if (errs.length) notes.push(`Host benchmark logged: ${errs.slice(0, 3).join(' | ')}`);
}

function reportStorage(st: StorageResult, checkpoints: { targetMB: number; r: CheckpointResult }[]): void {
  const first = st.points[0]!;
  const last = st.points[st.points.length - 1]!;
  const f1 = spread(first.flushMs);
  const fN = spread(last.flushMs);
  const flushes = st.points.map((p) => `${p.targetMB} MB ${withSpread(spread(p.flushMs), 'ms')}`).join('; ');
  const exports = st.points.map((p) => `${p.targetMB} MB ${withSpread(spread(p.exportWriteMs), 'ms')}`).join('; ');
  const growth = fN.median / f1.median;
  row({
    figure: `Per-interval flush (journal append + fdatasync) vs database size`,
    vitals: flushes,
    compared: `full db.export() + write + fsync: ${exports}; record() itself: ${st.points.map((p) => `${p.targetMB} MB ${num(spread(p.recordMs).median)} ms`).join(', ')}; ${num(first.journalBytesPerInterval / 1024)} KB appended per interval`,
    budget: `${last.targetMB} MB within 2× of ${first.targetMB} MB`,
    status: check(growth <= 2),
    miss: growth <= 2 ? undefined : `${ratio(growth)} (budget 2×)`,
  });
  for (const { targetMB, r } of checkpoints) {
    const limit = 2.5 * r.fileBytes + 60 * 1024 * 1024;
    // The worker's RSS must stay under the budget whatever it does: checkpointing, or recording an
    // interval that makes sql.js grow its in-memory copy of the file.
    const ok = r.peakRssBytes < limit && r.recordingPeakRssBytes < limit;
    row({
      figure: `Checkpoint at ${targetMB} MB (file ${mb(r.fileBytes)}) in a worker thread: time, and the RSS the worker adds`,
      vitals: `${withSpread(spread(r.checkpointMs), 'ms')}; peak ${mb(r.peakRssBytes)} over the bare host`,
      compared:
        `with the database open ${mb(r.openRssBytes)}; peak while opening it ${mb(r.lifetimePeakRssBytes)}; ` +
        `peak while recording an interval that grows the file ${mb(r.recordingPeakRssBytes)} (sql.js copies its in-memory file to grow it by 12.5 %); ` +
        `bare host process ${mb(r.baseRssBytes)}` +
        (r.peakResetWorks ? '' : ' (the peak could not be reset: lifetime peaks only)'),
      budget: `worker RSS < 2.5 × size + 60 MB = ${mb(limit)}`,
      status: check(ok),
      miss: ok
        ? undefined
        : [
            r.peakRssBytes >= limit ? `checkpoint peak ${mb(r.peakRssBytes)}` : '',
            r.recordingPeakRssBytes >= limit ? `peak while the in-memory file grows ${mb(r.recordingPeakRssBytes)}` : '',
          ]
            .filter(Boolean)
            .join(', ') + ` (budget ${mb(limit)})`,
    });
  }
}

function reportHistory(h: HistoryResult, st: StorageResult | undefined, quick: boolean): void {
  const span = h.days >= 1 ? `${num(h.days)}-day` : `${num(h.days * 24)}-hour`;
  for (const q of h.queries) {
    const s = spread(q.ms);
    const n = spread(q.naiveMs);
    row({
      figure: `Query: ${q.name}${q.points ? ` (${q.points} ${q.name.startsWith('top') ? 'rows' : 'points'}${q.tier ? `, ${q.tier} tier` : ''})` : ''}`,
      vitals: withSpread(s, 'ms'),
      compared: `naive GROUP BY over raw rows: ${withSpread(n, 'ms')}${q.naiveNote !== 'measured' ? ` (${q.naiveNote})` : ''}`,
      budget: '< 50 ms',
      status: check(s.median < 50),
      miss: s.median < 50 ? undefined : `${num(s.median)} ms (budget 50)`,
    });
  }
  const perInterval = h.fileBytes / h.intervals;
  const rawPerInterval = st?.bytesPerRawInterval ?? h.rawIntervalBytes;
  const uncapped = rawPerInterval * h.intervals;
  const naiveRow = h.naiveProcBytesPerRow * h.processesPerInterval + h.naiveSysBytesPerRow * h.metricsPerInterval;
  row({
    figure: `Database size after ${span} simulated history (2 s, ${h.processesPerInterval} processes)`,
    vitals:
      `${mb(h.fileBytes)} file (${mb(h.liveBytes)} live); ${num(perInterval)} B per recorded interval ` +
      `(${num(perInterval / h.processesPerInterval)} B per process-sample)`,
    compared:
      `uncapped raw frames: ${mb(uncapped)} (${num(rawPerInterval / 1024)} KB per interval in the database × ${h.intervals} intervals; ` +
      `${num(rawPerInterval / h.processesPerInterval)} B per process-sample)` +
      (Number.isFinite(naiveRow)
        ? `; naive one-row-per-sample tables: ${mb(naiveRow * h.intervals)} (${num(h.naiveProcBytesPerRow)} B per process row)`
        : ''),
    budget: `under the ${mb(h.capBytes)} cap`,
    status: check(h.fileBytes <= h.capBytes),
    miss: h.fileBytes <= h.capBytes ? undefined : `${mb(h.fileBytes)} (cap ${mb(h.capBytes)})`,
  });
  const steady = h.recordMsPerDay.length > 1 ? spread(h.recordMsPerDay.slice(1)) : spread(h.recordMsPerDay);
  row({
    figure: 'Store.record() per interval, steady state',
    vitals: withSpread(steady, 'ms'),
    compared: `CPU time (process-wide: GC threads included), one figure per simulated day${quick ? ' (quick: one figure)' : ''}; building the history took ${num(h.buildSeconds)} s (${num(h.buildCpuSeconds)} s CPU, synthetic snapshots included)`,
    budget: '',
    status: 'reported',
  });
}

function reportActivate(runs: ActivateResult[]): void {
  const a = spread(runs.map((r) => r.activateMs));
  const req = spread(runs.map((r) => r.requireMs));
  const first = spread(runs.map((r) => r.firstRenderMs));
  const render = spread(runs.map((r) => r.renderMs));
  row({
    figure: 'activate() (production bundle, fake `vscode` module)',
    vitals: withSpread(a, 'ms'),
    compared: `loading the bundle (require) ${withSpread(req, 'ms')}`,
    budget: '< 20 ms',
    status: check(a.median < 20),
    miss: a.median < 20 ? undefined : `${num(a.median)} ms (budget 20)`,
  });
  row({
    figure: 'First Processes tree render after activate() starts',
    vitals: withSpread(first, 'ms'),
    compared: `worker start + sql.js + database open + first sample included; rendering ${runs[0]?.rows ?? 0} rows took ${withSpread(render, 'ms')}`,
    budget: '',
    status: 'reported',
  });
}

function reportMetrics(m: MetricsResult): void {
  const render = spread(m.renderMs);
  const scrape = spread(m.scrapeCpuMs);
  row({
    figure: 'Metrics endpoint, render per snapshot (300 processes)',
    vitals: `${withSpread(render, 'ms')}, ${m.series} series, ${num(m.bytes / 1024)} KB`,
    compared: '',
    budget: 'reported',
    status: 'reported',
  });
  row({
    figure: 'Metrics endpoint, server CPU per scrape (loopback HTTP, text already rendered)',
    vitals: `${withSpread(scrape, 'ms')} (rounds of scrapes by curl)`,
    compared: '',
    budget: '< 1 ms',
    status: check(scrape.median < 1),
    miss: scrape.median < 1 ? undefined : `${num(scrape.median)} ms`,
  });
}

function reportVsix(v: VsixResult): void {
  const limit = 3 * 1024 * 1024;
  row({
    figure: '.vsix size',
    vitals: `${mb(v.bytes)} (${Number.isFinite(v.files) ? `${v.files} files` : 'files n/a'})`,
    compared: 'vsce package --no-dependencies, production build',
    budget: '< 3 MB',
    status: check(v.bytes < limit),
    miss: v.bytes < limit ? undefined : `${mb(v.bytes)} (budget 3 MB)`,
  });
}

// ---------------------------------------------------------------------------------------------

function table(): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  const lines = ['| Figure | Vitals | Compared with / details | Budget | Result |', '|---|---|---|---|---|'];
  for (const r of rows)
    lines.push(
      `| ${esc(r.figure)} | ${esc(r.vitals)} | ${esc(r.compared)} | ${esc(r.budget)} | ${r.status === 'MISSED' ? '**MISSED**' : r.status} |`,
    );
  return lines.join('\n');
}

interface Machine {
  cpuModel: string;
  cores: number;
  node: string;
  memGB: number;
  processesBefore: number;
  processesUnderLoad: number;
  loadAvg: string;
}

function markdown(opts: Options, machine: Machine, started: Date, seconds: number, load: Load | undefined): string {
  const flags = [opts.quick ? '--quick' : '', opts.only ? `--only ${[...opts.only].join(',')}` : ''].filter(Boolean);
  const cmd = `npm run bench${flags.length ? ` -- ${flags.join(' ')}` : ''}`;
  const missed = rows.filter((r) => r.status === 'MISSED' || r.status === 'not measured');
  return [
    '# Vitals benchmarks',
    '',
    `Produced by \`${cmd}\` on ${started.toISOString().replace('T', ' ').slice(0, 16)} UTC in ${Math.round(seconds)} s` +
      `${opts.quick ? ' (**quick mode**: fewer runs, smaller databases, a shorter simulated history)' : ''}.`,
    '',
    `Machine: ${machine.cores} × ${machine.cpuModel}, ${num(machine.memGB)} GB RAM, Node ${machine.node}, Linux. ` +
      `${machine.processesBefore} processes before the benchmark, ${machine.processesUnderLoad} with its load ` +
      `(${load ? `${load.count} extra: ${DEFAULT_LOAD.idleSleeps} \`sleep\`, ${DEFAULT_LOAD.idleNode} idle Node, ${DEFAULT_LOAD.busyNode} Node busy ${DEFAULT_LOAD.busyShare * 100} % of a core each, 1 shell` : 'no load'}). ` +
      `Load average at start: ${machine.loadAvg} — the machine is shared, so absolute figures are noisy; ratios are measured side by side.`,
    '',
    'Each figure is the median of several runs with the range (min–max) and the number of runs in parentheses.',
    '',
    table(),
    '',
    missed.length
      ? `**Missed or not measured:** ${missed.map((r) => `${r.figure} — ${r.miss ?? r.status}`).join('; ')}.`
      : '**Every budget met.**',
    '',
    ...(notes.length ? ['Notes from this run:', '', ...notes.map((n) => `- ${n}`), ''] : []),
    METHOD,
    '',
    OPTIMIZATIONS,
    '',
  ].join('\n');
}

/**
 * An --only run updates the file it writes instead of replacing it: the full run's table stays as it
 * was (with its date), and this run's rows go into a block of their own, with their own date,
 * machine and load, replacing the block an earlier run of the same sections left; the method and
 * the list of product changes are the current ones.
 */
function mergeOnly(existing: string, opts: Options, machine: Machine, started: Date, seconds: number, load: Load | undefined): string {
  const key = [...opts.only!].sort().join(',');
  const begin = `<!-- bench --only ${key} -->`;
  const end = `<!-- /bench --only ${key} -->`;
  const full = markdown(opts, machine, started, seconds, load).split('\n');
  // The generated file's head (date, machine, table, misses, notes) up to the method.
  const head = full.slice(2, full.indexOf('## How each figure is measured'));
  const block = [begin, `## Re-run on its own: ${key}`, '', ...head, end].join('\n');
  let body = existing;
  const i = body.indexOf(begin);
  const j = body.indexOf(end);
  if (i >= 0 && j > i) body = body.slice(0, i) + body.slice(j + end.length + 1);
  const m = body.indexOf('## How each figure is measured');
  const before = (m >= 0 ? body.slice(0, m) : body).trimEnd();
  return [before, '', block, '', METHOD, '', OPTIMIZATIONS, ''].join('\n');
}

const METHOD = `## How each figure is measured

Every measurement runs in a fresh Node process of its own (\`out/bench/bench.js --child <job>\`); the
production bundles measured are built from the working tree by \`bench/build.mjs\` into \`out/bench/\`
with the options \`vscode:prepublish\` uses. The load (about 300 extra processes in one process group)
runs during the sampler, monitor, host and activation figures and is killed afterwards, also on
Ctrl-C or a crash.

- **Shipped recorder**: what \`top\` would say. The production \`cli.js record\` (built as the package
  builds it) runs as its own process on a fresh database at the default 2 s interval, output piped
  (one summary line per 10 s); beside it, started at the same moment, a systeminformation-based
  monitor in its own process (bench/siMonitor.ts: \`processes()\`, \`currentLoad()\`, \`mem()\`,
  \`networkStats()\`, \`fsSize()\` every 2 s, what the popular VS Code monitors poll) and
  \`top -b -d 2\`. Each is measured from outside: utime + stime of every thread from
  /proc/<pid>/stat (plus the waited-for children's, which is where systeminformation's \`ps\` runs)
  per window of wall time from its start, RSS and peak RSS (VmRSS, VmHWM) from /proc/<pid>/status.
  The first windows (V8 compiling, sql.js's WebAssembly, the first read of every process's files)
  are reported apart and are part of the averages over the whole run and the first 5 minutes.
  A second \`cli.js record\` on its own database runs with \`VITALS_SAMPLER=fallback\` (the
  systeminformation samplers macOS and Windows get) and its cost governor at the default 1 % of a
  core; its figure counts the \`ps\` it spawns, and the last summary line says what the governor did.
- **Samplers**: per round, each competitor takes several samples back to back; CPU is user + system
  time of the measuring process plus its waited-for children (\`ps\`, and what systeminformation
  spawns), from \`process.cpuUsage()\` and \`/proc/self/stat\` (cutime/cstime). The order rotates each
  round; ratios are taken within a round, then the median across rounds. "Bare /proc" is a minimal
  loop written here: readdir of /proc, then read /proc/<pid>/stat and /proc/<pid>/status of every
  pid and parse the fields \`ps -eo pid,ppid,lstart,user,stat,pcpu,rss,nlwp,comm,args\` shows.
- **Whole monitor (in-process)**: \`Monitor\` inside the measuring process, with the real samplers
  and \`Store\`, default settings (2 s sampling, journal flush every interval, 15 min checkpoints),
  its database seeded with the simulated history; CPU of the process per window of wall time after
  three warm-up intervals and a warm-up minute. Not what a user's \`top\` shows (see "Shipped
  recorder"): kept to follow the monitor's own work from run to run.
- **Host stall**: a Node process runs the extension's real \`WorkerClient\`
  (src/extension/worker/client.ts), which runs the production \`backend-worker.js\` in a worker
  thread; the main thread receives every snapshot event and sends a 1-hour history query every few
  seconds, while \`perf_hooks.monitorEventLoopDelay({ resolution: 1 })\` records its event-loop
  delay. Recording on: the worker records into a copy of the largest storage database, with
  \`checkpointIntervalMs\` cut to force checkpoints during the run. Recording off: it only samples.
  No backend: the same process without a worker, for the machine's own noise. The worker's own CPU
  is its thread's (/proc/self/task/<tid>/stat; the worker logs its thread id when it lowers its
  priority); its share of the RSS is the process's RSS recording minus that of the process with no
  backend.
- **Flush vs size**: a database grown through \`Store.record()\` (synthetic 300-process snapshots,
  simulated clock, retention opened up so nothing is dropped). At each size: \`record()\` + \`flush()\`
  of one interval, repeatedly; then a full \`db.export()\` + write + fsync of the same database (what
  persisting by export every interval would cost); then \`checkpoint()\` with the process's peak RSS
  reset just before (\`/proc/self/clear_refs\`) and read after (VmHWM).
- **Queries and size**: a history recorded through \`Store.record()\` with the default settings
  (64 MB cap, 300 processes + churn, 2 s, simulated clock; checkpoints every 6 simulated hours
  instead of every 15 minutes, which only changes when free pages are returned to the file). Query
  latency is wall time in-process (the worker adds a structured clone of the result). The naive
  comparator is a separate sql.js database with one row per metric per sample and one row per
  process per sample, indexed; it holds the last 24 h of system rows and the last hour of process
  rows (a month of raw rows does not fit in memory), and longer ranges are scaled linearly in rows.
- **activate()**: the production \`extension.js\` loaded in a Node process with a fake \`vscode\`
  module (bench/lib/fakeVscode.ts) — timing only, not VS Code itself; each run in a fresh process.
- **.vsix**: \`vsce package --no-dependencies --allow-missing-repository\` on a copy of the working
  tree (its \`vscode:prepublish\` production build included).`;

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    await serveChild(JOBS, argv[1]!, JSON.parse(argv[2] ?? '{}'));
    return -1;
  }
  const opts = parseArgs(argv);
  onlyOpts = opts;
  const started = new Date();
  const t0 = performance.now();
  const machine: Machine = {
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    node: process.version,
    memGB: totalmem() / 1024 ** 3,
    processesBefore: processCount(),
    processesUnderLoad: 0,
    loadAvg: loadavg()
      .map((x) => x.toFixed(2))
      .join(' / '),
  };
  const q = opts.quick;
  console.log(
    `Vitals benchmark${q ? ' (quick)' : ''}: ${machine.cores} cores, Node ${machine.node}, ${machine.processesBefore} processes, load ${machine.loadAvg}`,
  );

  const storageRun = await section(
    'storage',
    opts,
    async () => {
      const st = await runChild<StorageResult>('storageBySize', {
        sizesMB: q ? [1, 16] : [1, 16, 64],
        flushRuns: q ? 15 : 40,
        exportRuns: q ? 3 : 5,
        keepDir: WORK,
      });
      const checkpoints: { targetMB: number; r: CheckpointResult }[] = [];
      for (const p of st.points.filter((x) => x.targetMB >= 16))
        checkpoints.push({
          targetMB: p.targetMB,
          r: await runChild<CheckpointResult>(
            'checkpointMemory',
            { dbPath: p.keptAt, runs: 3 },
            { script: LEAN, execArgv: ['--expose-gc'] },
          ),
        });
      return { st, checkpoints };
    },
    ['Flush vs database size', 'Checkpoint time and peak RSS'],
  );
  const storage = storageRun?.st;
  if (storageRun) reportStorage(storageRun.st, storageRun.checkpoints);
  if (storage && q) notes.push('Quick mode: databases of 1 and 16 MB only (the full run adds 64 MB).');

  const hist = await section(
    'history',
    opts,
    () =>
      runChild<HistoryResult>('simulatedHistory', {
        days: opts.days,
        checkpointEveryMinutes: 360,
        queryRuns: q ? 5 : 9,
        naiveRuns: q ? 2 : 5,
        keepDir: WORK,
      }),
    ['Query latency', 'Database size after simulated history'],
  );
  if (hist) reportHistory(hist, storage, q);
  if (hist && opts.days < 30)
    notes.push(
      `Simulated history of ${num(hist.days * 24)} hours instead of 30 days${q ? ' (quick mode)' : ''}: the 7/30/90-day queries find little data, and the size is not the steady state.`,
    );

  let load: Load | undefined;
  const needsLoad = ['shipped', 'samplers', 'monitor', 'host', 'activate'].some((s) => !opts.only || opts.only.has(s));
  if (needsLoad) {
    console.log('\n== load: starting ~300 extra processes');
    load = await startLoad();
    machine.processesUnderLoad = processCount();
    console.log(`   ${load.count} processes in the load's group; ${machine.processesUnderLoad} on the machine`);
  }
  try {
    const shipped = await section(
      'shipped',
      opts,
      () =>
        shippedRecorder({
          cliPath: join(EXT, 'dist', 'cli.js'),
          siMonitorPath: SI_MONITOR,
          // Full: 7 minutes, the first 2 apart; quick: 60 s, the first 15 s apart.
          windowMs: q ? 15_000 : 30_000,
          windows: q ? 4 : 14,
          startWindows: q ? 1 : 4,
          intervalS: 2,
          fallback: true,
        }),
      ['Shipped recorder CPU', 'Shipped recorder RSS', 'Shipped recorder with the fallback samplers'],
    );
    if (shipped) {
      reportShipped(shipped, q);
      reportFallback(shipped);
    }

    const samplers = await section(
      'samplers',
      opts,
      async () => {
        const p = await runChild<SamplerResult>('processSamplers', {
          rounds: q ? 3 : 7,
          perRound: q ? { vitals: 10, bare: 10, ps: 3, si: 1 } : { vitals: 20, bare: 20, ps: 5, si: 2 },
        });
        const s = await runChild<SamplerResult>('systemSamplers', {
          rounds: q ? 3 : 7,
          perRound: q ? { vitals: 20, si: 1 } : { vitals: 50, si: 3 },
        });
        return { p, s };
      },
      ['Process sampler', 'System sampler'],
    );
    if (samplers) reportSamplers(samplers.p, samplers.s);

    const windowMs = q ? 5_000 : 30_000;
    const monitor = await section(
      'monitor',
      opts,
      () =>
        runChild<MonitorResult>('wholeMonitor', {
          warmupMs: q ? 6_000 : 60_000,
          windows: q ? 3 : 5,
          windowMs,
          seedDb: hist?.keptAt ?? earlier('db-history.sqlite'),
        }),
      ['Whole monitor CPU'],
    );
    if (monitor) reportMonitor(monitor, windowMs / 1000, hist, storageRun?.checkpoints ?? []);
    if (monitor && q)
      notes.push(
        `Quick mode: the whole monitor was measured for ${(3 * windowMs) / 1000} s after a ${num(monitor.warmupMs / 1000)} s warm-up, instead of 150 s after 60 s.`,
      );

    const host = await section(
      'host',
      opts,
      async () => {
        const largest = storage?.points[storage.points.length - 1];
        const seedDb = largest?.keptAt ?? earlier(q ? 'db-16mb.sqlite' : 'db-64mb.sqlite');
        const base = {
          workerPath: join(EXT, 'dist', 'backend-worker.js'),
          checkpointIntervalMs: q ? 5_000 : 10_000,
          queryEveryMs: q ? 3_000 : 5_000,
          seedDb,
          retention: GROWTH_RETENTION,
        };
        const on: HostResult[] = [];
        const off: HostResult[] = [];
        const none: HostResult[] = [];
        // Interleaved, so drifting machine load hits all three alike.
        for (let i = 0; i < (q ? 1 : 3); i++) {
          on.push(await runChild<HostResult>('hostStall', { ...base, mode: 'on', durationMs: q ? 8_000 : 30_000 }));
          off.push(await runChild<HostResult>('hostStall', { ...base, mode: 'off', durationMs: q ? 5_000 : 20_000 }));
          none.push(await runChild<HostResult>('hostStall', { ...base, mode: 'none', durationMs: q ? 3_000 : 20_000 }));
        }
        if (seedDb) notes.push(`Host stall: the recording worker ran on a copy of ${relative(ROOT, seedDb)}.`);
        return { on, off, none };
      },
      ['Extension-host main thread stall'],
    );
    if (host) reportHost(host.on, host.off, host.none);

    const activate = await section(
      'activate',
      opts,
      async () => {
        const runs: ActivateResult[] = [];
        for (let i = 0; i < (q ? 2 : 5); i++) runs.push(await runChild<ActivateResult>('activateOnce', { extensionDir: EXT }));
        return runs;
      },
      ['activate()', 'First tree render'],
    );
    if (activate) reportActivate(activate);
  } finally {
    if (load) {
      load.stop();
      const left = await waitGone(load.pgid);
      console.log(`\n== load stopped (${left} of its processes left)`);
      if (left > 0) notes.push(`${left} load processes were still alive 5 s after the kill.`);
    }
  }

  const metrics = await section(
    'metrics',
    opts,
    () => metricsEndpoint({ processes: 300, snapshots: opts.quick ? 200 : 1000, scrapes: opts.quick ? 200 : 1000 }),
    ['Metrics endpoint, server CPU per scrape (loopback HTTP, text already rendered)'],
  );
  if (metrics) reportMetrics(metrics);

  const vsix = await section('vsix', opts, () => vsixSize(ROOT), ['.vsix size']);
  if (vsix) reportVsix(vsix);

  const seconds = (performance.now() - t0) / 1000;
  const md =
    opts.only && existsSync(opts.out)
      ? mergeOnly(readFileSync(opts.out, 'utf8'), opts, machine, started, seconds, load)
      : markdown(opts, machine, started, seconds, load);
  writeFileSync(opts.out, md);
  console.log(`\n${table()}\n`);
  const missed = rows.filter((r) => r.status === 'MISSED');
  for (const r of missed) console.log(`MISSED: ${r.figure} — ${r.miss}`);
  for (const f of failures) console.log(`NOT MEASURED: ${f}`);
  console.log(`\nWritten to ${relative(process.cwd(), opts.out) || opts.out} in ${Math.round(seconds)} s.`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
