// Export of a time range to CSV or JSON, streamed: rows are read in chunks and written as they come,
// so an export of days of data never holds it all in memory. Each moment comes from the finest tier
// that still has it (raw where kept, then 1-minute, then 1-hour rollups); a `tier` column says which.
//
// The export owns its file from start to end: it checks the target (exportTarget.ts), writes a temp
// file beside it, and renames that over the target only once it is complete and synced. A cancel or
// a failure removes the temp file; a process killed midway (Ctrl-C, kill -9) leaves at most that
// hidden temp file, never a partial file under the final name.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncDirectory } from '../storage/atomicFile';
import { forEachProcAgg, forEachProcRaw, forEachSysAgg, forEachSysRaw, OTHER_PROC_ID } from '../storage/frames';
import type { Store } from '../storage/store';
import { eachFrame } from '../storage/frameRows';
import type { ExportRequest, ExportResult, ProcessInfo } from '../types';
import { errorText } from '../../shared/errors';
import { ExportTargetError, exportTargetFor, exportTempPathFor } from './exportTarget';
import { planSegments, tierSpans, type Segment } from './plan';
import { processRows } from './processes';
import { CancelledError } from '../../shared/errors';
import type { ValueUnit } from '../../shared/format';
import { metricUnit } from '../metrics';

const CHUNK_ROWS = 200;

export type ExportProgressFn = (done: number, total: number) => void;

/** The temp file an export writes: complete and synced before it is renamed into place. */
class Out {
  bytes = 0;
  private constructor(
    private readonly file: FileHandle,
    readonly tempPath: string,
  ) {}

  static async create(target: string, outPath: string): Promise<Out> {
    const tempPath = exportTempPathFor(target, randomBytes(6).toString('hex'));
    try {
      // 'wx': never an existing file (a name another process just took); 0600: exports hold command lines.
      return new Out(await open(tempPath, 'wx', 0o600), tempPath);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ExportTargetError(outPath, `no file can be created in ${dirname(outPath)} (${code ?? errorText(e)})`);
    }
  }

  async write(s: string): Promise<void> {
    const buf = Buffer.from(s, 'utf8');
    let o = 0;
    while (o < buf.byteLength) o += (await this.file.write(buf, o, buf.byteLength - o)).bytesWritten;
    this.bytes += buf.byteLength;
  }

  /** Syncs and closes the temp file, then renames it over `target`. */
  async commit(target: string): Promise<void> {
    await this.file.sync();
    await this.file.close();
    renameSync(this.tempPath, target);
    fsyncDirectory(dirname(target));
  }

  async discard(): Promise<void> {
    await this.file.close().catch(() => undefined);
    rmSync(this.tempPath, { force: true });
  }
}

/**
 * A value at the precision it was measured with: frames hold 32-bit floats, which printed as 64-bit
 * read 7.820000171661377. Percentages and load keep 2 decimals, bytes and bytes/s are whole.
 */
function measured(unit: ValueUnit, v: number): number {
  return unit === 'bytes' || unit === 'rate' ? Math.round(v) : Math.round(v * 100) / 100;
}

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function countRows(store: Store, segments: Segment[]): number {
  let n = 0;
  for (const s of segments)
    n += Number(store.db.exec(`SELECT count(*) FROM ${s.table} WHERE t >= ${s.from} AND t < ${s.to}`)[0]?.values[0]?.[0] ?? 0);
  return n;
}

