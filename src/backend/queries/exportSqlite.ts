// `export --format sqlite`: a plain relational SQLite file (system_samples, process_samples,
// processes, events, meta) that sqlite3, DuckDB, Datasette and pandas read as tables — the SQL door to a
// history that is stored as compact binary frames.
//
// Written with bounded memory. sql.js (the store's engine) keeps a database in memory and exposes no
// file system or VFS hook to write one elsewhere, so the file is written by a second WebAssembly
// SQLite, node-sqlite3-wasm, whose VFS reads and writes a real file with Node's fs calls: SQLite's
// page cache (`cache_size` below) is all it holds, whatever the export's size. It is loaded on the
// first SQLite export only (a dynamic import; its .wasm sits beside the bundle in dist/).
//
// Like the text formats it writes a temp file beside the target and renames it into place when
// complete (exportHistory drives it through ExportWriter).
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database, Statement } from 'node-sqlite3-wasm';
import { fsyncDirectory } from '../storage/atomicFile';
import type { ExportRequest, Millis, ProcessInfo } from '../types';
import { errorText } from '../../shared/errors';
import { EXPORT_APPLICATION_ID, ExportTargetError, exportTempPathFor } from './exportTarget';
import type { Segment } from './plan';
import type { EventRow, ExportWriter, ProcessRow, SystemMoment } from './export';
import { version } from '../../../package.json';

/** `PRAGMA user_version` of the export file: the layout below. Bump it when a column changes. */
export const SQLITE_EXPORT_VERSION = 3;

/** Rows per transaction: each commit writes its pages, so the file grows while the export runs. */
const TX_ROWS = 5000;

/** SQLite's page cache for the export, in KiB: the memory the file costs, however large it gets. */
const CACHE_KIB = 8192;

type Value = number | string | null;
type Column<R> = readonly [name: string, type: string, value: (row: R) => Value];

const iso = (t: Millis): string => new Date(t).toISOString();

// Times are INTEGER milliseconds since the epoch (UTC), what DuckDB's `epoch_ms()`, pandas'
// `to_datetime(unit='ms')` and SQLite's `datetime(time / 1000, 'unixepoch')` take; `time_iso` is the
// same moment as the text the CSV export writes, for readers that want text.
const SYSTEM_COLUMNS: readonly Column<{ m: SystemMoment; v: SystemMoment['values'][number] }>[] = [
  ['time', 'INTEGER NOT NULL', (r) => r.m.t],
  ['time_iso', 'TEXT NOT NULL', (r) => iso(r.m.t)],
  ['tier', 'TEXT NOT NULL', (r) => r.m.tier],
  ['metric', 'TEXT NOT NULL', (r) => r.v.metric],
  ['avg', 'REAL', (r) => r.v.avg],
  ['min', 'REAL', (r) => r.v.min],
  ['max', 'REAL', (r) => r.v.max],
];

const PROCESS_COLUMNS: readonly Column<ProcessRow>[] = [
  ['time', 'INTEGER NOT NULL', (r) => r.t],
  ['time_iso', 'TEXT NOT NULL', (r) => iso(r.t)],
  ['tier', 'TEXT NOT NULL', (r) => r.tier],
  // NULL for a rollup's "(other processes)" entry, as in the CSV.
  ['pid', 'INTEGER', (r) => r.pid],
  ['ppid', 'INTEGER', (r) => r.ppid],
  ['start_time', 'INTEGER', (r) => r.startTime],
  ['name', 'TEXT NOT NULL', (r) => r.name],
  ['user', 'TEXT', (r) => r.user],
  ['cpu_percent', 'REAL', (r) => r.cpuPercent],
  ['cpu_max_percent', 'REAL', (r) => r.cpuMaxPercent],
  ['memory_bytes', 'INTEGER', (r) => r.rssBytes],
  ['memory_max_bytes', 'INTEGER', (r) => r.rssMaxBytes],
  // NULL in rollup rows: rollups keep CPU and memory only.
  ['threads', 'INTEGER', (r) => r.threads],
  // One letter as in /proc (R, S, D, Z, T, I…); the last seen in a rollup bucket. NULL where the
  // frame did not carry it (recorded before schema 4) — never a made-up value.
  ['state', 'TEXT', (r) => r.state],
  // Storage bytes over the row's interval or bucket (/proc/<pid>/io); NULL where unknown.
  ['read_bytes', 'INTEGER', (r) => r.readBytes],
  ['write_bytes', 'INTEGER', (r) => r.writeBytes],
  // CPU of children that finished in the interval, % of one core.
  ['children_cpu_percent', 'REAL', (r) => r.childrenCpuPercent],
  // What the process was to VS Code, and the extension it served (NULL: none, or not known).
  ['role', 'TEXT', (r) => r.role || null],
  ['extension', 'TEXT', (r) => r.extension || null],
  // Already as the privacy.commandLine mode allowed when it was recorded (redacted before storage).
  ['command', 'TEXT', (r) => r.command],
];

