// Per-process questions: the history of one process (pid + start time) or of every process with a
// name, and the top processes of a range. Rollup tiers only hold each bucket's top N by name, so
// a quiet process has gaps there (it was folded into "other"); raw data has every process.
import { findEntry, frameView, PROC_AGG_SIZE, PROC_RAW_SIZE } from '../storage/frames';
import { ExtrasReader } from '../storage/procExtras';
import type { Store } from '../storage/store';
import type { SqlValue } from '../storage/sqljs';
import { ROLE_KINDS } from '../types';
import type {
  ProcessRole,
  RoleKind,
  ProcessHistoryQuery,
  ProcessHistoryResult,
  ProcessInfo,
  SeriesValues,
  Tier,
  TopProcessesQuery,
  TopProcessRow,
} from '../types';
import { HOUR, MINUTE } from '../storage/rollup';
import { bucketFor, eachRow, mainTier, planSegments, tierSpans, type Segment } from './plan';
import { TopAccumulator } from './topAccumulator';

const PROCESS_COLUMNS =
  'id, pid, ppid, start_time, name, command, user, first_seen, last_seen, role_kind, role_detail, extension_id, extension_name, host_pid';

const text = (v: SqlValue | undefined): string | undefined => (v === null || v === undefined ? undefined : String(v));

/** The VS Code role a process was stored with (the columns are NULL for the others). */
function roleOf(r: SqlValue[]): ProcessRole | undefined {
  const kind = text(r[9]);
  if (kind === undefined || !(ROLE_KINDS as readonly string[]).includes(kind)) return undefined;
  return {
    kind: kind as RoleKind,
    detail: text(r[10]) ?? '',
    extensionId: text(r[11]),
    extensionName: text(r[12]),
    hostPid: r[13] === null || r[13] === undefined ? undefined : Number(r[13]),
  };
}

function toInfo(r: SqlValue[]): [number, ProcessInfo] {
  const role = roleOf(r);
  return [
    Number(r[0]),
    {
      pid: Number(r[1]),
      ppid: Number(r[2]),
      startTime: Number(r[3]),
      name: String(r[4]),
      command: String(r[5]),
      user: String(r[6]),
      firstSeen: Number(r[7]),
      lastSeen: Number(r[8]),
      ...(role ? { role } : {}),
    },
  ];
}

export function processRows(store: Store, where: string, params: (number | string)[]): Map<number, ProcessInfo> {
  const out = new Map<number, ProcessInfo>();
  const stmt = store.db.prepare(`SELECT ${PROCESS_COLUMNS} FROM process WHERE ${where}`);
  try {
    stmt.bind(params);
    while (stmt.step()) {
      const [id, info] = toInfo(stmt.get());
      out.set(id, info);
    }
  } finally {
    stmt.free();
  }
  return out;
}

