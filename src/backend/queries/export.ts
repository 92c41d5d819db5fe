// Export of a time range to CSV, JSON, NDJSON or SQLite, streamed: rows are read in chunks and
// written as they come, so an export of days of data never holds it all in memory. Each moment comes
// from the finest tier that still has it (raw where kept, then 1-minute, then 1-hour rollups); a
// `tier` column says which.
//
// The rows are produced once (eachSystemChunk, eachProcessChunk) and handed to a writer per format:
// the text writer below, or the SQLite writer (exportSqlite.ts).
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
import { ExtrasReader } from '../storage/procExtras';
import type { Store } from '../storage/store';
import { eachFrame } from '../storage/frameRows';
import type { ExportFormat, ExportRequest, ExportResult, Millis, ProcessInfo, Tier } from '../types';
import { BadRequestError, CancelledError, errorText } from '../../shared/errors';
import { ExportTargetError, exportTargetFor, exportTempPathFor } from './exportTarget';
import { planSegments, tierSpans, type Segment } from './plan';
import { processRows } from './processes';
import type { ValueUnit } from '../../shared/format';
import { metricUnit } from '../metrics';
import { SqliteExport } from './exportSqlite';
import { alertsBetween } from './events';
import type { AlertEvent } from '../alerts/types';

const CHUNK_ROWS = 200;

export type ExportProgressFn = (done: number, total: number) => void;

/** One moment of system metrics, values at measured precision, in metric id order. */
export interface SystemMoment {
  t: Millis;
  tier: Tier;
  values: { metric: string; avg: number; min: number; max: number }[];
}

/**
 * One process in one moment. `pid` is null for a rollup's "(other processes)" entry. Rollup entries
 * keep no thread count (null); their state is the last one seen in the bucket. Read and written
 * bytes are over the row's interval or bucket; null where unknown (not readable to the recorder, or
 * recorded before schema 4), like the state and the CPU of finished children.
 */
export interface ProcessRow {
  t: Millis;
  tier: Tier;
  pid: number | null;
  ppid: number | null;
  startTime: Millis | null;
  name: string;
  user: string;
  cpuPercent: number;
  cpuMaxPercent: number;
  rssBytes: number;
  rssMaxBytes: number;
  threads: number | null;
  state: string | null;
  readBytes: number | null;
  writeBytes: number | null;
  /** CPU of children that finished in the interval, % of one core (averaged over a bucket). */
  childrenCpuPercent: number | null;
  /** The VS Code role kind it was recorded with, '' for processes that are not VS Code's. */
  role: string;
  /** The extension it served (its id), '' when none or unknown. */
  extension: string;
  command: string;
}

/**
 * One alert event as the exports write it: the culprit as its name, pids and group, the peak figure
 * with its unit, the rule's details as JSON text. `end` is null while the alert is active.
 */
export interface EventRow {
  start: Millis;
  end: Millis | null;
  rule: string;
  culprit: string;
  /** Space-separated, as the event table keeps them; '' for a culprit with no process. */
  pids: string;
  /** The extension or role group (`extension:ms-python.python`), '' when none. */
  group: string;
  peak: number;
  unit: string;
  text: string;
  details: string;
}

export function eventRow(e: AlertEvent): EventRow {
  return {
    start: e.start,
    end: e.end,
    rule: e.rule,
    culprit: e.culprit.label,
    pids: e.culprit.processes.map((p) => p.pid).join(' '),
    group: e.culprit.group ?? '',
    peak: e.peak.value,
    unit: e.peak.unit,
    text: e.text,
    details: JSON.stringify(e.details),
  };
}

/** What every format's writer does with the rows; the export drives it (exportHistory). */
export interface ExportWriter {
  /** Rows written so far, as the format counts them. */
  readonly rows: number;
  readonly bytes: number;
  system(moments: SystemMoment[]): Promise<void>;
  processes(rows: ProcessRow[]): Promise<void>;
  events(rows: EventRow[]): Promise<void>;
  /** Called once after the last rows: `seen` are the processes the rows named. */
  finish(seen: ProcessInfo[]): Promise<void>;
  /** Syncs and closes the temp file, then renames it over `target`. */
  commit(target: string): Promise<void>;
  /** Closes and removes the temp file (a cancel, a failure). */
  discard(): Promise<void>;
}

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

