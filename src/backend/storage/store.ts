// The recorder's database: sql.js in memory, made durable by a per-interval journal and periodic
// atomic checkpoints of the whole file.
//
//   record(snapshot) → frames + new strings → applied in one transaction → queued for the journal
//   flush()          → queued records appended to `<db>.journal` (cost independent of database size)
//   checkpoint()     → export, write temp file, fsync, rename, fsync dir; journal emptied
//   open()           → load the file (or set a bad one aside), replay journal records it lacks
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { flattenSystem } from '../metrics';
import type { Millis, RetentionPolicy, Snapshot, TimedEvent } from '../types';
import { writeFileAtomic } from './atomicFile';
import { encodeProcRaw, encodeSysRaw, type ProcValue, type SysValue } from './frames';
import { Journal } from './journal';
import { liveSizeBytes, maintain, readCursors, releaseFreePages, type Cursors } from './maintenance';
import { decodeRecord, encodeRecord, type JournalRecord, type NewProcess } from './records';
import { FRAME_TABLES, initializeEmpty, migrate, NewerSchemaError, NotVitalsError } from './schema';
import { loadSqlJs, type Database } from './sqljs';

export { NewerSchemaError, NotVitalsError } from './schema';

export interface StoreOptions {
  path: string;
  retention: RetentionPolicy;
  /** Records kept in memory while the journal cannot be written; beyond this the oldest are dropped. */
  writeQueueLimit?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Reported once when a file had to be set aside. */
  onSetAside?: (original: string, setAsideAs: string, reason: string) => void;
  now?: () => Millis;
  /**
   * 'read' opens an existing file for queries only: nothing on disk is changed, and a missing or bad
   * file throws instead of being replaced. Default 'record'.
   */
  mode?: 'record' | 'read';
  /**
   * What to do, when recording, with a file that is not ours at all (not SQLite, or another
   * application's SQLite): set it aside like a corrupt one, or refuse. Default 'set-aside'.
   */
  foreign?: 'set-aside' | 'refuse';
}

export interface OpenReport {
  /** Where a corrupt or foreign file was moved, if one was. */
  setAside?: { path: string; reason: string };
  replayedRecords: number;
  droppedJournalBytes: number;
}

interface ActiveProcess {
  id: number;
  startTime: Millis;
  seenAt: Millis;
}

export function journalPathFor(dbPath: string): string {
  return `${dbPath}.journal`;
}

const SQLITE_HEADER = 'SQLite format 3\0';

function looksLikeSqlite(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 100) return false;
  return new TextDecoder().decode(bytes.subarray(0, 16)) === SQLITE_HEADER;
}

export class Store {
  readonly journal: Journal;
  private cursors: Cursors;
  private readonly metricIds = new Map<string, number>();
  /** Keyed by pid (a number hashes far cheaper than a `pid@start` string); a reused pid replaces its entry. */
  private readonly active = new Map<number, ActiveProcess>();
  private nextMetricId: number;
  private nextProcessId: number;
  private seq: number;
  private pending: Uint8Array[] = [];
  private checkpointSeq: number;
  private dirtySinceCheckpoint = false;
  lastFlush: TimedEvent | null = null;
  lastCheckpoint: TimedEvent | null = null;
  samplesDropped = 0;
  retention: RetentionPolicy;
  writeQueueLimit: number;

  private constructor(
    readonly db: Database,
    readonly path: string,
    private readonly options: StoreOptions,
    readonly openReport: OpenReport,
  ) {
    this.journal = new Journal(journalPathFor(path));
    this.retention = options.retention;
    this.writeQueueLimit = options.writeQueueLimit ?? 900;
    this.cursors = readCursors(db);
    this.nextMetricId = this.scalar('SELECT coalesce(max(id), 0) + 1 FROM metric');
    this.nextProcessId = this.scalar('SELECT coalesce(max(id), 0) + 1 FROM process');
    this.checkpointSeq = this.scalar("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'checkpoint_seq'), 0)");
    this.seq = this.checkpointSeq;
    for (const row of db.exec('SELECT id, name FROM metric')[0]?.values ?? []) this.metricIds.set(String(row[1]), Number(row[0]));
  }