const PROCESSES_COLUMNS: readonly Column<ProcessInfo>[] = [
  ['pid', 'INTEGER NOT NULL', (p) => p.pid],
  ['start_time', 'INTEGER NOT NULL', (p) => p.startTime],
  ['ppid', 'INTEGER', (p) => p.ppid],
  ['name', 'TEXT NOT NULL', (p) => p.name],
  ['user', 'TEXT', (p) => p.user],
  ['command', 'TEXT', (p) => p.command],
  ['role', 'TEXT', (p) => p.role?.kind ?? null],
  ['role_detail', 'TEXT', (p) => (p.role ? p.role.detail : null)],
  ['extension', 'TEXT', (p) => p.role?.extensionId ?? null],
  ['extension_name', 'TEXT', (p) => p.role?.extensionName ?? null],
  ['host_pid', 'INTEGER', (p) => p.role?.hostPid ?? null],
  ['first_seen', 'INTEGER', (p) => p.firstSeen],
  // The store refreshes last_seen when it rolls a minute up: up to a minute behind the last sample.
  ['last_seen', 'INTEGER', (p) => p.lastSeen],
];

// The alert events (scopes events and all); start/end in ms like every time here, end NULL while active.
const EVENTS_COLUMNS: readonly Column<EventRow>[] = [
  ['start', 'INTEGER NOT NULL', (e) => e.start],
  ['start_iso', 'TEXT NOT NULL', (e) => iso(e.start)],
  ['end', 'INTEGER', (e) => e.end],
  ['end_iso', 'TEXT', (e) => (e.end === null ? null : iso(e.end))],
  ['rule', 'TEXT NOT NULL', (e) => e.rule],
  ['culprit', 'TEXT NOT NULL', (e) => e.culprit],
  ['pids', 'TEXT', (e) => e.pids || null],
  ['group', 'TEXT', (e) => e.group || null],
  ['peak', 'REAL', (e) => e.peak],
  ['unit', 'TEXT NOT NULL', (e) => e.unit],
  ['text', 'TEXT NOT NULL', (e) => e.text],
  // The rule's numbers (threshold, sustainSeconds, slope…) as a JSON object: json_extract() reads it.
  ['details', 'TEXT', (e) => e.details],
];

const create = (table: string, cols: readonly Column<never>[], extra = ''): string =>
  `CREATE TABLE ${table} (${cols.map(([n, t]) => `"${n}" ${t}`).join(', ')}${extra})`;
const insert = (table: string, cols: readonly Column<never>[]): string => `INSERT INTO ${table} VALUES (${cols.map(() => '?').join(', ')})`;

// Indexes are created before the rows go in: SQLite then keeps them up to date within its page
// cache, where building them afterwards would sort every row in memory (this build keeps temp data
// in memory).
const SCHEMA = [
  'CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)',
  create('system_samples', SYSTEM_COLUMNS),
  create('process_samples', PROCESS_COLUMNS),
  create('processes', PROCESSES_COLUMNS, ', PRIMARY KEY (pid, start_time)'),
  create('events', EVENTS_COLUMNS),
  'CREATE INDEX system_samples_time ON system_samples (time)',
  'CREATE INDEX process_samples_time ON process_samples (time)',
  'CREATE INDEX process_samples_process ON process_samples (pid, start_time)',
];

export interface SqliteExportSource {
  /** The history database's path, recorded in `meta`. */
  source: string;
  /** The tiers and spans the rows come from. */
  segments: Segment[];
}

function scopeText(req: ExportRequest): string {
  return req.scope.kind === 'pid' ? `pid:${req.scope.pid}` : req.scope.kind;
}

export class SqliteExport implements ExportWriter {
  rows = 0;
  bytes = 0;
  private inTx = 0;
  private readonly insertSystem: Statement;
  private readonly insertProcess: Statement;

  private constructor(
    private readonly db: Database,
    private readonly tempPath: string,
    private readonly meta: [string, string][],
  ) {
    this.insertSystem = db.prepare(insert('system_samples', SYSTEM_COLUMNS));
    this.insertProcess = db.prepare(insert('process_samples', PROCESS_COLUMNS));
    db.exec('BEGIN');
  }

