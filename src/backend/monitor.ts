// The backend in one object: a scheduler that samples every interval, publishes the snapshot,
// records it, flushes the journal and checkpoints the file on their own intervals, and answers
// queries. The worker, the CLI and the tests all drive this same class.
//
// Every window runs one, all on the same database; one of them records (it holds `<db>.lock`, see
// storage/lock.ts), the others view: they do not sample, they show the recorder's snapshots from its
// live feed (viewer/feed.ts) and answer history queries from the file plus the journal, read-only.
// A viewer checks the lock every second and takes over when the recorder is gone.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BackendService, BackendSink, ExportProgress } from './service';
import type { MonitorConfig } from './config';
import type { BackendStatus, BackupInfo, Params, Result } from './protocol';
import { exportHistory } from './queries/export';
import { history, summary } from './queries/history';
import { processHistory, searchProcesses, topProcesses } from './queries/processes';
import { createSamplers, readStaticInfo, type Samplers } from './sampling';
import { healthReport } from './queries/health';
import { backupFile, backupPathFor, dailyBackupDue, listBackups, pruneBackups, replaceDatabase, validateBackup } from './storage/backup';
import { RecorderLock, type LockOwner } from './storage/lock';
import { loadSqlJs, type SqlJsStatic } from './storage/sqljs';
import { journalPathFor, JournalGapError, NewerSchemaError, Store, type StoreOptions } from './storage/store';
import { FEED_VERSION, FeedClient, feedPathFor, FeedServer, removeStaleFeeds, type ForwardedMethod } from './viewer/feed';
import {
  systemClock,
  type Clock,
  type ExportRequest,
  type ExportResult,
  type HealthReport,
  type HistoryQuery,
  type HistoryResult,
  type Millis,
  type ProcessHistoryQuery,
  type ProcessHistoryResult,
  type ProcessInfo,
  type Snapshot,
  type StaticInfo,
  type SummaryResult,
  type TopProcessesQuery,
  type TopProcessRow,
} from './types';
import { errorText, errorDetail, NotReadyError } from '../shared/errors';

export interface MonitorOptions {
  dbPath: string;
  config: MonitorConfig;
  sink: BackendSink;
  clock?: Clock;
  samplers?: Samplers;
  info?: StaticInfo;
  /** Start the sampling timer (tests drive `tick()` themselves). Default true. */
  autoStart?: boolean;
  /** A valid SQLite file of another application: set it aside (extension) or refuse (CLI). */
  foreign?: 'set-aside' | 'refuse';
  /** Someone else records into the database: follow it as a viewer (default) or throw RecorderBusyError. */
  whenLocked?: 'view' | 'refuse';
  /** How often the recorder renews its lock and a viewer looks for a stale one. Default 1 s. */
  lockPollMs?: number;
  /** Monotonic milliseconds for lock staleness (tests). */
  monotonic?: () => number;
}

/** Retry a failed journal write after this long, doubling up to the maximum. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;
const LOCK_POLL_MS = 1_000;

/** A lock unchanged for this long is stale: a few intervals, and never less than 10 s. */
export function staleAfterMs(sampleIntervalMs: number): number {
  return Math.max(3 * sampleIntervalMs, 10_000);
}

export class RecorderBusyError extends Error {
  constructor(
    readonly dbPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      `${dbPath} is being recorded by another process${owner ? ` (pid ${owner.pid} on ${owner.host})` : ''}. ` +
        'Stop that one first, or wait for it with --wait.',
    );
    this.name = 'RecorderBusyError';
  }
}