  /**
   * Opens (or creates) the database at `path` and replays its journal. A file that is corrupt,
   * truncated, empty or not a Vitals database is renamed `<name>.corrupt-<timestamp>` (never
   * deleted) and a fresh database is started. A file from a newer schema throws NewerSchemaError
   * and is left as it is.
   */
  static async open(options: StoreOptions): Promise<Store> {
    const SQL = await loadSqlJs();
    const readOnly = options.mode === 'read';
    if (readOnly && !existsSync(options.path)) throw new Error(`No such database: ${options.path}`);
    if (!readOnly) mkdirSync(dirname(options.path), { recursive: true });
    const now = options.now ?? Date.now;
    const report: OpenReport = { replayedRecords: 0, droppedJournalBytes: 0 };
    let db: Database | undefined;
    if (existsSync(options.path)) {
      const bytes = readFileSync(options.path);
      let reason: string | undefined;
      if (bytes.byteLength === 0) reason = 'the file is empty';
      else if (!looksLikeSqlite(bytes)) {
        reason = 'the file is not an SQLite database';
        // Someone else's file named by hand (CLI): refuse rather than move it out of their way.
        if (options.foreign === 'refuse' || readOnly) throw new NotVitalsError(reason);
      } else {
        try {
          db = new SQL.Database(bytes);
          const check = String(db.exec('PRAGMA quick_check')[0]?.values[0]?.[0] ?? '');
          if (check !== 'ok') throw new Error(`integrity check failed: ${check}`);
          migrate(db);
        } catch (e) {
          db?.close();
          db = undefined;
          if (e instanceof NewerSchemaError) throw e;
          if (e instanceof NotVitalsError && options.foreign === 'refuse') throw e;
          reason = e instanceof Error ? e.message : String(e);
        }
      }
      if (reason !== undefined && readOnly) throw new NotVitalsError(reason);
      if (reason !== undefined) {
        const stamp = new Date(now()).toISOString().replace(/[:.]/g, '-');
        const aside = `${options.path}.corrupt-${stamp}`;
        renameSync(options.path, aside);
        // Its journal belongs to it (its process ids mean nothing to a fresh database).
        const journal = journalPathFor(options.path);
        if (existsSync(journal)) renameSync(journal, `${aside}.journal`);
        report.setAside = { path: aside, reason };
        options.log?.('warn', `Set aside ${options.path} as ${aside}: ${reason}`);
        options.onSetAside?.(options.path, aside, reason);
      }
    }
    if (!db) {
      db = new SQL.Database();
      initializeEmpty(db);
      migrate(db);
    }
    // The rollback journal of an in-memory database needs no file: keeping it in memory avoids a
    // file created, grown and deleted inside sql.js's virtual filesystem at every transaction.
    db.exec('PRAGMA journal_mode = MEMORY');
    const store = new Store(db, options.path, options, report);
    store.replayJournal(readOnly);
    return store;
  }

  private scalar(sql: string, params: (number | string)[] = []): number {
    const stmt = this.db.prepare(sql);
    try {
      stmt.bind(params);
      return stmt.step() ? Number(stmt.get()[0] ?? 0) : 0;
    } finally {
      stmt.free();
    }
  }

  private replayJournal(readOnly: boolean): void {
    const contents = this.journal.read({ repair: !readOnly });
    this.openReport.droppedJournalBytes = contents.droppedBytes;
    if (contents.droppedBytes > 0)
      this.options.log?.('warn', `Dropped ${contents.droppedBytes} bytes of a torn journal tail (a write cut short by a crash).`);
    for (const payload of contents.records) {
      let record: JournalRecord;
      try {
        record = decodeRecord(payload);
      } catch (e) {
        this.options.log?.('warn', `Stopped replaying the journal at an unreadable record: ${String(e)}`);
        break;
      }
      if (record.seq <= this.checkpointSeq) continue;
      this.apply(record);
      this.seq = record.seq;
      this.openReport.replayedRecords++;
    }
    // Replayed processes may still be running: pick them up so they are not inserted twice.
    if (this.openReport.replayedRecords > 0) {
      this.dirtySinceCheckpoint = true;
      for (const row of this.db.exec('SELECT id, pid, start_time, last_seen FROM process ORDER BY last_seen DESC LIMIT 5000')[0]?.values ?? [])
        if (!this.active.has(Number(row[1])))
          this.active.set(Number(row[1]), { id: Number(row[0]), startTime: Number(row[2]), seenAt: Number(row[3]) });
    }
  }

