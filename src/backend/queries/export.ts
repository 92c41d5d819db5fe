// Export of a time range to CSV or JSON, streamed: rows are read in chunks and written with
// backpressure, so an export of days of data never holds it all in memory. Each moment comes from
// the finest tier that still has it (raw where kept, then 1-minute, then 1-hour rollups); a `tier`
// column says which.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { forEachProcAgg, forEachProcRaw, forEachSysAgg, forEachSysRaw, OTHER_PROC_ID } from '../storage/frames';
import type { Store } from '../storage/store';
import { eachFrame } from '../storage/frameRows';
import type { ExportRequest, ExportResult, ProcessInfo } from '../types';
import { planSegments, tierSpans, type Segment } from './plan';
import { processRows } from './processes';
import { CancelledError } from '../../shared/errors';

const CHUNK_ROWS = 200;

export type ExportProgressFn = (done: number, total: number) => void;

class Out {
  bytes = 0;
  constructor(private readonly stream: WriteStream) {}
  async write(s: string): Promise<void> {
    this.bytes += Buffer.byteLength(s);
    if (!this.stream.write(s)) await once(this.stream, 'drain');
  }
  async close(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'finish');
  }
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function countRows(store: Store, segments: Segment[]): number {
  let n = 0;
  for (const s of segments) n += Number(store.db.exec(`SELECT count(*) FROM ${s.table} WHERE t >= ${s.from} AND t < ${s.to}`)[0]?.values[0]?.[0] ?? 0);
  return n;
}

/** Reads a segment in chunks of rows, yielding to the event loop between chunks. */
async function eachChunk(store: Store, seg: Segment, fn: (rows: { t: number; n: number; v: Uint8Array }[]) => Promise<void>): Promise<void> {
  let after = seg.from - 1;
  for (;;) {
    const rows: { t: number; n: number; v: Uint8Array }[] = [];
    eachFrame(store.db, { table: seg.table, from: after, to: seg.to, after: true, limit: CHUNK_ROWS }, (t, n, v) =>
      rows.push({ t, n, v: v.slice() }),
    );
    if (rows.length === 0) return;
    await fn(rows);
    // Let the worker answer other requests between chunks.
    await new Promise((resolve) => setImmediate(resolve));
    after = rows[rows.length - 1]!.t;
    if (rows.length < CHUNK_ROWS) return;
  }
}