export class Monitor implements BackendService {
  private timer: NodeJS.Timeout | undefined;
  private lockTimer: NodeJS.Timeout | undefined;
  private running = false;
  private ticking = false;
  private closed = false;
  /** A role change in progress (it awaits the feed): the lock timer waits for it. */
  private changingRole = false;
  private role: 'recorder' | 'viewer' | 'stopped' = 'stopped';
  private lastT = 0;
  private lastFlushAttempt = 0;
  private lastCheckpointAt: Millis;
  private retryAt = 0;
  private retryDelay = RETRY_MIN_MS;
  private readonly startedAt: Millis;
  private busyMs = 0;
  private readonly problems = new Set<string>();
  private feedServer: FeedServer | undefined;
  private feedClient: FeedClient | undefined;
  private connecting = false;
  private readonly lock: RecorderLock;
  latest: Snapshot | undefined;

  private constructor(
    private config: MonitorConfig,
    readonly info: StaticInfo,
    private readonly samplers: Samplers,
    private readonly SQL: SqlJsStatic,
    private readonly options: MonitorOptions,
    private readonly sink: BackendSink,
    private readonly clock: Clock,
    readonly dbPath: string,
    private store: Store | undefined = undefined,
    private refusal: string | undefined = undefined,
  ) {
    this.startedAt = clock.now();
    this.lastCheckpointAt = this.startedAt;
    this.lock = new RecorderLock({
      dbPath,
      staleMs: staleAfterMs(config.sampleIntervalMs),
      now: () => clock.now(),
      monotonic: options.monotonic,
    });
  }

  static async open(options: MonitorOptions): Promise<Monitor> {
    const clock = options.clock ?? systemClock;
    const samplers = options.samplers ?? createSamplers({ commandLine: options.config.commandLine });
    const info = options.info ?? (await readStaticInfo());
    const SQL = await loadSqlJs();
    const monitor = new Monitor(options.config, info, samplers, SQL, options, options.sink, clock, options.dbPath);
    let acquired: boolean;
    try {
      mkdirSync(dirname(options.dbPath), { recursive: true, mode: 0o700 });
      acquired = monitor.lock.tryAcquire();
    } catch (e) {
      // The folder refuses even the lock file (read-only disk, permissions): record into memory
      // and write nothing until the lock can be taken.
      options.sink.log('warn', `Could not take the recording lock ${monitor.lock.path}: ${errorText(e)}`);
      acquired = true;
    }
    if (!acquired && options.whenLocked === 'refuse') throw new RecorderBusyError(options.dbPath, monitor.lock.owner());
    try {
      if (acquired) await monitor.becomeRecorder();
      else monitor.becomeViewer();
    } catch (e) {
      monitor.lock.release();
      throw e;
    }
    monitor.lockTimer = setInterval(() => void monitor.onLockTimer(), options.lockPollMs ?? LOCK_POLL_MS);
    monitor.lockTimer.unref?.();
    if (options.autoStart ?? true) monitor.start();
    return monitor;
  }

  private storeOptions(): StoreOptions {
    return {
      path: this.dbPath,
      retention: this.config.retention,
      writeQueueLimit: this.config.writeQueueLimit,
      now: () => this.clock.now(),
      foreign: this.options.foreign ?? 'set-aside',
      log: (level, message) => this.sink.log(level, message),
      onSetAside: (_original, aside, reason) =>
        this.sink.problem(
          'database-set-aside',
          `The history database could not be read (${reason}). It was kept as ${aside} and a new one was started.`,
          'warning',
        ),
    };
  }