/** CSV, JSON and NDJSON. System CSV/NDJSON have a line per metric and moment; `rows` counts moments. */
class TextWriter implements ExportWriter {
  rows = 0;
  private first = true;
  private constructor(
    private readonly out: Out,
    private readonly format: Exclude<ExportFormat, 'sqlite'>,
  ) {}

  get bytes(): number {
    return this.out.bytes;
  }

  static async create(target: string, req: ExportRequest, format: Exclude<ExportFormat, 'sqlite'>): Promise<TextWriter> {
    const w = new TextWriter(await Out.create(target, req.outPath), format);
    try {
      if (req.scope.kind === 'system') {
        if (format === 'csv') await w.out.write('time,tier,metric,avg,min,max\n');
        else if (format === 'json')
          await w.out.write(
            `{"scope":"system","from":"${new Date(req.from).toISOString()}","to":"${new Date(req.to).toISOString()}","rows":[`,
          );
      } else if (req.scope.kind === 'events') {
        if (format === 'csv') await w.out.write('start,end,rule,culprit,pids,group,peak,unit,text,details\n');
        else if (format === 'json')
          await w.out.write(
            `{"scope":"events","from":"${new Date(req.from).toISOString()}","to":"${new Date(req.to).toISOString()}","rows":[`,
          );
      } else if (format === 'csv')
        await w.out.write(
          'time,tier,pid,ppid,start_time,name,user,cpu_percent,cpu_max_percent,rss_bytes,rss_max_bytes,threads,state,read_bytes,write_bytes,children_cpu_percent,role,extension,command\n',
        );
      else if (format === 'json')
        await w.out.write(`{"scope":${JSON.stringify(req.scope.kind === 'pid' ? `pid:${req.scope.pid}` : 'processes')},"rows":[`);
    } catch (e) {
      await w.out.discard();
      throw e;
    }
    return w;
  }

  async system(moments: SystemMoment[]): Promise<void> {
    let text = '';
    for (const m of moments) {
      const iso = new Date(m.t).toISOString();
      if (this.format === 'json') {
        const metrics: Record<string, { avg: number; min: number; max: number }> = {};
        for (const { metric, avg, min, max } of m.values) metrics[metric] = { avg, min, max };
        text += `${this.first ? '' : ','}\n${JSON.stringify({ time: iso, tier: m.tier, metrics })}`;
        this.first = false;
      } else
        for (const { metric, avg, min, max } of m.values)
          // NDJSON has the CSV's rows, one object a line: what jq, DuckDB and pandas read as a table.
          text +=
            this.format === 'csv'
              ? `${iso},${m.tier},${csvField(metric)},${avg},${min},${max}\n`
              : `${JSON.stringify({ time: iso, tier: m.tier, metric, avg, min, max })}\n`;
      this.rows++;
    }
    await this.out.write(text);
  }

  async processes(rows: ProcessRow[]): Promise<void> {
    let text = '';
    for (const r of rows) {
      const rec = {
        time: new Date(r.t).toISOString(),
        tier: r.tier,
        pid: r.pid,
        ppid: r.ppid,
        startTime: r.startTime === null ? null : new Date(r.startTime).toISOString(),
        name: r.name,
        user: r.user,
        cpuPercent: r.cpuPercent,
        cpuMaxPercent: r.cpuMaxPercent,
        rssBytes: r.rssBytes,
        rssMaxBytes: r.rssMaxBytes,
        threads: r.threads,
        state: r.state,
        readBytes: r.readBytes,
        writeBytes: r.writeBytes,
        childrenCpuPercent: r.childrenCpuPercent,
        role: r.role,
        extension: r.extension,
        command: r.command,
      };
      if (this.format === 'csv')
        text += `${[rec.time, rec.tier, rec.pid ?? '', rec.ppid ?? '', rec.startTime ?? '', rec.name, rec.user, rec.cpuPercent, rec.cpuMaxPercent, rec.rssBytes, rec.rssMaxBytes, rec.threads ?? '', rec.state ?? '', rec.readBytes ?? '', rec.writeBytes ?? '', rec.childrenCpuPercent ?? '', rec.role, rec.extension, rec.command].map((v) => csvField(v)).join(',')}\n`;
      else if (this.format === 'ndjson') text += `${JSON.stringify(rec)}\n`;
      else {
        text += `${this.first ? '' : ','}\n${JSON.stringify(rec)}`;
        this.first = false;
      }
      this.rows++;
    }
    await this.out.write(text);
  }

