// The recorder's database: sql.js in memory, made durable by a per-interval journal and periodic
// atomic checkpoints of the whole file. This module is the writer; loading the file (and setting a
// bad one aside) is badFiles.ts, reading the journal is journalReader.ts (records applied by
// replay.ts), the queue of unwritten records is writeQueue.ts, the options storeOptions.ts.
//
//   record(snapshot) → frames + new strings → applied in one transaction → queued for the journal
//   flush()          → queued records appended to `<db>.journal` (cost independent of database size)
//   checkpoint()     → export, write temp file, fsync, rename, fsync dir; journal emptied
//   open()           → load the file (or set a bad one aside), replay journal records it lacks
//
// ~420 lines on purpose: what is left is the one transaction path (record, flush, checkpoint, clear)
// and the state they share; splitting it further would spread one invariant over several files.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { flattenSystem } from '../metrics';
import type { JournalDamage, Millis, ProcessRole, RetentionPolicy, Snapshot, TimedEvent } from '../types';
import { copyFileAtomic, removeStaleTemps, writeFileAtomic } from './atomicFile';
import { loadDatabase } from './badFiles';
import type { FileStamp } from './fileStamp';
import { encodeProcRaw, encodeSysRaw, maxProcRawId, maxSysRawId, type ProcValue, type SysValue } from './frames';
import { encodeExtrasRaw, type ProcExtraRaw } from './procExtras';
import { Journal } from './journal';
import { liveSizeBytes, maintain, readCursors, releaseFreePages, type Cursors } from './maintenance';
import { encodeRecord, type JournalRecord, type NewProcess, type StoredRole } from './records';
import { releaseNow } from './releaseBuffer';
import { JournalReader } from './journalReader';
import type { OpenReport, StoreOptions } from './storeOptions';
import { FRAME_TABLES } from './schema';
import { loadSqlJs, type Database, type SqlJsStatic } from './sqljs';
import { WriteQueue } from './writeQueue';
import { writeEvent } from './events';
import type { AlertEvent } from '../alerts/types';

export { NewerSchemaError, NotVitalsError } from './schema';
export { JournalGapError } from './replay';

const DATABASE_ID = /^[0-9a-f]{32}$/;

export function journalPathFor(dbPath: string): string {
  return `${dbPath}.journal`;
}

interface ActiveProcess {
  id: number;
  startTime: Millis;
  seenAt: Millis;
  /** The role stored for it (roleKey), so a role is journaled when it is learnt or changes only. */
  role?: string;
}