  /** Opens the database for writing and starts serving the live feed. The lock is ours (or could not be made). */
  private async becomeRecorder(): Promise<void> {
    try {
      this.store = Store.openWith(this.SQL, this.storeOptions());
    } catch (e) {
      if (!(e instanceof NewerSchemaError)) throw e;
      // Nobody can record into it: let go, so no window waits for this one.
      this.lock.release();
      this.role = 'stopped';
      this.refusal = e.message;
      this.sink.problem('newer-schema', e.message, 'error');
      return;
    }
    this.role = 'recorder';
    this.refusal = undefined;
    if (this.store.openReport.replayedRecords > 0) this.sink.log('info', `Replayed ${this.store.openReport.replayedRecords} intervals from the journal.`);
    this.lastCheckpointAt = this.clock.now();
    this.retryAt = 0;
    this.retryDelay = RETRY_MIN_MS;
    const feedPath = feedPathFor(this.dbPath, this.lock.token);
    try {
      removeStaleFeeds(this.dbPath, feedPath);
      this.feedServer = await FeedServer.listen(feedPath, {
        request: (method, params) => this.serveForwarded(method, params),
        log: (level, message) => this.sink.log(level, message),
      });
      this.lock.setFeed({ path: feedPath, version: FEED_VERSION });
    } catch (e) {
      this.sink.log('warn', `Other windows will not see live data: the live feed ${feedPath} could not be served (${errorText(e)}).`);
    }
    this.maybeDailyBackup(this.clock.now());
    if (this.running) this.schedule();
  }

  private becomeViewer(): void {
    this.role = 'viewer';
    this.refusal = undefined;
    const owner = this.lock.owner();
    this.sink.log('info', `Viewing ${this.dbPath}, recorded by ${owner ? `pid ${owner.pid} on ${owner.host}` : 'another process'}.`);
    void this.connectFeed();
  }

  /** Viewer → recorder, when the recorder is gone. */
  private async promote(): Promise<void> {
    this.feedClient?.close();
    this.feedClient = undefined;
    this.store?.close();
    this.store = undefined;
    await this.becomeRecorder();
    if (this.role === 'recorder') this.sink.log('info', 'The window that recorded is gone: this one records now.');
    this.sink.status(this.status());
  }

  /** Recorder → viewer, when another process holds the lock now. Writes nothing more. */
  private async demote(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.store?.close();
    this.store = undefined;
    const server = this.feedServer;
    this.feedServer = undefined;
    await server?.close();
    this.sink.log('warn', 'Another process took over recording (this one had stopped renewing its lock); this window views now.');
    this.becomeViewer();
    this.sink.status(this.status());
  }

  private async onLockTimer(): Promise<void> {
    if (this.closed || this.changingRole) return;
    this.changingRole = true;
    try {
      if (this.role === 'recorder') {
        if (this.lock.held) {
          if (!this.lock.refresh()) await this.demote();
        } else if (this.lockState() === 'theirs') await this.demote();
      } else if (this.role === 'viewer') {
        let acquired = false;
        try {
          acquired = this.lock.tryAcquire();
        } catch (e) {
          this.sink.log('debug', `Lock check failed: ${errorText(e)}`);
        }
        if (acquired) await this.promote();
        else if (!this.feedClient) await this.connectFeed();
      }
    } catch (e) {
      this.sink.log('error', `Changing the recorder role failed: ${errorText(e)}`);
    } finally {
      this.changingRole = false;
    }
  }

