// Reading the journal into a copy of the database: at open (recorder and read-only) and, read-only,
// following what the recorder flushes since. It keeps the account of what could not be replayed —
// damaged, unreadable or out-of-order records, or a journal that names another database — which the
// store acts on (the recorder sets such a journal aside) and the health report shows.
import { existsSync } from 'node:fs';
import { copyFileAtomic } from './atomicFile';
import { currentStamp, sameStamp, type FileStamp } from './fileStamp';
import type { Journal, JournalContents } from './journal';
import { nameStamp } from './nameStamp';
import type { JournalRecord } from './records';
import { JournalGapError, replayRecords, type ReplayResult } from './replay';
import type { JournalDamage, Millis } from '../types';

interface JournalReaderDeps {
  journal: Journal;
  dbPath: string;
  /** The version of the database file this copy was loaded from. */
  fileStamp: FileStamp | undefined;
  /** The id the file on disk holds: the only one a journal header may name. */
  fileDatabaseId: () => string | undefined;
  readOnly: boolean;
  gapAtStart: 'throw' | 'replay';
  /** The sequence this copy holds, and up to which the file itself holds the records. */
  position: () => { seq: number; heldByFile: number };
  apply: (record: JournalRecord) => void;
  /** Records up to `seq` are applied now, `applied` of them in this read. */
  advanced: (seq: number, applied: number) => void;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export class JournalReader {
  /** What of the journal could not be replayed, if anything. */
  damage: JournalDamage | undefined;
  /** How far into the journal this copy has read. */
  private offset = 0;
  /** A damaged journal not yet copied aside (see keepDamaged). */
  private toKeep: JournalDamage | undefined;

  constructor(private readonly deps: JournalReaderDeps) {}

  /** Reads the whole journal (cutting a torn tail unless read-only) and applies what follows the file. */
  readAtOpen(): JournalContents {
    // A viewer must not cut a tail the recorder may be writing this very moment.
    const contents = this.deps.journal.read({ repair: !this.deps.readOnly });
    const foreign = this.foreign(contents);
    if (foreign) this.note({ records: contents.records.length, reason: foreign, keptAs: null });
    else this.noteReplay(contents.damagedRecords, this.applyAll(contents.records));
    this.offset = contents.validBytes;
    return contents;
  }

  /**
   * Read-only: brings this copy up to what the recorder has flushed since. 'reload' means the file
   * was replaced (a checkpoint or a restore) or the journal was emptied: open the store again.
   */
  catchUp(): { state: 'current' | 'updated' | 'reload'; applied: number } {
    if (this.fileMovedOn()) return { state: 'reload', applied: 0 };
    const tail = this.deps.journal.readFrom(this.offset);
    if (tail.size < this.offset) return { state: 'reload', applied: 0 };
    let applied = 0;
    try {
      const foreign = this.offset === 0 ? this.foreign(tail) : undefined;
      if (foreign) this.note({ records: tail.records.length, reason: foreign, keptAs: null });
      else {
        const r = this.applyAll(tail.records);
        this.noteReplay(tail.damagedRecords, r);
        applied = r.applied;
      }
    } catch (e) {
      if (e instanceof JournalGapError) return { state: 'reload', applied: 0 };
      throw e;
    }
    this.offset += tail.validBytes;
    // The file replaced while the journal was read: what was read may belong to the next version.
    if (this.fileMovedOn()) return { state: 'reload', applied: 0 };
    return { state: applied > 0 ? 'updated' : 'current', applied };
  }

  /** The journal is to be kept aside before anything empties it (the recorder's next checkpoint). */
  keepBeforeEmptying(damage: JournalDamage): void {
    this.toKeep = damage;
  }

  /** Copies a damaged journal to `<journal>.corrupt-<time>`; throws (so the caller keeps the journal) when it cannot. */
  keepDamaged(now: Millis): void {
    const damage = this.toKeep;
    if (!damage) return;
    const path = this.deps.journal.path;
    if (existsSync(path)) {
      const aside = `${path}.corrupt-${nameStamp(now)}`;
      copyFileAtomic(path, aside);
      damage.keptAs = aside;
    }
    this.toKeep = undefined;
  }

  /**
   * Why a journal's records must not be applied to this database at all: its header is damaged, or
   * names another database. Read-only, that may also be a checkpoint between reading the file and
   * the journal (JournalGapError: read both again).
   */
  private foreign(contents: { databaseId: string | undefined; badHeader: boolean }): string | undefined {
    let reason: string | undefined;
    if (contents.badHeader) reason = 'its header is damaged';
    else if (contents.databaseId !== undefined && contents.databaseId !== this.deps.fileDatabaseId())
      reason = 'it belongs to another database';
    if (reason && this.deps.readOnly && this.fileMovedOn()) throw new JournalGapError('the journal names another database');
    return reason;
  }

  private fileMovedOn(): boolean {
    return !sameStamp(currentStamp(this.deps.dbPath), this.deps.fileStamp);
  }

  private applyAll(payloads: readonly Uint8Array[]): ReplayResult {
    const { seq, heldByFile } = this.deps.position();
    const done = replayRecords(payloads, seq, this.deps.apply, {
      readOnly: this.deps.readOnly,
      heldByFile,
      gapAtStart: this.deps.gapAtStart,
      log: this.deps.log,
    });
    this.deps.advanced(done.seq, done.applied);
    return done;
  }

  private noteReplay(damaged: number, r: ReplayResult): void {
    const parts = [
      damaged > 0 ? `${damaged} damaged` : '',
      r.unreadable > 0 ? `${r.unreadable} unreadable` : '',
      r.outOfOrder > 0 ? `${r.outOfOrder} out of order` : '',
    ].filter(Boolean);
    if (parts.length > 0)
      this.note({ records: damaged + r.unreadable + r.outOfOrder, reason: `journal records ${parts.join(', ')}`, keptAs: null });
  }

  private note(d: JournalDamage): void {
    const before = this.damage;
    this.damage = before ? { records: before.records + d.records, reason: `${before.reason}; ${d.reason}`, keptAs: before.keptAs } : d;
    this.deps.log?.(
      'warn',
      `The journal ${this.deps.journal.path} could not be fully replayed (${d.reason}; ${d.records} records dropped).`,
    );
  }
}