export function processHistory(store: Store, q: ProcessHistoryQuery, sampleIntervalMs: number): ProcessHistoryResult {
  const procs =
    q.select.kind === 'process'
      ? processRows(store, 'pid = ? AND start_time = ?', [q.select.pid, q.select.startTime])
      : processRows(store, 'name = ?', [q.select.name]);
  const ids = [...procs.keys()];
  const bucketMs = bucketFor(q.from, q.to, q.maxPoints, sampleIntervalMs);
  const t0 = Math.floor(q.from / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((q.to - t0) / bucketMs));
  const cpuSum = new Float64Array(count);
  const rssSum = new Float64Array(count);
  const rows = new Float64Array(count);
  const cpuMin = new Float64Array(count).fill(Infinity);
  const cpuMax = new Float64Array(count).fill(-Infinity);
  const rssMin = new Float64Array(count).fill(Infinity);
  const rssMax = new Float64Array(count).fill(-Infinity);
  const io = { read: new IoBuckets(count), write: new IoBuckets(count) };
  // Ids ascending, like the entries of a frame. A few processes are found by binary search in each
  // frame; a name shared by many (every `sleep` of a build) is cheaper to find by walking the frame.
  const sorted = Float64Array.from(ids).sort();
  const idSet = new Set(ids);
  const segments = ids.length === 0 ? [] : planSegments(tierSpans(store, 'proc', sampleIntervalMs), q.from, q.to, bucketMs);
  for (const seg of segments) {
    const raw = seg.tier === 'raw';
    const size = raw ? PROC_RAW_SIZE : PROC_AGG_SIZE;
    // A raw entry holds the bytes of one interval, a rollup entry those of its whole bucket.
    const spanSeconds = (raw ? sampleIntervalMs : seg.tier === '1m' ? MINUTE : HOUR) / 1000;
    eachRow(
      store.db,
      seg,
      (t, _n, frame, xBytes) => {
        const b = Math.floor((t - t0) / bucketMs);
        if (b < 0 || b >= count) return;
        const v = frameView(frame);
        const x = new ExtrasReader(xBytes, !raw);
        const entries = Math.floor(frame.byteLength / size);
        let cpu = 0;
        let cpuPeak = 0;
        let rss = 0;
        let rssPeak = 0;
        let found = 0;
        const read = new IoSum();
        const write = new IoSum();
        const take = (o: number): void => {
          const i = o / size;
          read.add(x.readBytes(i) / spanSeconds, raw ? NaN : x.readPeakBps(i));
          write.add(x.writeBytes(i) / spanSeconds, raw ? NaN : x.writePeakBps(i));
          const c = v.getFloat32(o + 4, true);
          if (raw) {
            const r = v.getUint32(o + 8, true);
            cpu += c;
            cpuPeak += c;
            rss += r;
            rssPeak += r;
          } else {
            cpu += c;
            cpuPeak += v.getFloat32(o + 8, true);
            rss += v.getUint32(o + 12, true);
            rssPeak += v.getUint32(o + 16, true);
          }
          found++;
        };
        if (sorted.length * 8 < entries) {
          for (const id of sorted) {
            const i = findEntry(v, size, 4, id);
            if (i >= 0) take(i * size);
          }
        } else {
          for (let o = 0; o + size <= frame.byteLength; o += size) if (idSet.has(v.getUint32(o, true))) take(o);
        }
        if (found === 0) return;
        cpuSum[b]! += cpu;
        rssSum[b]! += rss * 1024;
        rows[b]!++;
        cpuMin[b] = Math.min(cpuMin[b]!, cpu);
        cpuMax[b] = Math.max(cpuMax[b]!, cpuPeak);
        rssMin[b] = Math.min(rssMin[b]!, rss * 1024);
        rssMax[b] = Math.max(rssMax[b]!, rssPeak * 1024);
        io.read.add(b, read);
        io.write.add(b, write);
      },
      true,
    );
  }
  const series = (sum: Float64Array, lo: Float64Array, hi: Float64Array): SeriesValues => ({
    avg: Array.from(sum, (s, b) => (rows[b]! > 0 ? s / rows[b]! : null)),
    min: Array.from(lo, (x, b) => (rows[b]! > 0 ? x : null)),
    max: Array.from(hi, (x, b) => (rows[b]! > 0 ? x : null)),
  });
  return {
    from: q.from,
    to: q.to,
    tier: mainTier(segments),
    bucketMs,
    t: Array.from({ length: count }, (_, i) => t0 + i * bucketMs),
    cpu: series(cpuSum, cpuMin, cpuMax),
    rssBytes: series(rssSum, rssMin, rssMax),
    readBps: io.read.series(),
    writeBps: io.write.series(),
    processes: [...procs.values()].filter((p) => p.lastSeen >= q.from - bucketMs && p.firstSeen <= q.to),
  };
}

/** One frame's I/O rate summed over the matched processes whose io file was readable. */
class IoSum {
  rate = 0;
  peak = 0;
  known = 0;

  /** `peakBps` NaN (raw frames): the interval's rate is its own peak. */
  add(rateBps: number, peakBps: number): void {
    if (Number.isNaN(rateBps)) return;
    this.rate += rateBps;
    this.peak += Number.isNaN(peakBps) ? rateBps : peakBps;
    this.known++;
  }
}

/** Per display bucket: the average, lowest and highest of its frames' summed I/O rates. */
class IoBuckets {
  private readonly sum: Float64Array;
  private readonly frames: Float64Array;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;