  /**
   * Before a write: 'ours' when this process may write, 'theirs' when another one holds the lock
   * now, or the error that keeps the lock from being taken (the lock could not be made at start,
   * e.g. on a read-only disk: it is taken before the first write).
   */
  private lockState(): 'ours' | 'theirs' | Error {
    if (this.lock.held) return this.lock.verify() ? 'ours' : 'theirs';
    try {
      return this.lock.tryAcquire() ? 'ours' : 'theirs';
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  }

  private async connectFeed(): Promise<void> {
    if (this.connecting || this.feedClient || this.closed || this.role !== 'viewer') return;
    const feed = this.lock.owner()?.feed;
    if (!feed || feed.version !== FEED_VERSION) return;
    this.connecting = true;
    try {
      const client = await FeedClient.connect(feed.path, {
        snapshot: (s) => {
          if (this.role !== 'viewer' || this.closed) return;
          this.latest = s;
          this.sink.snapshot(s);
        },
        status: () => undefined,
        closed: () => {
          if (this.feedClient === client) this.feedClient = undefined;
        },
      });
      if (this.closed || this.role !== 'viewer') client.close();
      else this.feedClient = client;
    } catch (e) {
      this.sink.log('debug', `Live feed ${feed.path} not reachable yet: ${errorText(e)}`);
    } finally {
      this.connecting = false;
    }
  }

  private async serveForwarded<M extends ForwardedMethod>(method: M, params: Params<M>): Promise<Result<M>> {
    if (this.role !== 'recorder') throw new Error('This process no longer records.');
    switch (method) {
      case 'clearHistory':
        return (await this.clearHistory()) as Result<M>;
      case 'backupNow':
        return (await this.backupNow()) as Result<M>;
      case 'restore':
        return (await this.restore((params as Params<'restore'>).from)) as Result<M>;
      case 'status':
        return this.status() as Result<M>;
      case 'health':
        return this.health() as Result<M>;
    }
    throw new Error(`unknown method ${String(method)}`);
  }

  start(): void {
    this.running = true;
    if (this.closed || this.timer || this.role !== 'recorder') return;
    // A first sample right away: the views fill at once instead of up to one interval later.
    if (this.lastT === 0) void this.tick();
    this.schedule();
  }

  private schedule(): void {
    const interval = this.config.sampleIntervalMs;
    const now = this.clock.now();
    // Aligned to the interval so samples from every run fall on the same grid.
    const delay = Math.max(10, Math.ceil((now + 1) / interval) * interval - now);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick().finally(() => {
        if (!this.closed && this.role === 'recorder' && !this.timer) this.schedule();
      });
    }, delay);
    this.timer.unref?.();
  }

  /** One interval: sample, publish, record, and flush/checkpoint when due. */
  async tick(): Promise<Snapshot | undefined> {
    if (this.ticking || this.closed || this.role !== 'recorder') return undefined;
    this.ticking = true;
    const started = performance.now();
    try {
      let t = this.clock.now();
      if (t <= this.lastT) t = this.lastT + 1;
      this.lastT = t;
      const [system, processes] = await Promise.all([this.samplers.system.sample(t), this.samplers.processes.sample(t)]);
      const snapshot: Snapshot = { t, system, processes };
      // The role may have changed while the samplers ran.
      if (this.role !== 'recorder' || this.closed) return undefined;
      this.latest = snapshot;
      if (this.recording && this.store) {
        this.store.record(snapshot);
        this.flushIfDue(t);
        if (t - this.lastCheckpointAt >= this.config.checkpointIntervalMs) this.checkpoint(t);
      }
      this.sink.snapshot(snapshot);
      this.feedServer?.broadcast({ kind: 'event', event: 'snapshot', snapshot });
      return snapshot;
    } catch (e) {
      this.sink.log('error', `Sampling failed: ${errorDetail(e)}`);
      return undefined;
    } finally {
      this.busyMs += performance.now() - started;
      this.ticking = false;
    }
  }

  private get recording(): boolean {
    return this.config.recording && this.role === 'recorder' && this.store?.mode === 'record';
  }

  /** Whether this process still may write; steps down when another one holds the lock now. */
  private mayWrite(now: Millis): boolean {
    const state = this.lockState();
    if (state === 'ours') return true;
    if (state === 'theirs') {
      if (!this.changingRole) {
        this.changingRole = true;
        void this.demote().finally(() => (this.changingRole = false));
      }
    } else this.writeFailed(now, state);
    return false;
  }

  private flushIfDue(now: Millis): void {
    const store = this.store;
    if (!store || store.pendingRecords === 0) return;
    if (now < this.retryAt) return;
    if (now - this.lastFlushAttempt < this.config.flushIntervalMs - this.config.sampleIntervalMs / 2 && this.retryAt === 0) return;
    this.lastFlushAttempt = now;
    if (!this.mayWrite(now)) return;
    try {
      store.flush(now);
      this.writeWorks();
    } catch (e) {
      this.writeFailed(now, e);
    }
  }

  private writeWorks(): void {
    if (this.retryAt !== 0 || this.problems.has('write-failed')) {
      this.sink.log('info', 'Writing to the history database works again.');
      this.clearProblem('write-failed');
    }
    this.retryAt = 0;
    this.retryDelay = RETRY_MIN_MS;
  }

  private writeFailed(now: Millis, e: unknown): void {
    const message = errorText(e);
    this.retryAt = now + this.retryDelay;
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    this.sink.log('warn', `Could not write history (${message}); retrying in ${Math.round((this.retryAt - now) / 1000)} s.`);
    this.reportProblem(
      'write-failed',
      `Vitals cannot write its history database (${message}). Samples are kept in memory and writing is retried.`,
    );
  }

  private reportProblem(key: string, message: string): void {
    if (this.problems.has(key)) return;
    this.problems.add(key);
    this.sink.problem(key, message, 'warning');
  }

  private clearProblem(key: string): void {
    this.problems.delete(key);
  }

  private checkpoint(now: Millis): void {
    const store = this.store;
    if (!store) return;
    this.lastCheckpointAt = now;
    if (!this.mayWrite(now)) return;
    try {
      const done = store.checkpoint(now);
      if (done) this.sink.log('debug', `Checkpoint written in ${done.durationMs.toFixed(1)} ms (${store.fileSizeBytes} bytes).`);
      if (this.problems.has('checkpoint-failed')) this.sink.log('info', 'Rewriting the history database works again.');
      this.clearProblem('checkpoint-failed');
    } catch (e) {
      // The previous file is intact and the journal still grows: retried at the next checkpoint time.
      this.sink.log('warn', `Could not rewrite the history database (${errorText(e)}); the journal keeps every interval meanwhile.`);
      this.reportProblem(
        'checkpoint-failed',
        `Vitals cannot rewrite its history database (${errorText(e)}). The previous file is intact, new samples still reach the journal, and the rewrite is retried.`,
      );
      return;
    }
    this.maybeDailyBackup(now);
  }

  /** A copy of the checkpointed file into backups/ once a day, keeping the newest `backupsKept`. */
  private maybeDailyBackup(now: Millis): void {
    const keep = this.config.backupsKept;
    if (keep <= 0 || this.role !== 'recorder' || !existsSync(this.dbPath)) return;
    try {
      if (!dailyBackupDue(this.dbPath, now)) return;
      const b = backupFile(this.dbPath, now);
      const removed = pruneBackups(this.dbPath, keep);
      this.sink.log('info', `Daily backup ${b.path} (${b.sizeBytes} bytes)${removed.length ? `; removed ${removed.length} older` : ''}.`);
      this.clearProblem('backup-failed');
    } catch (e) {
      this.sink.log('warn', `The daily backup failed: ${errorText(e)}`);
      this.reportProblem('backup-failed', `Vitals could not back up its history database (${errorText(e)}). It tries again at the next checkpoint.`);
    }
  }

  status(): BackendStatus {
    if (this.role === 'viewer') {
      const owner = this.lock.owner();
      return {
        role: 'viewer',
        recording: false,
        databasePath: this.dbPath,
        recorder: owner ? { pid: owner.pid, host: owner.host } : undefined,
        // Every flush appends to the journal: its modification time is the recorder's last flush.
        lastFlushAt: mtimeOf(journalPathFor(this.dbPath)),
        databaseSizeBytes: sizeOf(this.dbPath),
      };
    }
    return {
      role: this.role,
      recording: this.recording,
      databasePath: this.dbPath,
      lastFlushAt: this.store?.lastFlush?.at ?? null,
      databaseSizeBytes: this.store?.fileSizeBytes ?? 0,
      problem: this.refusal,
    };
  }

  updateConfig(config: MonitorConfig): BackendStatus {
    const old = this.config;
    this.config = config;
    this.lock.staleMs = staleAfterMs(config.sampleIntervalMs);
    if (config.commandLine !== old.commandLine) this.samplers.processes.setCommandLineMode(config.commandLine);
    if (this.store && this.store.mode === 'record') {
      this.store.retention = config.retention;
      this.store.writeQueueLimit = config.writeQueueLimit;
    }
    if (config.sampleIntervalMs !== old.sampleIntervalMs && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.schedule();
    }
    const status = this.status();
    this.sink.status(status);
    return status;
  }

  setRecording(enabled: boolean): BackendStatus {
    return this.updateConfig({ ...this.config, recording: enabled });
  }

  /**
   * The store queries read. A viewer opens the file read-only on first use and then follows the
   * recorder's journal; when the recorder replaced the file (checkpoint, restore) it opens it again.
   */
  private requireStore(): Store {
    if (this.role !== 'viewer') {
      if (!this.store) throw new Error(this.refusal ?? 'The history database is not open.');
      return this.store;
    }
    if (this.store && this.store.catchUp().state !== 'reload') return this.store;
    this.store?.close();
    this.store = undefined;
    this.store = this.openForViewing();
    return this.store;
  }

  private openForViewing(): Store {
    for (let attempt = 0; ; attempt++) {
      try {
        return Store.openWith(this.SQL, { ...this.storeOptions(), mode: 'read', allowMissing: true });
      } catch (e) {
        // The recorder checkpointed between reading the file and its journal: read both again.
        if (e instanceof JournalGapError && attempt < 5) continue;
        if (e instanceof NewerSchemaError) throw e;
        throw new NotReadyError(`The history cannot be read right now (${errorText(e)}); try again in a moment.`);
      }
    }
  }

  history(q: HistoryQuery): HistoryResult {
    return history(this.requireStore(), q, this.config.sampleIntervalMs);
  }

  processHistory(q: ProcessHistoryQuery): ProcessHistoryResult {
    return processHistory(this.requireStore(), q, this.config.sampleIntervalMs);
  }

  topProcesses(q: TopProcessesQuery): TopProcessRow[] {
    return topProcesses(this.requireStore(), q, this.config.sampleIntervalMs);
  }

  searchProcesses(text: string, limit: number): ProcessInfo[] {
    return searchProcesses(this.requireStore(), text, limit);
  }

  summary(from: Millis, to: Millis, metrics: string[]): SummaryResult {
    return summary(this.requireStore(), from, to, metrics, this.config.sampleIntervalMs);
  }

  health(): HealthReport {
    const elapsed = Math.max(1, this.clock.now() - this.startedAt);
    let store: Store | undefined;
    try {
      store = this.role === 'stopped' ? undefined : this.requireStore();
    } catch {
      store = undefined;
    }
    return healthReport(store, this.dbPath, this.config, {
      role: this.role,
      recording: this.recording,
      cpuPercent: (this.busyMs / elapsed) * 100,
    });
  }

  /**
   * Storage health as the window shows it. In a viewer it is the recorder's report (its flushes,
   * checkpoints, drops and cost are what Storage Health is about), asked over the feed; the viewer's
   * own view of the file when the recorder cannot be reached.
   */
  async healthForWindow(): Promise<HealthReport> {
    if (this.role === 'viewer' && this.feedClient) {
      try {
        return { ...(await this.feedClient.request('health', {})), role: 'viewer' };
      } catch (e) {
        this.sink.log('debug', `The recorder's health report was not available: ${errorText(e)}`);
      }
    }
    return this.health();
  }

  /** The export checks its target and cleans up after itself (queries/export.ts). */
  async exportHistory(req: ExportRequest, signal?: AbortSignal, progress?: ExportProgress): Promise<ExportResult> {
    return exportHistory(this.requireStore(), req, this.config.sampleIntervalMs, signal, progress);
  }

  /** What a viewer cannot do itself goes to the recorder over its feed. */
  private forward<M extends ForwardedMethod>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.feedClient) {
      const owner = this.lock.owner();
      return Promise.reject(
        new Error(`The window that records (${owner ? `pid ${owner.pid} on ${owner.host}` : 'another process'}) cannot be reached right now; try again in a moment.`),
      );
    }
    return this.feedClient.request(method, params);
  }

  private recorderStore(): Store {
    if (this.role !== 'recorder' || !this.store) throw new Error(this.refusal ?? 'The history database is not open.');
    const state = this.lockState();
    if (state === 'theirs') throw new Error('Another process records into this database now.');
    if (state !== 'ours') throw state;
    return this.store;
  }

  async clearHistory(): Promise<BackendStatus> {
    if (this.role === 'viewer') {
      await this.forward('clearHistory', {});
      return this.status();
    }
    const store = this.recorderStore();
    const now = this.clock.now();
    store.clear(now);
    store.checkpoint(now);
    this.lastCheckpointAt = now;
    const status = this.status();
    this.sink.status(status);
    return status;
  }

  /** A consistent copy of everything recorded: checkpoint, then copy the file into backups/. */
  async backupNow(): Promise<BackupInfo> {
    if (this.role === 'viewer') return this.forward('backupNow', {});
    const store = this.recorderStore();
    const now = this.clock.now();
    store.checkpoint(now);
    this.lastCheckpointAt = now;
    const b = backupFile(this.dbPath, now, backupPathFor(this.dbPath, now));
    this.sink.log('info', `Backed up the history to ${b.path} (${b.sizeBytes} bytes).`);
    return b;
  }

  listBackups(): Promise<BackupInfo[]> {
    return Promise.resolve(listBackups(this.dbPath));
  }

  /**
   * Replaces the history with a backup, validated first (opens, integrity check, schema). The
   * current file is kept as `<name>.before-restore-<stamp>`; recording goes on into the restored one.
   */
  async restore(from: string): Promise<BackendStatus> {
    const bytes = validateBackup(this.SQL, from);
    if (this.role === 'viewer') {
      await this.forward('restore', { from });
      return this.status();
    }
    const store = this.recorderStore();
    const now = this.clock.now();
    // Everything recorded so far goes into the file that is kept aside.
    store.checkpoint(now);
    store.close();
    this.store = undefined;
    let keptAs: string | undefined;
    try {
      ({ keptAs } = replaceDatabase(this.dbPath, journalPathFor(this.dbPath), bytes, now));
    } finally {
      this.store = Store.openWith(this.SQL, this.storeOptions());
      this.lastCheckpointAt = now;
    }
    this.sink.log('info', `Restored the history from ${from}${keptAs ? `; the previous database is kept as ${keptAs}` : ''}.`);
    const status = this.status();
    this.sink.status(status);
    return status;
  }

  /** Stops sampling, writes the last interval and checkpoints. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.lockTimer) clearInterval(this.lockTimer);
    this.lockTimer = undefined;
    // Let a tick or a role change in progress finish before the final write.
    while (this.ticking || this.changingRole) await new Promise((r) => setTimeout(r, 5));
    const store = this.store;
    if (store && this.role === 'recorder' && this.lockState() === 'ours') {
      const now = this.clock.now();
      try {
        store.flush(now);
      } catch (e) {
        this.sink.log('warn', `Final journal write failed: ${String(e)}`);
      }
      try {
        store.checkpoint(now);
        this.maybeDailyBackup(now);
      } catch (e) {
        this.sink.log('error', `Final checkpoint failed; the journal keeps what it could: ${String(e)}`);
      }
    }
    store?.close();
    this.store = undefined;
    this.feedClient?.close();
    this.feedClient = undefined;
    await this.feedServer?.close();
    this.feedServer = undefined;
    // Last: a viewer that takes over now finds a complete file.
    this.lock.release();
    this.samplers.system.dispose();
    this.samplers.processes.dispose();
  }
}

function mtimeOf(path: string): Millis | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