export async function exportHistory(
  store: Store,
  req: ExportRequest,
  sampleIntervalMs: number,
  signal?: AbortSignal,
  progress?: ExportProgressFn,
): Promise<ExportResult> {
  const system = req.scope.kind === 'system';
  const spans = tierSpans(store, system ? 'sys' : 'proc', sampleIntervalMs);
  const segments = planSegments(spans, req.from, req.to, Infinity);
  const total = countRows(store, segments);
  const out = new Out(createWriteStream(req.outPath, { encoding: 'utf8', mode: 0o600 }));
  let done = 0;
  let rowsWritten = 0;
  const checkAbort = (): void => {
    if (signal?.aborted) throw new CancelledError('Export cancelled');
  };
  try {
    if (system) {
      const metricNames = new Map<number, string>();
      for (const r of store.db.exec('SELECT id, name FROM metric ORDER BY id')[0]?.values ?? []) metricNames.set(Number(r[0]), String(r[1]));
      const ids = [...metricNames.keys()];
      if (req.format === 'csv') {
        const head = ['time', 'tier', 'metric', 'avg', 'min', 'max'];
        await out.write(`${head.join(',')}\n`);
      } else await out.write(`{"scope":"system","from":"${new Date(req.from).toISOString()}","to":"${new Date(req.to).toISOString()}","rows":[`);
      let first = true;
      for (const seg of segments) {
        await eachChunk(store, seg, async (rows) => {
          checkAbort();
          let text = '';
          for (const row of rows) {
            const iso = new Date(row.t).toISOString();
            const values: Record<string, { avg: number; min: number; max: number }> = {};
            const visit = (id: number, avg: number, min: number, max: number): void => {
              const name = metricNames.get(id);
              if (name !== undefined) values[name] = { avg, min, max };
            };
            if (seg.tier === 'raw') forEachSysRaw(row.v, (id, v) => visit(id, v, v, v));
            else forEachSysAgg(row.v, visit);
            if (req.format === 'csv') {
              for (const id of ids) {
                const name = metricNames.get(id)!;
                const v = values[name];
                if (v) text += `${iso},${seg.tier},${csvField(name)},${v.avg},${v.min},${v.max}\n`;
              }
            } else {
              text += `${first ? '' : ','}\n${JSON.stringify({ time: iso, tier: seg.tier, metrics: values })}`;
              first = false;
            }
            rowsWritten++;
          }
          await out.write(text);
          done += rows.length;
          progress?.(done, total);
        });
      }
      if (req.format === 'json') await out.write('\n]}\n');
    } else {
      const pidFilter = req.scope.kind === 'pid' ? req.scope.pid : undefined;
      const infos = new Map<number, ProcessInfo>();
      const info = (id: number): ProcessInfo | undefined => {
        if (!infos.has(id)) {
          const r = processRows(store, 'id = ?', [id]).get(id);
          if (r) infos.set(id, r);
        }
        return infos.get(id);
      };
      if (req.format === 'csv')
        await out.write('time,tier,pid,start_time,name,user,cpu_percent,cpu_max_percent,rss_bytes,rss_max_bytes,command\n');
      else await out.write(`{"scope":${JSON.stringify(req.scope.kind === 'pid' ? `pid:${req.scope.pid}` : 'processes')},"rows":[`);
      let first = true;
      for (const seg of segments) {
        await eachChunk(store, seg, async (rows) => {
          checkAbort();
          let text = '';
          for (const row of rows) {
            const iso = new Date(row.t).toISOString();
            const emit = (id: number, cpu: number, cpuMax: number, rssKiB: number, rssMaxKiB: number): void => {
              const p = id === OTHER_PROC_ID ? undefined : info(id);
              if (pidFilter !== undefined && p?.pid !== pidFilter) return;
              const rec = {
                time: iso,
                tier: seg.tier,
                pid: p?.pid ?? null,
                startTime: p ? new Date(p.startTime).toISOString() : null,
                name: id === OTHER_PROC_ID ? '(other processes)' : (p?.name ?? '(unknown)'),
                user: p?.user ?? '',
                cpuPercent: Math.round(cpu * 100) / 100,
                cpuMaxPercent: Math.round(cpuMax * 100) / 100,
                rssBytes: Math.round(rssKiB * 1024),
                rssMaxBytes: Math.round(rssMaxKiB * 1024),
                command: p?.command ?? '',
              };
              if (req.format === 'csv')
                text += `${[rec.time, rec.tier, rec.pid ?? '', rec.startTime ?? '', rec.name, rec.user, rec.cpuPercent, rec.cpuMaxPercent, rec.rssBytes, rec.rssMaxBytes, rec.command].map((v) => csvField(v)).join(',')}\n`;
              else {
                text += `${first ? '' : ','}\n${JSON.stringify(rec)}`;
                first = false;
              }
              rowsWritten++;
            };
            if (seg.tier === 'raw') forEachProcRaw(row.v, (id, cpu, rss) => emit(id, cpu, cpu, rss, rss));
            else forEachProcAgg(row.v, (id, ca, cm, ra, rm) => emit(id, ca, cm, ra, rm));
          }
          await out.write(text);
          done += rows.length;
          progress?.(done, total);
        });
      }
      if (req.format === 'json') await out.write('\n]}\n');
    }
  } finally {
    await out.close();
  }
  return { outPath: req.outPath, rows: rowsWritten, bytes: out.bytes };
}