/** Reads a segment in chunks of rows, yielding to the event loop between chunks. */
async function eachChunk(
  store: Store,
  seg: Segment,
  fn: (rows: { t: number; n: number; v: Uint8Array }[]) => Promise<void>,
): Promise<void> {
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
  const checkAbort = (): void => {
    if (signal?.aborted) throw new CancelledError('Export cancelled');
  };
  checkAbort();
  const target = exportTargetFor(req.outPath, store.path);
  const out = await Out.create(target, req.outPath);
  let done = 0;
  let rowsWritten = 0;
  try {
    if (system) {
      const metricNames = new Map<number, string>();
      for (const r of store.db.exec('SELECT id, name FROM metric ORDER BY id')[0]?.values ?? [])
        metricNames.set(Number(r[0]), String(r[1]));
      const ids = [...metricNames.keys()];
      const units = new Map([...metricNames].map(([id, name]) => [id, metricUnit(name)]));
      if (req.format === 'csv') {
        const head = ['time', 'tier', 'metric', 'avg', 'min', 'max'];
        await out.write(`${head.join(',')}\n`);
      } else if (req.format === 'json')
        await out.write(`{"scope":"system","from":"${new Date(req.from).toISOString()}","to":"${new Date(req.to).toISOString()}","rows":[`);
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
              const unit = units.get(id);
              if (name !== undefined && unit !== undefined)
                values[name] = { avg: measured(unit, avg), min: measured(unit, min), max: measured(unit, max) };
            };
            if (seg.tier === 'raw') forEachSysRaw(row.v, (id, v) => visit(id, v, v, v));
            else forEachSysAgg(row.v, visit);
            if (req.format === 'csv' || req.format === 'ndjson') {
              // NDJSON has the CSV's rows, one object a line: what jq, DuckDB and pandas read as a table.
              for (const id of ids) {
                const name = metricNames.get(id)!;
                const v = values[name];
                if (!v) continue;
                if (req.format === 'csv') text += `${iso},${seg.tier},${csvField(name)},${v.avg},${v.min},${v.max}\n`;
                else text += `${JSON.stringify({ time: iso, tier: seg.tier, metric: name, ...v })}\n`;
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
        await out.write('time,tier,pid,ppid,start_time,name,user,cpu_percent,cpu_max_percent,rss_bytes,rss_max_bytes,threads,command\n');
      else if (req.format === 'json')
        await out.write(`{"scope":${JSON.stringify(req.scope.kind === 'pid' ? `pid:${req.scope.pid}` : 'processes')},"rows":[`);
      let first = true;
      for (const seg of segments) {
        await eachChunk(store, seg, async (rows) => {
          checkAbort();
          let text = '';
          for (const row of rows) {
            const iso = new Date(row.t).toISOString();
            // Threads are in raw frames only (rollups keep CPU and memory); null elsewhere.
            const emit = (id: number, cpu: number, cpuMax: number, rssKiB: number, rssMaxKiB: number, threads: number | null): void => {
              const p = id === OTHER_PROC_ID ? undefined : info(id);
              if (pidFilter !== undefined && p?.pid !== pidFilter) return;
              const rec = {
                time: iso,
                tier: seg.tier,
                pid: p?.pid ?? null,
                ppid: p?.ppid ?? null,
                startTime: p ? new Date(p.startTime).toISOString() : null,
                name: id === OTHER_PROC_ID ? '(other processes)' : (p?.name ?? '(unknown)'),
                user: p?.user ?? '',
                cpuPercent: measured('percent', cpu),
                cpuMaxPercent: measured('percent', cpuMax),
                rssBytes: measured('bytes', rssKiB * 1024),
                rssMaxBytes: measured('bytes', rssMaxKiB * 1024),
                threads,
                command: p?.command ?? '',
              };
              if (req.format === 'csv')
                text += `${[rec.time, rec.tier, rec.pid ?? '', rec.ppid ?? '', rec.startTime ?? '', rec.name, rec.user, rec.cpuPercent, rec.cpuMaxPercent, rec.rssBytes, rec.rssMaxBytes, rec.threads ?? '', rec.command].map((v) => csvField(v)).join(',')}\n`;
              else if (req.format === 'ndjson') text += `${JSON.stringify(rec)}\n`;
              else {
                text += `${first ? '' : ','}\n${JSON.stringify(rec)}`;
                first = false;
              }
              rowsWritten++;
            };
            if (seg.tier === 'raw') forEachProcRaw(row.v, (id, cpu, rss, threads) => emit(id, cpu, cpu, rss, rss, threads));
            else forEachProcAgg(row.v, (id, ca, cm, ra, rm) => emit(id, ca, cm, ra, rm, null));
          }
          await out.write(text);
          done += rows.length;
          progress?.(done, total);
        });
      }
      if (req.format === 'json') await out.write('\n]}\n');
    }
    checkAbort();
    // Checked again: the target may have changed into something that must not be replaced meanwhile.
    exportTargetFor(req.outPath, store.path);
    await out.commit(target);
  } catch (e) {
    await out.discard();
    throw e;
  }
  return { outPath: req.outPath, rows: rowsWritten, bytes: out.bytes };
}