/** A role as it is stored, as one comparable string. */
function roleKey(r: ProcessRole): string {
  return JSON.stringify([r.kind, r.detail, r.extensionId ?? null, r.extensionName ?? null, r.hostPid ?? null]);
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
  private readonly queue: WriteQueue;
  private checkpointSeq: number;
  private dirtySinceCheckpoint = false;
  private readonly reader: JournalReader;
  /** The database's id (meta.database_id): a journal's header names it. */
  readonly databaseId: string | undefined;
  /** The id the file on disk holds (a journal may name only that one); undefined before the first checkpoint with an id. */
  private fileDatabaseId: string | undefined;
  lastFlush: TimedEvent | null = null;
  lastCheckpoint: TimedEvent | null = null;
  /**
   * The last flush and checkpoint as the file says (meta `last_flush_at`, `last_checkpoint_at`,
   * written with each checkpoint), for a file this process has not written to: `vitals health` on
   * the file of a recorder that stopped.
   */
  readonly fileWrites: { lastFlushAt: Millis | null; lastCheckpointAt: Millis | null };
  retention: RetentionPolicy;

  private constructor(
    readonly db: Database,
    readonly path: string,
    private readonly options: StoreOptions,
    readonly openReport: OpenReport,
    fileStamp: FileStamp | undefined,
  ) {
    this.journal = new Journal(journalPathFor(path));
    this.retention = options.retention;
    this.queue = new WriteQueue(options.writeQueueLimit ?? 900);
    this.cursors = readCursors(db);
    this.nextMetricId = this.scalar('SELECT coalesce(max(id), 0) + 1 FROM metric');
    this.nextProcessId = this.scalar('SELECT coalesce(max(id), 0) + 1 FROM process');
    this.checkpointSeq = this.scalar("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'checkpoint_seq'), 0)");
    const metaTime = (key: string): Millis | null => {
      const v = Number(db.exec('SELECT value FROM meta WHERE key = ?', [key])[0]?.values[0]?.[0]);
      return Number.isFinite(v) && v > 0 ? v : null;
    };
    this.fileWrites = { lastFlushAt: metaTime('last_flush_at'), lastCheckpointAt: metaTime('last_checkpoint_at') };
    this.seq = this.checkpointSeq;
    for (const row of db.exec('SELECT id, name FROM metric')[0]?.values ?? []) this.metricIds.set(String(row[1]), Number(row[0]));
    const stored = db.exec("SELECT value FROM meta WHERE key = 'database_id'")[0]?.values[0]?.[0];
    this.fileDatabaseId = typeof stored === 'string' && DATABASE_ID.test(stored) ? stored : undefined;
    if (this.fileDatabaseId === undefined && options.mode !== 'read') {
      // Written to the file with the next checkpoint; journals name it from then on.
      const id = randomBytes(16).toString('hex');
      db.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('database_id', ?)", [id]);
      this.databaseId = id;
    } else this.databaseId = this.fileDatabaseId;
    this.journal.identity = this.fileDatabaseId;
    this.reader = new JournalReader({
      journal: this.journal,
      dbPath: path,
      fileStamp,
      fileDatabaseId: () => this.fileDatabaseId,
      readOnly: options.mode === 'read',
      gapAtStart: options.gapAtStart ?? 'throw',
      position: () => ({ seq: this.seq, heldByFile: this.checkpointSeq }),
      apply: (record) => this.apply(record),
      advanced: (seq, applied) => {
        this.seq = seq;
        this.openReport.replayedRecords += applied;
      },
      log: options.log,
    });
  }

  /**
   * Opens (or creates) the database at `path` and replays its journal. A file that is corrupt,
   * truncated, empty or not a Vitals database is renamed `<name>.corrupt-<timestamp>` (never
   * deleted) and a fresh database is started. A file from a newer schema throws NewerSchemaError
   * and is left as it is.
   */
  static async open(options: StoreOptions): Promise<Store> {
    return Store.openWith(await loadSqlJs(), options);
  }

  /** The same as open() once sql.js is loaded: synchronous, so a viewer can reload inside a query. */
  static openWith(SQL: SqlJsStatic, options: StoreOptions): Store {
    const readOnly = options.mode === 'read';
    if (readOnly && !options.allowMissing && !existsSync(options.path)) throw new Error(`No such database: ${options.path}`);
    if (!readOnly) {
      // Private whatever the umask: the history holds every command line run on the machine.
      mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
      // A checkpoint cut short by a crash leaves its temp file; the database itself is the previous one.
      for (const tmp of removeStaleTemps(options.path)) options.log?.('info', `Removed ${tmp}, left by a checkpoint a crash interrupted.`);
    }
    const loaded = loadDatabase(SQL, {
      path: options.path,
      journalPath: journalPathFor(options.path),
      readOnly,
      foreign: options.foreign ?? 'set-aside',
      badFile: options.badFile ?? 'set-aside',
      now: options.now ?? Date.now,
      log: options.log,
      onSetAside: options.onSetAside,
    });
    const report: OpenReport = { replayedRecords: 0, droppedJournalBytes: 0, ...(loaded.setAside ? { setAside: loaded.setAside } : {}) };
    const store = new Store(loaded.db, options.path, options, report, loaded.stamp);
    try {
      if (options.journal !== 'ignore') store.replayJournal(readOnly);
    } catch (e) {
      store.close();
      throw e;
    }
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
    const contents = this.reader.readAtOpen();
    this.openReport.droppedJournalBytes = readOnly ? 0 : contents.droppedBytes;
    if (contents.droppedBytes > 0 && !readOnly)
      this.options.log?.('warn', `Dropped ${contents.droppedBytes} bytes of a torn journal tail (a write cut short by a crash).`);
    if (this.openReport.replayedRecords > 0) this.dirtySinceCheckpoint = true;
    // Processes recorded before may still be running: pick them up so each keeps its id (a second
    // row for the same pid and start time would be refused, and its samples orphaned).
    if (!readOnly)
      for (const row of this.db.exec('SELECT id, pid, start_time, last_seen FROM process ORDER BY last_seen DESC LIMIT 5000')[0]?.values ??
        [])
        if (!this.active.has(Number(row[1])))
          this.active.set(Number(row[1]), { id: Number(row[0]), startTime: Number(row[2]), seenAt: Number(row[3]) });
    if (this.reader.damage && !readOnly) this.setJournalAside(this.reader.damage);
  }

  /** What of the journal could not be replayed, if anything (the health report shows it). */
  get journalDamage(): JournalDamage | undefined {
    return this.reader.damage;
  }

  /**
   * A journal that could not be fully replayed is kept as `<journal>.corrupt-<time>` and a checkpoint
   * starts a fresh one, so nothing new is appended after records no replay can get past.
   */
  private setJournalAside(damage: JournalDamage): void {
    this.reader.keepBeforeEmptying(damage);
    // Until that checkpoint works, nothing may be appended: the next write is a checkpoint.
    this.queue.gap = true;
    this.dirtySinceCheckpoint = true;
    const now = (this.options.now ?? Date.now)();
    try {
      this.checkpoint(now);
    } catch (e) {
      this.options.log?.('warn', `The damaged journal stays in place until a checkpoint works: ${String(e)}`);
    }
    this.options.onJournalSetAside?.(damage);
  }

  /**
   * Read mode: brings this copy up to what the recorder has flushed since. 'reload' means the file
   * was replaced (a checkpoint or a restore) or the journal was emptied: open the store again.
   */
  catchUp(): { state: 'current' | 'updated' | 'reload'; applied: number } {
    if (this.options.mode !== 'read') return { state: 'current', applied: 0 };
    return this.reader.catchUp();
  }

  /** Applies one record in one transaction: strings, frames, then a bounded step of upkeep. */
  private apply(record: JournalRecord): void {
    this.db.exec('BEGIN');
    try {
      if (record.kind === 'alert') {
        writeEvent(this.db, record.event);
      } else if (record.kind === 'roles') {
        const stmt = this.db.prepare(
          'UPDATE process SET role_kind = ?, role_detail = ?, extension_id = ?, extension_name = ?, host_pid = ? WHERE id = ?',
        );
        try {
          for (const r of record.roles) stmt.run([r.kind, r.detail, r.extensionId, r.extensionName, r.hostPid, r.id]);
        } finally {
          stmt.free();
        }
      } else if (record.kind === 'clear') {
        for (const t of FRAME_TABLES) this.db.exec(`DELETE FROM ${t}`);
        this.db.exec("DELETE FROM process; DELETE FROM event; DELETE FROM meta WHERE key IN ('rollup_minute', 'rollup_hour')");
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
        // An empty frame is an interval whose processes were not sampled (a sample always holds one: us).
        if (record.proc.byteLength > 0)
          this.db.run('INSERT OR REPLACE INTO proc_raw(t, v, x) VALUES (?, ?, ?)', [record.t, record.proc, record.x]);
        this.passIdsIn(record.sys, record.proc);
        maintain(this.db, record.t, this.retention, this.cursors);
      }
      this.db.exec('COMMIT');
    } catch (e) {
      this.db.exec('ROLLBACK');
      throw e;
    }
    // Deleted rows leave their bytes in free space (command lines, user names) and would go on
    // into the file at the next checkpoint: rebuilt, the file holds only what is left. Cheap here,
    // since hardly anything is left.
    if (record.kind === 'clear') this.db.exec('VACUUM');
  }

  /**
   * New ids go past every id a frame uses, not only past the rows defined: after a record that could
   * not be replayed, later frames may use ids it defined, which must not be given to new processes.
   */
  private passIdsIn(sys: Uint8Array, proc: Uint8Array): void {
    this.nextMetricId = Math.max(this.nextMetricId, maxSysRawId(sys) + 1);
    this.nextProcessId = Math.max(this.nextProcessId, maxProcRawId(proc) + 1);
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
    const procs: { v: ProcValue; x: ProcExtraRaw }[] = [];
    const roles: StoredRole[] = [];
    // A list sampled at an earlier tick (the cost governor samples processes less often) was
    // recorded then: this interval has no process frame, and the rollups average over the frames.
    const sampledNow = snapshot.processesAt === undefined || snapshot.processesAt === t;
    for (const p of sampledNow ? snapshot.processes : []) {
      let a = this.active.get(p.pid);
      if (!a || a.startTime !== p.startTime) {
        a = { id: this.nextProcessId++, startTime: p.startTime, seenAt: t };
        this.active.set(p.pid, a);
        processes.push({ id: a.id, pid: p.pid, startTime: p.startTime, ppid: p.ppid, name: p.name, command: p.command, user: p.user });
      }
      a.seenAt = t;
      // A role learnt later (a window told the recorder about itself) is stored then; one that goes
      // away (the window closed) stays as it was: the history keeps what the process was.
      if (p.role) {
        const key = roleKey(p.role);
        if (a.role !== key) {
          a.role = key;
          roles.push({
            id: a.id,
            kind: p.role.kind,
            detail: p.role.detail,
            extensionId: p.role.extensionId ?? null,
            extensionName: p.role.extensionName ?? null,
            hostPid: p.role.hostPid ?? null,
          });
        }
      }
      procs.push({
        v: { id: a.id, cpu: p.cpu, rssKiB: p.rssBytes / 1024, threads: p.threads },
        x: {
          state: p.state.charCodeAt(0) || 0,
          readBytes: p.readBytes ?? NaN,
          writeBytes: p.writeBytes ?? NaN,
          childCpu: p.childrenCpu ?? NaN,
        },
      });
    }
    // Forget processes that have exited; their rows stay for history.
    if (sampledNow) for (const [pid, a] of this.active) if (a.seenAt !== t) this.active.delete(pid);
    // Sorted by id here, so entry i of x stays entry i of v (encodeProcRaw keeps a sorted order).
    procs.sort((a, b) => a.v.id - b.v.id);

    const record: JournalRecord = {
      kind: 'interval',
      seq: ++this.seq,
      t,
      metrics,
      processes,
      sys: encodeSysRaw(sys),
      proc: encodeProcRaw(procs.map((p) => p.v)),
      x: encodeExtrasRaw(procs.map((p) => p.x)),
    };
    this.apply(record);
    this.enqueue(encodeRecord(record));
    if (roles.length > 0) {
      const rolesRecord: JournalRecord = { kind: 'roles', seq: ++this.seq, t, roles };
      this.apply(rolesRecord);
      this.enqueue(encodeRecord(rolesRecord));
    }
  }

  /**
   * Stores an alert as it starts or ends (the same row, rewritten): durable at the next flush like
   * an interval, so a crash loses neither.
   */
  recordAlert(event: AlertEvent, t: Millis): void {
    const record: JournalRecord = { kind: 'alert', seq: ++this.seq, t, event };
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
    this.queue.push(payload);
  }

  get pendingRecords(): number {
    return this.queue.length;
  }

  /** Records dropped from a full write queue (they reach the file with the next checkpoint). */
  get samplesDropped(): number {
    return this.queue.dropped;
  }

  get writeQueueLimit(): number {
    return this.queue.limit;
  }

  set writeQueueLimit(limit: number) {
    this.queue.limit = limit;
  }

  /**
   * Appends queued records to the journal (or, after the queue overflowed, writes a checkpoint). On
   * failure they stay queued and the error is thrown.
   */
  flush(now: Millis): TimedEvent | null {
    if (this.queue.length === 0) return null;
    const started = performance.now();
    if (this.queue.gap) {
      this.checkpoint(now);
      this.lastFlush = { at: now, durationMs: performance.now() - started };
      return this.lastFlush;
    }
    this.journal.append(this.queue.records);
    this.queue.written();
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
    // What `vitals health` says of this file once its recorder stopped.
    this.db.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_checkpoint_at', ?)", [String(now)]);
    if (this.lastFlush) this.db.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('last_flush_at', ?)", [String(this.lastFlush.at)]);
    // Freed pages go back only here: releasing them every minute made sql.js copy the whole
    // in-memory file twice per minute (truncate, then regrow), O(database size) each time.
    releaseFreePages(this.db);
    // Before the journal is emptied: a damaged one is kept, never deleted.
    this.reader.keepDamaged(now);
    this.exportTo(this.path);
    this.checkpointSeq = this.seq;
    this.queue.written();
    // The file holds the id now: the fresh journal names it.
    this.fileDatabaseId = this.databaseId;
    this.journal.identity = this.databaseId;
    this.journal.truncate();
    this.dirtySinceCheckpoint = false;
    this.lastCheckpoint = { at: now, durationMs: performance.now() - started };
    return this.lastCheckpoint;
  }

  /** Writes the whole database atomically to `path`, and frees the in-memory copy that took. */
  private exportTo(path: string): void {
    const bytes = this.db.export();
    try {
      writeFileAtomic(path, bytes);
    } finally {
      releaseNow(bytes);
    }
  }

  /** A consistent copy of everything recorded so far: checkpoint, then copy the file just written. */
  backupTo(path: string, now: Millis): void {
    if (this.options.mode === 'read') {
      // This copy holds the journal too: a restore of it must not replay those records again.
      this.db.run("INSERT OR REPLACE INTO meta(key, value) VALUES ('checkpoint_seq', ?)", [String(this.seq)]);
      this.exportTo(path);
      return;
    }
    this.checkpoint(now);
    copyFileAtomic(this.path, path);
  }

  get mode(): 'record' | 'read' {
    return this.options.mode ?? 'record';
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
