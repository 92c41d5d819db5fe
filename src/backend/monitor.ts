// The backend in one object: a scheduler that samples every interval, publishes the snapshot,
// records it, flushes the journal and checkpoints the file on their own intervals, and answers
// queries. The worker, the CLI and the tests all drive this same class.
import { rmSync } from 'node:fs';
import type { Backend, BackendSink, ExportProgress } from './backend';
import type { MonitorConfig } from './config';
import type { BackendStatus, BackupInfo } from './protocol';
import { exportHistory } from './queries/export';
import { history, summary } from './queries/history';
import { processHistory, searchProcesses, topProcesses } from './queries/processes';
import { createSamplers, readStaticInfo, type Samplers } from './sampling';
import { healthReport } from './queries/health';
import { NewerSchemaError, Store } from './storage/store';
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
}

/** Retry a failed journal write after this long, doubling up to the maximum. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 60_000;

export class Monitor implements Backend {
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;
  private closed = false;
  private lastT = 0;
  private lastFlushAttempt = 0;
  private lastCheckpointAt: Millis;
  private retryAt = 0;
  private retryDelay = RETRY_MIN_MS;
  private readonly startedAt: Millis;
  private busyMs = 0;
  private readonly problems = new Set<string>();
  latest: Snapshot | undefined;

  private constructor(
    private config: MonitorConfig,
    readonly info: StaticInfo,
    private readonly samplers: Samplers,
    private store: Store | undefined,
    private readonly sink: BackendSink,
    private readonly clock: Clock,
    readonly dbPath: string,
    private refusal: string | undefined,
  ) {
    this.startedAt = clock.now();
    this.lastCheckpointAt = this.startedAt;
  }

  static async open(options: MonitorOptions): Promise<Monitor> {
    const clock = options.clock ?? systemClock;
    const samplers = options.samplers ?? createSamplers({ commandLine: options.config.commandLine });
    const info = options.info ?? (await readStaticInfo());
    let store: Store | undefined;
    let refusal: string | undefined;
    try {
      store = await Store.open({
        path: options.dbPath,
        retention: options.config.retention,
        writeQueueLimit: options.config.writeQueueLimit,
        now: () => clock.now(),
        foreign: options.foreign ?? 'set-aside',
        log: (level, message) => options.sink.log(level, message),
        onSetAside: (_original, aside, reason) =>
          options.sink.problem(
            'database-set-aside',
            `The history database could not be read (${reason}). It was kept as ${aside} and a new one was started.`,
            'warning',
          ),
      });
    } catch (e) {
      if (!(e instanceof NewerSchemaError)) throw e;
      refusal = e.message;
      options.sink.problem('newer-schema', e.message, 'error');
    }
    const monitor = new Monitor(options.config, info, samplers, store, options.sink, clock, options.dbPath, refusal);
    if (store && store.openReport.replayedRecords > 0)
      options.sink.log('info', `Replayed ${store.openReport.replayedRecords} intervals from the journal.`);
    if (options.autoStart ?? true) monitor.start();
    return monitor;
  }

  start(): void {
    if (this.closed || this.timer) return;
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
        if (!this.closed) this.schedule();
      });
    }, delay);
    this.timer.unref?.();
  }

  /** One interval: sample, publish, record, and flush/checkpoint when due. */
  async tick(): Promise<Snapshot | undefined> {
    if (this.ticking || this.closed) return undefined;
    this.ticking = true;
    const started = performance.now();
    try {
      let t = this.clock.now();
      if (t <= this.lastT) t = this.lastT + 1;
      this.lastT = t;
      const [system, processes] = await Promise.all([this.samplers.system.sample(t), this.samplers.processes.sample(t)]);
      const snapshot: Snapshot = { t, system, processes };
      this.latest = snapshot;
      if (this.recording && this.store) {
        this.store.record(snapshot);
        this.flushIfDue(t);
        if (t - this.lastCheckpointAt >= this.config.checkpointIntervalMs) this.checkpoint(t);
      }
      this.sink.snapshot(snapshot);
      return snapshot;
    } catch (e) {
      this.sink.log('error', `Sampling failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return undefined;
    } finally {
      this.busyMs += performance.now() - started;
      this.ticking = false;
    }
  }

  private get recording(): boolean {
    return this.config.recording && this.store !== undefined;
  }

  private flushIfDue(now: Millis): void {
    const store = this.store;
    if (!store || store.pendingRecords === 0) return;
    if (now < this.retryAt) return;
    if (now - this.lastFlushAttempt < this.config.flushIntervalMs - this.config.sampleIntervalMs / 2 && this.retryAt === 0) return;
    this.lastFlushAttempt = now;
    try {
      store.flush(now);
      if (this.retryAt !== 0) {
        this.sink.log('info', 'Writing to the history database works again.');
        this.clearProblem('write-failed');
      }
      this.retryAt = 0;
      this.retryDelay = RETRY_MIN_MS;
    } catch (e) {
      this.writeFailed(now, e);
    }
  }

  private writeFailed(now: Millis, e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
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
    try {
      const done = store.checkpoint(now);
      if (done) this.sink.log('debug', `Checkpoint written in ${done.durationMs.toFixed(1)} ms (${store.fileSizeBytes} bytes).`);
    } catch (e) {
      this.writeFailed(now, e);
    }
  }

  status(): BackendStatus {
    return {
      role: this.store ? 'recorder' : 'stopped',
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
    if (config.commandLine !== old.commandLine) this.samplers.processes.setCommandLineMode(config.commandLine);
    if (this.store) {
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

  private requireStore(): Store {
    if (!this.store) throw new Error(this.refusal ?? 'The history database is not open.');
    return this.store;
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
    return healthReport(this.store, this.dbPath, this.config, {
      role: this.store ? 'recorder' : 'stopped',
      recording: this.recording,
      cpuPercent: (this.busyMs / elapsed) * 100,
    });
  }

  async exportHistory(req: ExportRequest, signal?: AbortSignal, progress?: ExportProgress): Promise<ExportResult> {
    try {
      return await exportHistory(this.requireStore(), req, this.config.sampleIntervalMs, signal, progress);
    } catch (e) {
      // A cancelled or failed export leaves no half file behind.
      rmSync(req.outPath, { force: true });
      throw e;
    }
  }

  async clearHistory(): Promise<BackendStatus> {
    const store = this.requireStore();
    const now = this.clock.now();
    store.clear(now);
    store.checkpoint(now);
    this.lastCheckpointAt = now;
    const status = this.status();
    this.sink.status(status);
    return status;
  }

  backupNow(): Promise<BackupInfo> {
    return Promise.reject(new Error('Backups are not available in this version yet.'));
  }

  listBackups(): Promise<BackupInfo[]> {
    return Promise.resolve([]);
  }

  restore(_from: string): Promise<BackendStatus> {
    return Promise.reject(new Error('Restoring backups is not available in this version yet.'));
  }

  /** Stops sampling, writes the last interval and checkpoints. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // Let a tick in progress finish recording before the final write.
    while (this.ticking) await new Promise((r) => setTimeout(r, 5));
    const store = this.store;
    if (store) {
      const now = this.clock.now();
      try {
        store.flush(now);
      } catch (e) {
        this.sink.log('warn', `Final journal write failed: ${String(e)}`);
      }
      try {
        store.checkpoint(now);
      } catch (e) {
        this.sink.log('error', `Final checkpoint failed; the journal keeps what it could: ${String(e)}`);
      }
      store.close();
    }
    this.samplers.system.dispose();
    this.samplers.processes.dispose();
  }
}