  /** Applies one record in one transaction: strings, frames, then a bounded step of upkeep. */
  private apply(record: JournalRecord): void {
    this.db.exec('BEGIN');
    try {
      if (record.kind === 'clear') {
        for (const t of FRAME_TABLES) this.db.exec(`DELETE FROM ${t}`);
        this.db.exec("DELETE FROM process; DELETE FROM meta WHERE key IN ('rollup_minute', 'rollup_hour')");
        this.cursors = { minute: null, hour: null };
        this.active.clear();
      } else {
        for (const [id, name] of record.metrics) {
          this.db.run('INSERT OR IGNORE INTO metric(id, name) VALUES (?, ?)', [id, name]);
          this.metricIds.set(name, id);
          this.nextMetricId = Math.max(this.nextMetricId, id + 1);
        }
        if (record.processes.length > 0) {
          const keepUntil = record.t + this.retention.rawProcessMinutes * 60_000;
          const stmt = this.db.prepare(
            'INSERT OR IGNORE INTO process(id, pid, start_time, ppid, name, command, user, first_seen, last_seen, keep_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          );
          try {
            for (const p of record.processes) {
              stmt.run([p.id, p.pid, p.startTime, p.ppid, p.name, p.command, p.user, record.t, record.t, keepUntil]);
              this.nextProcessId = Math.max(this.nextProcessId, p.id + 1);
            }
          } finally {
            stmt.free();
          }
        }
        this.db.run('INSERT OR REPLACE INTO sys_raw(t, v) VALUES (?, ?)', [record.t, record.sys]);
        this.db.run('INSERT OR REPLACE INTO proc_raw(t, v) VALUES (?, ?)', [record.t, record.proc]);
        maintain(this.db, record.t, this.retention, this.cursors);
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /** Records one interval: in memory at once, durable at the next flush(). */
  record(snapshot: Snapshot): void {
    const t = snapshot.t;
    const metrics: [number, string][] = [];
    const sys: SysValue[] = [];
    for (const [name, value] of flattenSystem(snapshot.system)) {
      let id = this.metricIds.get(name);
      if (id === undefined) {
        id = this.nextMetricId++;
        this.metricIds.set(name, id);
        metrics.push([id, name]);
      }
      if (Number.isFinite(value)) sys.push({ id, value });
    }
    const processes: NewProcess[] = [];
    const procs: ProcValue[] = [];
    for (const p of snapshot.processes) {
      let a = this.active.get(p.pid);
      if (!a || a.startTime !== p.startTime) {
        a = { id: this.nextProcessId++, startTime: p.startTime, seenAt: t };
        this.active.set(p.pid, a);
        processes.push({ id: a.id, pid: p.pid, startTime: p.startTime, ppid: p.ppid, name: p.name, command: p.command, user: p.user });
      }
      a.seenAt = t;
      procs.push({ id: a.id, cpu: p.cpu, rssKiB: p.rssBytes / 1024, threads: p.threads });
    }
    // Forget processes that have exited; their rows stay for history.
    for (const [pid, a] of this.active) if (a.seenAt !== t) this.active.delete(pid);

    const record: JournalRecord = {
      kind: 'interval',
      seq: ++this.seq,
      t,
      metrics,
      processes,
      sys: encodeSysRaw(sys),
      proc: encodeProcRaw(procs),
    };
    this.apply(record);
    this.enqueue(encodeRecord(record));
  }

  /** Deletes every sample; durable like any interval (journaled), then checkpointed by the caller. */
  clear(t: Millis): void {
    const record: JournalRecord = { kind: 'clear', seq: ++this.seq, t };
    this.apply(record);
    this.enqueue(encodeRecord(record));
  }

  private enqueue(payload: Uint8Array): void {
    this.dirtySinceCheckpoint = true;
    this.pending.push(payload);
    if (this.pending.length > this.writeQueueLimit) {
      const over = this.pending.length - this.writeQueueLimit;
      this.pending.splice(0, over);
      this.samplesDropped += over;
    }
  }

  get pendingRecords(): number {
    return this.pending.length;
  }

  /** Appends queued records to the journal. On failure they stay queued and the error is thrown. */
  flush(now: Millis): TimedEvent | null {
    if (this.pending.length === 0) return null;
    const started = performance.now();
    this.journal.append(this.pending);
    this.pending = [];
    this.lastFlush = { at: now, durationMs: performance.now() - started };
    return this.lastFlush;
  }

  /**
   * Writes the whole database atomically and empties the journal. The file records the last
   * journal sequence it contains, so a crash between the rename and the truncation replays nothing twice.
   */
  checkpoint(now: Millis): TimedEvent | null {
    if (!this.dirtySinceCheckpoint && existsSync(this.path)) return null;
    const started = performance.now();
    // Anything still queued is in memory and about to be in the file: no need to journal it.
    this.db.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('checkpoint_seq', ?)", [String(this.seq)]);
    // Freed pages go back only here: releasing them every minute made sql.js copy the whole
    // in-memory file twice per minute (truncate, then regrow), O(database size) each time.
    releaseFreePages(this.db);
    const bytes = this.db.export();
    writeFileAtomic(this.path, bytes);
    this.checkpointSeq = this.seq;
    this.pending = [];
    this.journal.truncate();
    this.dirtySinceCheckpoint = false;
    this.lastCheckpoint = { at: now, durationMs: performance.now() - started };
    return this.lastCheckpoint;
  }

  get liveSizeBytes(): number {
    return liveSizeBytes(this.db);
  }

  get fileSizeBytes(): number {
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  get cursorsSnapshot(): Readonly<Cursors> {
    return { ...this.cursors };
  }

  /** Closes without writing (the caller flushes/checkpoints first). */
  close(): void {
    this.journal.close();
    this.db.close();
  }
}