  async events(rows: EventRow[]): Promise<void> {
    let text = '';
    for (const r of rows) {
      const rec = { ...r, start: new Date(r.start).toISOString(), end: r.end === null ? null : new Date(r.end).toISOString() };
      if (this.format === 'csv')
        text += `${[rec.start, rec.end ?? '', rec.rule, rec.culprit, rec.pids, rec.group, rec.peak, rec.unit, rec.text, rec.details].map((v) => csvField(v)).join(',')}\n`;
      else if (this.format === 'ndjson') text += `${JSON.stringify({ ...rec, details: JSON.parse(r.details) as unknown })}\n`;
      else {
        text += `${this.first ? '' : ','}\n${JSON.stringify({ ...rec, details: JSON.parse(r.details) as unknown })}`;
        this.first = false;
      }
      this.rows++;
    }
    await this.out.write(text);
  }

  async finish(): Promise<void> {
    if (this.format === 'json') await this.out.write('\n]}\n');
  }

  commit(target: string): Promise<void> {
    return this.out.commit(target);
  }

  discard(): Promise<void> {
    return this.out.discard();
  }
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
  fn: (rows: { t: number; n: number; v: Uint8Array; x: Uint8Array | null }[]) => Promise<void>,
): Promise<void> {
  let after = seg.from - 1;
  const extras = seg.table.startsWith('proc_');
  for (;;) {
    const rows: { t: number; n: number; v: Uint8Array; x: Uint8Array | null }[] = [];
    eachFrame(store.db, { table: seg.table, from: after, to: seg.to, after: true, limit: CHUNK_ROWS, extras }, (t, n, v, x) =>
      rows.push({ t, n, v: v.slice(), x: x ? x.slice() : null }),
    );
    if (rows.length === 0) return;
    await fn(rows);
    // Let the worker answer other requests between chunks.
    await new Promise((resolve) => setImmediate(resolve));
    after = rows[rows.length - 1]!.t;
    if (rows.length < CHUNK_ROWS) return;
  }
}

/** System moments of the segments, a chunk of frames at a time; `fn` gets the chunk and its frame count. */
async function eachSystemChunk(
  store: Store,
  segments: Segment[],
  fn: (moments: SystemMoment[], frames: number) => Promise<void>,
): Promise<void> {
  const metricNames = new Map<number, string>();
  for (const r of store.db.exec('SELECT id, name FROM metric ORDER BY id')[0]?.values ?? []) metricNames.set(Number(r[0]), String(r[1]));
  const units = new Map([...metricNames].map(([id, name]) => [id, metricUnit(name)]));
  for (const seg of segments)
    await eachChunk(store, seg, async (rows) => {
      const moments: SystemMoment[] = [];
      for (const row of rows) {
        const values: SystemMoment['values'] = [];
        // Frames are sorted by metric id: the values come in id order, as the CSV always had them.
        const visit = (id: number, avg: number, min: number, max: number): void => {
          const metric = metricNames.get(id);
          const unit = units.get(id);
          if (metric !== undefined && unit !== undefined)
            values.push({ metric, avg: measured(unit, avg), min: measured(unit, min), max: measured(unit, max) });
        };
        if (seg.tier === 'raw') forEachSysRaw(row.v, (id, v) => visit(id, v, v, v));
        else forEachSysAgg(row.v, visit);
        moments.push({ t: row.t, tier: seg.tier, values });
      }
      await fn(moments, rows.length);
    });
}