  constructor(count: number) {
    this.sum = new Float64Array(count);
    this.frames = new Float64Array(count);
    this.lo = new Float64Array(count).fill(Infinity);
    this.hi = new Float64Array(count).fill(-Infinity);
  }

  add(b: number, s: IoSum): void {
    if (s.known === 0) return;
    this.sum[b]! += s.rate;
    this.frames[b]!++;
    this.lo[b] = Math.min(this.lo[b]!, s.rate);
    this.hi[b] = Math.max(this.hi[b]!, s.peak);
  }

  series(): SeriesValues {
    const f = this.frames;
    return {
      avg: Array.from(this.sum, (s, b) => (f[b]! > 0 ? s / f[b]! : null)),
      min: Array.from(this.lo, (x, b) => (f[b]! > 0 ? x : null)),
      max: Array.from(this.hi, (x, b) => (f[b]! > 0 ? x : null)),
    };
  }
}

/** Rankings over at most this long read raw frames throughout. */
const FINEST_RANKING_MS = 15 * MINUTE;
/** Rankings over more than this read hourly rollups where they exist. */
const HOURLY_RANKING_MS = 6 * HOUR;

/** The coarsest data a ranking of this range may read (finer tiers fill in where it has none). */
function rankingResolution(rangeMs: number): number {
  if (rangeMs > HOURLY_RANKING_MS) return HOUR;
  if (rangeMs > FINEST_RANKING_MS) return MINUTE;
  return Infinity;
}

function rankingSegments(store: Store, from: number, to: number, sampleIntervalMs: number): Segment[] {
  return planSegments(tierSpans(store, 'proc', sampleIntervalMs), from, to, rankingResolution(to - from));
}

/** The tiers a ranking of this range reads, finest first (what the agent tools say answered). */
export function rankingTiers(store: Store, from: number, to: number, sampleIntervalMs: number): Tier[] {
  const order: Tier[] = ['raw', '1m', '1h'];
  const used = new Set(rankingSegments(store, from, to, sampleIntervalMs).map((s) => s.tier));
  return order.filter((t) => used.has(t));
}

export function topProcesses(store: Store, q: TopProcessesQuery, sampleIntervalMs: number): TopProcessRow[] {
  const acc = new TopAccumulator();
  let intervals = 0;
  // A short range is ranked from the finest data there is. Longer ones read rollups where they
  // exist (each keeps its bucket's top N by CPU and by memory, more than any ranking shows), and
  // finer tiers only where the rollup does not exist yet: a raw hour is ~540,000 entries at 300
  // processes, a day of minute rollups ~85,000, a day of hourly ones ~2,400.
  for (const seg of rankingSegments(store, q.from, q.to, sampleIntervalMs)) {
    const raw = seg.tier === 'raw';
    eachRow(store.db, seg, (_t, n, v) => {
      intervals += n;
      if (raw) acc.addRaw(v);
      else acc.addRollup(v, n);
    });
  }
  if (intervals === 0) return [];
  const best = acc.top(q.by, q.limit);
  const infos = best.length === 0 ? new Map<number, ProcessInfo>() : processRows(store, `id IN (${best.map((a) => a.id).join(',')})`, []);
  return best.map((a) => {
    const info = infos.get(a.id);
    return {
      pid: info?.pid ?? 0,
      startTime: info?.startTime ?? 0,
      name: info?.name ?? '(unknown)',
      command: info?.command ?? '',
      user: info?.user ?? '',
      cpuAvg: a.cpuWeighted / intervals,
      cpuMax: a.cpuMax,
      rssAvgBytes: (a.rssWeighted / intervals) * 1024,
      rssMaxBytes: a.rssMax * 1024,
      samples: a.samples,
      ...(info?.role ? { role: info.role } : {}),
    };
  });
}

/** Processes whose name contains `text` (case-insensitive), most recently seen first. */
export function searchProcesses(store: Store, text: string, limit: number): ProcessInfo[] {
  const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
  const rows = processRows(store, "name LIKE ? ESCAPE '\\' ORDER BY last_seen DESC LIMIT ?", [like, limit]);
  return [...rows.values()];
}
