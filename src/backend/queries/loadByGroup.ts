// CPU and memory by extension or by VS Code role over a range: the per-process frames of each tier,
// summed per group of processes (the process table says which group each one is in). A group absent
// from an interval adds 0 there; a bucket with no interval at all is a gap (null). Rollup tiers keep
// VS Code's processes beside each bucket's top N (storage/rollup.ts), so an extension's load survives
// them.
import { findEntry, frameView, PROC_AGG_SIZE, PROC_RAW_SIZE } from '../storage/frames';
import type { Store } from '../storage/store';
import type { LoadByGroupQuery, LoadByGroupResult, LoadGroup, SeriesValues } from '../types';
import { bucketFor, eachRow, mainTier, planSegments, tierSpans } from './plan';

export const OTHER_GROUP = 'other';

interface GroupAcc {
  key: string;
  label: string;
  cpuSum: Float64Array;
  cpuLow: Float64Array;
  cpuPeak: Float64Array;
  rssSum: Float64Array;
  rssLow: Float64Array;
  rssPeak: Float64Array;
  ids: Set<number>;
}

/** id → group key and label, for the processes with a role that lived in [from, to]. */
function groupsOf(store: Store, q: LoadByGroupQuery, slackMs: number): Map<number, { key: string; label: string }> {
  const column = q.by === 'extension' ? 'extension_id' : 'role_kind';
  const label = q.by === 'extension' ? "coalesce(nullif(extension_name, ''), extension_id)" : 'role_kind';
  const out = new Map<number, { key: string; label: string }>();
  const stmt = store.db.prepare(
    `SELECT id, ${column}, ${label} FROM process WHERE ${column} IS NOT NULL AND last_seen >= ? AND first_seen <= ?`,
  );
  try {
    stmt.bind([q.from - slackMs, q.to]);
    while (stmt.step()) {
      const r = stmt.get();
      out.set(Number(r[0]), { key: String(r[1]), label: String(r[2]) });
    }
  } finally {
    stmt.free();
  }
  return out;
}

export function loadByGroup(store: Store, q: LoadByGroupQuery, sampleIntervalMs: number): LoadByGroupResult {
  const bucketMs = bucketFor(q.from, q.to, q.maxPoints, sampleIntervalMs);
  const t0 = Math.floor(q.from / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((q.to - t0) / bucketMs));
  const members = groupsOf(store, q, bucketMs);
  // Per process id, the accumulator of its group (several ids share one).
  const accs = new Map<string, GroupAcc>();
  const byId = new Map<number, GroupAcc>();
  for (const [id, g] of members) {
    let acc = accs.get(g.key);
    if (!acc) {
      acc = {
        key: g.key,
        label: g.label,
        cpuSum: new Float64Array(count),
        cpuLow: new Float64Array(count).fill(Infinity),
        cpuPeak: new Float64Array(count),
        rssSum: new Float64Array(count),
        rssLow: new Float64Array(count).fill(Infinity),
        rssPeak: new Float64Array(count),
        ids: new Set(),
      };
      accs.set(g.key, acc);
    }
    byId.set(id, acc);
  }
  const frames = new Float64Array(count);
  const segments = byId.size === 0 ? [] : planSegments(tierSpans(store, 'proc', sampleIntervalMs), q.from, q.to, bucketMs);
  // Members by id ascending (frames are sorted by id too), each with its group's index: a handful of
  // members are found by binary search in each frame, many by one walk over it.
  const all = [...accs.values()];
  const groupIndex = new Map(all.map((a, i) => [a, i]));
  const memberIds = [...byId.keys()].sort((a, b) => a - b);
  const memberGroup = Int32Array.from(memberIds, (id) => groupIndex.get(byId.get(id)!)!);
  const idToMember = new Map(memberIds.map((id, i) => [id, i]));
  const seenMember = new Uint8Array(memberIds.length);
  // The groups' sums within one frame, then folded into the bucket: a group's peak in a bucket is
  // its highest summed value in any one interval of it, not the sum of its members' peaks; its low
  // is 0 when it had no process in some interval.
  const fCpu = new Float64Array(all.length);
  const fCpuPeak = new Float64Array(all.length);
  const fRss = new Float64Array(all.length);
  const fRssPeak = new Float64Array(all.length);
  for (const seg of segments) {
    const raw = seg.tier === 'raw';
    const size = raw ? PROC_RAW_SIZE : PROC_AGG_SIZE;
    eachRow(store.db, seg, (t, _n, frame) => {
      if (t < q.from || t >= q.to) return;
      const b = Math.floor((t - t0) / bucketMs);
      if (b < 0 || b >= count) return;
      frames[b]!++;
      const v = frameView(frame);
      fCpu.fill(0);
      fCpuPeak.fill(0);
      fRss.fill(0);
      fRssPeak.fill(0);
      const take = (o: number, member: number): void => {
        const g = memberGroup[member]!;
        seenMember[member] = 1;
        const cpu = v.getFloat32(o + 4, true);
        fCpu[g]! += cpu;
        fCpuPeak[g]! += raw ? cpu : v.getFloat32(o + 8, true);
        const rss = raw ? v.getUint32(o + 8, true) : v.getUint32(o + 12, true);
        fRss[g]! += rss;
        fRssPeak[g]! += raw ? rss : v.getUint32(o + 16, true);
      };
      const entries = Math.floor(frame.byteLength / size);
      if (memberIds.length * 8 < entries) {
        for (let m = 0; m < memberIds.length; m++) {
          const i = findEntry(v, size, 4, memberIds[m]!);
          if (i >= 0) take(i * size, m);
        }
      } else {
        for (let o = 0; o + size <= frame.byteLength; o += size) {
          const m = idToMember.get(v.getUint32(o, true));
          if (m !== undefined) take(o, m);
        }
      }
      for (let g = 0; g < all.length; g++) {
        const acc = all[g]!;
        const rss = fRss[g]! * 1024;
        acc.cpuSum[b]! += fCpu[g]!;
        acc.rssSum[b]! += rss;
        acc.cpuLow[b] = Math.min(acc.cpuLow[b]!, fCpu[g]!);
        acc.rssLow[b] = Math.min(acc.rssLow[b]!, rss);
        acc.cpuPeak[b] = Math.max(acc.cpuPeak[b]!, fCpuPeak[g]!);
        acc.rssPeak[b] = Math.max(acc.rssPeak[b]!, fRssPeak[g]! * 1024);
      }
    });
  }
  memberIds.forEach((id, m) => {
    if (seenMember[m]) byId.get(id)!.ids.add(id);
  });
  const groups = [...accs.values()].filter((a) => a.ids.size > 0).map((a) => toGroup(a, frames));
  groups.sort((a, b) => b.cpuAvg - a.cpuAvg || b.rssMaxBytes - a.rssMaxBytes || a.key.localeCompare(b.key));
  const shown = groups.slice(0, q.limit);
  const rest = groups.slice(q.limit);
  if (rest.length > 0) shown.push(sumOf(rest, frames));
  return {
    from: q.from,
    to: q.to,
    tier: mainTier(segments),
    bucketMs,
    t: Array.from({ length: count }, (_, i) => t0 + i * bucketMs),
    by: q.by,
    groups: shown,
  };
}

