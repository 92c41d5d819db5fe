// When the recorder writes: the journal flush on its interval, retries with backoff while writing
// fails (the records stay queued in the store meanwhile), the checkpoint cadence, the daily backup
// after a checkpoint, and the problems shown once while a kind of write keeps failing.
//
// It decides and reports; the store does the writing. It sees the store through `PolicyStore`, so
// it is tested with a fake store and explicit times, without a recorder around it.
import { existsSync } from 'node:fs';
import type { BackendSink } from '../service';
import { backupFile, dailyBackupDue, pruneBackups } from '../storage/backup';
import type { Millis, TimedEvent } from '../types';
import type { LockState } from './lockAccess';
import type { Problems } from './problems';
import { errorText } from '../../shared/errors';

/**
 * A new database has no file until its first checkpoint (only the journal): it is written after its
 * first minute, not at the checkpoint interval, so the size on disk and `vitals health` are real soon.
 */
export const FIRST_CHECKPOINT_MS = 60_000;

/** Retry a failed journal write after this long, doubling up to the maximum. */
const RETRY_MIN_MS = 1_000;
export const RETRY_MAX_MS = 60_000;

/** What the policy needs of the store (storage/store.ts implements it). */
export interface PolicyStore {
  readonly pendingRecords: number;
  /** Appends the queued records to the journal; throws (keeping them queued) when it cannot. */
  flush(now: Millis): TimedEvent | null;
  /** Writes the whole database; throws when it cannot (the previous file stays intact). */
  checkpoint(now: Millis): TimedEvent | null;
  readonly fileSizeBytes: number;
}

export interface WritePolicyConfig {
  sampleIntervalMs: number;
  flushIntervalMs: number;
  checkpointIntervalMs: number;
  backupsKept: number;
}

interface WritePolicyDeps {
  dbPath: string;
  config: () => WritePolicyConfig;
  /** Whether this process may write now (storage/lock.ts). */
  lockState: () => LockState;
  /** Another process holds the lock now: step down to viewer. */
  lost: () => void;
  problems: Problems;
  log: BackendSink['log'];
}

export class WritePolicy {
  private lastFlushAttempt = 0;
  private lastCheckpointAt: Millis = 0;
  private retryAt = 0;
  private retryDelay = RETRY_MIN_MS;
  /** Whether the database file exists; undefined until asked (a stat), true after a checkpoint. */
  private fileWritten: boolean | undefined;

  constructor(private readonly deps: WritePolicyDeps) {}

  /** A fresh start (recording begins, or this process took over): nothing failing, cadence from now. */
  reset(now: Millis): void {
    this.lastCheckpointAt = now;
    this.retryAt = 0;
    this.retryDelay = RETRY_MIN_MS;
    this.fileWritten = undefined;
  }

  /** A checkpoint written outside the cadence (clear, backup, restore) restarts it. */
  checkpointed(now: Millis): void {
    this.lastCheckpointAt = now;
  }

  /** When the next journal write is attempted after a failure (0 when nothing failed). */
  get nextRetryAt(): Millis {
    return this.retryAt;
  }

  /** After an interval was recorded: flush and checkpoint when they are due. */
  afterRecord(store: PolicyStore, now: Millis): void {
    this.flushIfDue(store, now);
    const since = now - this.lastCheckpointAt;
    if (since >= this.deps.config().checkpointIntervalMs || (since >= FIRST_CHECKPOINT_MS && !this.hasFile(store)))
      this.checkpoint(store, now);
  }

  private hasFile(store: PolicyStore): boolean {
    this.fileWritten ??= store.fileSizeBytes > 0;
    return this.fileWritten;
  }

  private flushIfDue(store: PolicyStore, now: Millis): void {
    if (store.pendingRecords === 0) return;
    if (now < this.retryAt) return;
    const config = this.deps.config();
    if (now - this.lastFlushAttempt < config.flushIntervalMs - config.sampleIntervalMs / 2 && this.retryAt === 0) return;
    this.lastFlushAttempt = now;
    if (!this.mayWrite(now)) return;
    try {
      store.flush(now);
      this.writeWorks();
    } catch (e) {
      this.writeFailed(now, e);
    }
  }

