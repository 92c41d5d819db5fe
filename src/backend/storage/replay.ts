// Journal replay: decoding records and applying, in sequence order, those that follow what a copy of
// the database holds. Used at open (recorder and read-only) and by a viewer following the journal.
//
// What cannot be applied is counted, not fatal: a record that does not decode (or is of a kind this
// version does not know) is skipped and the ones after it are applied, and a record that comes after
// a later one (out of order: what an older recorder appended after a journal it could not fully
// replay) is skipped. The store then sets the journal aside (recorder) or reports it (read-only).
import { decodeRecord, type JournalRecord } from './records';
import { errorText } from '../../shared/errors';

/**
 * A read-only open found journal records that do not follow the file it read: the recorder
 * checkpointed between the two reads. Reading again gives a consistent pair.
 */
export class JournalGapError extends Error {
  constructor(detail: string) {
    super(`The journal moved on while it was read (${detail}).`);
    this.name = 'JournalGapError';
  }
}

interface ReplayOptions {
  readOnly: boolean;
  /** Records up to this sequence are in the file already (a crash between checkpoint and truncation). */
  heldByFile: number;
  /**
   * Read-only, a gap before the first record applied: 'throw' JournalGapError (the recorder may
   * have checkpointed between reading the file and the journal: read both again), or 'replay' what
   * follows as the recorder does (the last attempt: the gap is in the journal itself).
   */
  gapAtStart: 'throw' | 'replay';
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface ReplayResult {
  applied: number;
  /** The sequence reached. */
  seq: number;
  /** Records that did not decode or could not be applied. */
  unreadable: number;
  /** Records whose sequence was already passed. */
  outOfOrder: number;
}

/** Applies the records after `seq`. */
export function replayRecords(
  payloads: readonly Uint8Array[],
  seq: number,
  apply: (record: JournalRecord) => void,
  options: ReplayOptions,
): ReplayResult {
  const result: ReplayResult = { applied: 0, seq, unreadable: 0, outOfOrder: 0 };
  for (const payload of payloads) {
    let record: JournalRecord;
    try {
      record = decodeRecord(payload);
    } catch (e) {
      if (result.unreadable++ === 0) options.log?.('warn', `Skipped an unreadable journal record: ${errorText(e)}`);
      continue;
    }
    if (record.seq <= result.seq) {
      if (record.seq > options.heldByFile) result.outOfOrder++;
      continue;
    }
    if (record.seq !== result.seq + 1) {
      // A gap after records were applied is in the journal itself (a checkpoint empties the journal,
      // so a reader never sees two generations in one read): replayed past, like the recorder does.
      if (options.readOnly && result.applied === 0 && options.gapAtStart === 'throw')
        throw new JournalGapError(`expected record ${result.seq + 1}, found ${record.seq}`);
      options.log?.('warn', `The journal skips from record ${result.seq} to ${record.seq}; replaying what follows anyway.`);
    }
    try {
      apply(record);
    } catch (e) {
      if (result.unreadable++ === 0) options.log?.('warn', `Skipped a journal record that could not be applied: ${errorText(e)}`);
      continue;
    }
    result.seq = record.seq;
    result.applied++;
  }
  return result;
}