function toGroup(a: GroupAcc, frames: Float64Array): LoadGroup {
  const avg = (sum: Float64Array): (number | null)[] => Array.from(sum, (s, b) => (frames[b]! > 0 ? s / frames[b]! : null));
  const peak = (p: Float64Array): (number | null)[] => Array.from(p, (x, b) => (frames[b]! > 0 ? x : null));
  const cpu: SeriesValues = { avg: avg(a.cpuSum), min: peak(a.cpuLow), max: peak(a.cpuPeak) };
  const rssBytes: SeriesValues = { avg: avg(a.rssSum), min: peak(a.rssLow), max: peak(a.rssPeak) };
  return { key: a.key, label: a.label, cpu, rssBytes, ...totals(cpu, rssBytes, frames), processes: a.ids.size };
}

/** Range figures, weighting each bucket by the intervals it holds. */
function totals(cpu: SeriesValues, rss: SeriesValues, frames: Float64Array): Pick<LoadGroup, 'cpuAvg' | 'cpuMax' | 'rssMaxBytes'> {
  let weighted = 0;
  let n = 0;
  let cpuMax = 0;
  let rssMaxBytes = 0;
  for (let b = 0; b < frames.length; b++) {
    const f = frames[b]!;
    if (f === 0) continue;
    weighted += (cpu.avg[b] ?? 0) * f;
    n += f;
    cpuMax = Math.max(cpuMax, cpu.max[b] ?? 0);
    rssMaxBytes = Math.max(rssMaxBytes, rss.max[b] ?? 0);
  }
  return { cpuAvg: n > 0 ? weighted / n : 0, cpuMax, rssMaxBytes };
}

/** The groups past the limit as one: sums of their averages, and of their peaks (an upper bound). */
function sumOf(groups: LoadGroup[], frames: Float64Array): LoadGroup {
  const add = (pick: (g: LoadGroup) => (number | null)[]): (number | null)[] =>
    Array.from(frames, (f, b) => (f > 0 ? groups.reduce((s, g) => s + (pick(g)[b] ?? 0), 0) : null));
  const cpu: SeriesValues = { avg: add((g) => g.cpu.avg), min: add((g) => g.cpu.min), max: add((g) => g.cpu.max) };
  const rssBytes: SeriesValues = { avg: add((g) => g.rssBytes.avg), min: add((g) => g.rssBytes.min), max: add((g) => g.rssBytes.max) };
  return {
    key: OTHER_GROUP,
    label: OTHER_GROUP,
    cpu,
    rssBytes,
    ...totals(cpu, rssBytes, frames),
    processes: groups.reduce((s, g) => s + g.processes, 0),
  };
}