  /** Whether this process still may write; steps down when another one holds the lock now. */
  private mayWrite(now: Millis): boolean {
    const state = this.deps.lockState();
    if (state === 'ours') return true;
    if (state === 'theirs') this.deps.lost();
    else this.writeFailed(now, state);
    return false;
  }

  private writeWorks(): void {
    if (this.retryAt !== 0 || this.deps.problems.has('write-failed')) {
      this.deps.log('info', 'Writing to the history database works again.');
      this.deps.problems.clear('write-failed');
    }
    this.retryAt = 0;
    this.retryDelay = RETRY_MIN_MS;
  }

  private writeFailed(now: Millis, e: unknown): void {
    const message = errorText(e);
    this.retryAt = now + this.retryDelay;
    this.retryDelay = Math.min(RETRY_MAX_MS, this.retryDelay * 2);
    this.deps.log('warn', `Could not write history (${message}); retrying in ${Math.round((this.retryAt - now) / 1000)} s.`);
    this.deps.problems.report(
      'write-failed',
      `Vitals cannot write its history database (${message}). Samples are kept in memory and writing is retried.`,
    );
  }

  /** The periodic checkpoint; a failure leaves the previous file intact and is retried next time. */
  checkpoint(store: PolicyStore, now: Millis): void {
    this.lastCheckpointAt = now;
    if (!this.mayWrite(now)) return;
    try {
      const done = store.checkpoint(now);
      this.fileWritten = true;
      if (done) this.deps.log('debug', `Checkpoint written in ${done.durationMs.toFixed(1)} ms (${store.fileSizeBytes} bytes).`);
      if (this.deps.problems.has('checkpoint-failed')) this.deps.log('info', 'Rewriting the history database works again.');
      this.deps.problems.clear('checkpoint-failed');
    } catch (e) {
      // The previous file is intact and the journal still grows: retried at the next checkpoint time.
      this.deps.log('warn', `Could not rewrite the history database (${errorText(e)}); the journal keeps every interval meanwhile.`);
      this.deps.problems.report(
        'checkpoint-failed',
        `Vitals cannot rewrite its history database (${errorText(e)}). The previous file is intact, new samples still reach the journal, and the rewrite is retried.`,
      );
      return;
    }
    this.dailyBackup(now);
  }

  /** A copy of the checkpointed file into backups/ once a day, keeping the newest `backupsKept`. */
  dailyBackup(now: Millis): void {
    const keep = this.deps.config().backupsKept;
    const dbPath = this.deps.dbPath;
    if (keep <= 0 || !existsSync(dbPath)) return;
    try {
      if (!dailyBackupDue(dbPath, now)) return;
      const b = backupFile(dbPath, now);
      const removed = pruneBackups(dbPath, keep);
      this.deps.log('info', `Daily backup ${b.path} (${b.sizeBytes} bytes)${removed.length ? `; removed ${removed.length} older` : ''}.`);
      this.deps.problems.clear('backup-failed');
    } catch (e) {
      this.deps.log('warn', `The daily backup failed: ${errorText(e)}`);
      this.deps.problems.report(
        'backup-failed',
        `Vitals could not back up its history database (${errorText(e)}). It tries again at the next checkpoint.`,
      );
    }
  }

  /** On shutdown: the last interval to the journal, then a checkpoint (and the backup if one is due). */
  finalWrite(store: PolicyStore, now: Millis): void {
    try {
      store.flush(now);
    } catch (e) {
      this.deps.log('warn', `Final journal write failed: ${String(e)}`);
    }
    try {
      store.checkpoint(now);
      this.dailyBackup(now);
    } catch (e) {
      this.deps.log('error', `Final checkpoint failed; the journal keeps what it could: ${String(e)}`);
    }
  }
}