/** Process rows of the segments (of one pid when `pidFilter` is set); `seen` collects their processes. */
async function eachProcessChunk(
  store: Store,
  segments: Segment[],
  pidFilter: number | undefined,
  seen: Map<number, ProcessInfo>,
  fn: (rows: ProcessRow[], frames: number) => Promise<void>,
): Promise<void> {
  const info = (id: number): ProcessInfo | undefined => {
    let p = seen.get(id);
    if (!p) {
      p = processRows(store, 'id = ?', [id]).get(id);
      if (p) seen.set(id, p);
    }
    return p;
  };
  for (const seg of segments)
    await eachChunk(store, seg, async (frames) => {
      const rows: ProcessRow[] = [];
      for (const frame of frames) {
        const x = new ExtrasReader(frame.x, seg.tier !== 'raw');
        let i = -1;
        const known = (v: number, unit: ValueUnit): number | null => (Number.isNaN(v) ? null : measured(unit, v));
        // Threads are in raw frames only (rollups keep CPU and memory); null elsewhere.
        const emit = (id: number, cpu: number, cpuMax: number, rssKiB: number, rssMaxKiB: number, threads: number | null): void => {
          i++;
          const p = id === OTHER_PROC_ID ? undefined : info(id);
          if (pidFilter !== undefined && p?.pid !== pidFilter) return;
          rows.push({
            t: frame.t,
            tier: seg.tier,
            pid: p?.pid ?? null,
            ppid: p?.ppid ?? null,
            startTime: p ? p.startTime : null,
            name: id === OTHER_PROC_ID ? '(other processes)' : (p?.name ?? '(unknown)'),
            user: p?.user ?? '',
            cpuPercent: measured('percent', cpu),
            cpuMaxPercent: measured('percent', cpuMax),
            rssBytes: measured('bytes', rssKiB * 1024),
            rssMaxBytes: measured('bytes', rssMaxKiB * 1024),
            threads,
            state: x.state(i) || null,
            readBytes: known(x.readBytes(i), 'bytes'),
            writeBytes: known(x.writeBytes(i), 'bytes'),
            childrenCpuPercent: known(x.childCpu(i), 'percent'),
            role: p?.role?.kind ?? '',
            extension: p?.role?.extensionId ?? '',
            command: p?.command ?? '',
          });
        };
        if (seg.tier === 'raw') forEachProcRaw(frame.v, (id, cpu, rss, threads) => emit(id, cpu, cpu, rss, rss, threads));
        else forEachProcAgg(frame.v, (id, ca, cm, ra, rm) => emit(id, ca, cm, ra, rm, null));
      }
      await fn(rows, frames.length);
    });
}

export async function exportHistory(
  store: Store,
  req: ExportRequest,
  sampleIntervalMs: number,
  signal?: AbortSignal,
  progress?: ExportProgressFn,
): Promise<ExportResult> {
  const { format, scope } = req;
  if (scope.kind === 'all' && format !== 'sqlite')
    throw new BadRequestError(`Exporting system and process history together needs the sqlite format; ${format} holds one of them.`);
  const wantSystem = scope.kind === 'system' || scope.kind === 'all';
  const wantProcesses = scope.kind !== 'system' && scope.kind !== 'events';
  const wantEvents = scope.kind === 'events' || scope.kind === 'all';
  const plan = (kind: 'sys' | 'proc'): Segment[] => planSegments(tierSpans(store, kind, sampleIntervalMs), req.from, req.to, Infinity);
  const sysSegments = wantSystem ? plan('sys') : [];
  const procSegments = wantProcesses ? plan('proc') : [];
  // Events are few (one per alert) and read at once; they count as one step of the progress.
  const events = wantEvents ? alertsBetween(store, req.from, req.to).map(eventRow) : [];
  const total = countRows(store, sysSegments) + countRows(store, procSegments) + (wantEvents ? 1 : 0);
  const checkAbort = (): void => {
    if (signal?.aborted) throw new CancelledError('Export cancelled');
  };
  checkAbort();
  const target = exportTargetFor(req.outPath, store.path);
  const writer: ExportWriter =
    format === 'sqlite'
      ? await SqliteExport.create(target, req, { source: store.path, segments: [...sysSegments, ...procSegments] })
      : await TextWriter.create(target, req, format);
  let done = 0;
  const step = (frames: number): void => {
    done += frames;
    progress?.(done, total);
  };
  try {
    if (wantSystem)
      await eachSystemChunk(store, sysSegments, async (moments, frames) => {
        checkAbort();
        await writer.system(moments);
        step(frames);
      });
    const seen = new Map<number, ProcessInfo>();
    if (wantProcesses)
      await eachProcessChunk(store, procSegments, scope.kind === 'pid' ? scope.pid : undefined, seen, async (rows, frames) => {
        checkAbort();
        await writer.processes(rows);
        step(frames);
      });
    if (wantEvents) {
      checkAbort();
      await writer.events(events);
      step(1);
    }
    checkAbort();
    const pidFilter = scope.kind === 'pid' ? scope.pid : undefined;
    await writer.finish([...seen.values()].filter((p) => pidFilter === undefined || p.pid === pidFilter));
    checkAbort();
    // Checked again: the target may have changed into something that must not be replaced meanwhile.
    exportTargetFor(req.outPath, store.path);
    await writer.commit(target);
  } catch (e) {
    await writer.discard();
    throw e;
  }
  return { outPath: req.outPath, rows: writer.rows, bytes: writer.bytes };
}