  static async create(target: string, req: ExportRequest, src: SqliteExportSource): Promise<SqliteExport> {
    const tempPath = exportTempPathFor(target, randomBytes(6).toString('hex'));
    try {
      // Created here, like the text formats' temp file: 'wx' never takes an existing name, 0600
      // because exports hold command lines. SQLite then opens the empty file as a new database.
      closeSync(openSync(tempPath, 'wx', 0o600));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new ExportTargetError(req.outPath, `no file can be created in ${dirname(req.outPath)} (${code ?? errorText(e)})`);
    }
    let db: Database | undefined;
    try {
      const { Database } = await import('node-sqlite3-wasm');
      db = new Database(tempPath);
      // No rollback journal (a failed export's file is deleted, never rolled back) and no syncs until
      // the end, when the whole file is synced once before the rename.
      db.exec(
        `PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -${CACHE_KIB};` +
          `PRAGMA application_id = ${EXPORT_APPLICATION_ID}; PRAGMA user_version = ${SQLITE_EXPORT_VERSION};`,
      );
      for (const sql of SCHEMA) db.exec(sql);
      const meta: [string, string][] = [
        ['format', 'vitals-export'],
        ['format_version', String(SQLITE_EXPORT_VERSION)],
        ['vitals_version', version],
        ['source', src.source],
        ['exported_at', iso(Date.now())],
        ['scope', scopeText(req)],
        ['from', iso(req.from)],
        ['to', iso(req.to)],
        ['from_ms', String(req.from)],
        ['to_ms', String(req.to)],
        // Which tier each span came from (raw samples, 1-minute or 1-hour rollups).
        [
          'tiers',
          JSON.stringify(
            src.segments.map((s) => ({
              table: s.table.startsWith('sys') ? 'system_samples' : 'process_samples',
              tier: s.tier,
              from: iso(s.from),
              to: iso(s.to),
            })),
          ),
        ],
        [
          'time_unit',
          'time, start_time, first_seen, last_seen, start, end: milliseconds since 1970-01-01 UTC; *_iso: the same moment in ISO 8601',
        ],
        ['command_line', 'as stored: the privacy.commandLine mode in force when it was recorded (redacted, off or full)'],
      ];
      return new SqliteExport(db, tempPath, meta);
    } catch (e) {
      try {
        db?.close();
      } catch {
        // The file goes anyway.
      }
      removeTemp(tempPath);
      throw e;
    }
  }

  private added(n: number): void {
    this.rows += n;
    this.inTx += n;
    if (this.inTx >= TX_ROWS) {
      this.db.exec('COMMIT; BEGIN');
      this.inTx = 0;
    }
  }

  system(moments: SystemMoment[]): Promise<void> {
    for (const m of moments)
      for (const v of m.values) {
        this.insertSystem.run(SYSTEM_COLUMNS.map(([, , value]) => value({ m, v })));
        this.added(1);
      }
    return Promise.resolve();
  }

  processes(rows: ProcessRow[]): Promise<void> {
    for (const r of rows) {
      this.insertProcess.run(PROCESS_COLUMNS.map(([, , value]) => value(r)));
      this.added(1);
    }
    return Promise.resolve();
  }

  events(rows: EventRow[]): Promise<void> {
    const stmt = this.db.prepare(insert('events', EVENTS_COLUMNS));
    try {
      for (const e of rows) {
        stmt.run(EVENTS_COLUMNS.map(([, , value]) => value(e)));
        this.added(1);
      }
    } finally {
      stmt.finalize();
    }
    return Promise.resolve();
  }

  finish(seen: ProcessInfo[]): Promise<void> {
    const stmt = this.db.prepare(insert('processes', PROCESSES_COLUMNS));
    try {
      for (const p of seen) stmt.run(PROCESSES_COLUMNS.map(([, , value]) => value(p)));
    } finally {
      stmt.finalize();
    }
    const metaStmt = this.db.prepare('INSERT INTO meta VALUES (?, ?)');
    try {
      for (const kv of [...this.meta, ['rows', String(this.rows)]]) metaStmt.run(kv);
    } finally {
      metaStmt.finalize();
    }
    this.db.exec('COMMIT');
    return Promise.resolve();
  }

  private close(): void {
    if (!this.db.isOpen) return;
    this.insertSystem.finalize();
    this.insertProcess.finalize();
    this.db.close();
  }

  commit(target: string): Promise<void> {
    this.close();
    const fd = openSync(this.tempPath, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.bytes = statSync(this.tempPath).size;
    renameSync(this.tempPath, target);
    fsyncDirectory(dirname(target));
    return Promise.resolve();
  }

  discard(): Promise<void> {
    try {
      this.close();
    } catch {
      // The file goes anyway.
    }
    removeTemp(this.tempPath);
    return Promise.resolve();
  }
}

/** The temp file, and the lock folder node-sqlite3-wasm's VFS keeps beside an open file. */
function removeTemp(tempPath: string): void {
  rmSync(tempPath, { force: true });
  rmSync(`${tempPath}.lock`, { force: true, recursive: true });
}
