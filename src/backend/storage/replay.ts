// Journal replay: decoding records and applying, in sequence order, those that follow what a copy of
// the database holds. Used at open (recorder and read-only) and by a viewer following the journal.
import { decodeRecord, type JournalRecord } from './records';

/**
 * A read-only open found journal records that do not follow the file it read: the recorder
 * checkpointed between the two reads. Reading again gives a consistent pair.
 */
export class JournalGapError extends Error {
  constructor(expected: number, found: number) {
    super(`The journal moved on while it was read (expected record ${expected}, found ${found}).`);
    this.name = 'JournalGapError';
  }
}

export interface ReplayOptions {
  readOnly: boolean;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** Applies the records after `seq`; returns how many were applied and the sequence reached. */
export function replayRecords(
  payloads: readonly Uint8Array[],
  seq: number,
  apply: (record: JournalRecord) => void,
  options: ReplayOptions,
): { applied: number; seq: number } {
  let applied = 0;
  for (const payload of payloads) {
    let record: JournalRecord;
    try {
      record = decodeRecord(payload);
    } catch (e) {
      options.log?.('warn', `Stopped replaying the journal at an unreadable record: ${String(e)}`);
      break;
    }
    if (record.seq <= seq) continue;
    if (record.seq !== seq + 1) {
      if (options.readOnly) throw new JournalGapError(seq + 1, record.seq);
      options.log?.('warn', `The journal skips from record ${seq} to ${record.seq}; replaying what follows anyway.`);
    }
    apply(record);
    seq = record.seq;
    applied++;
  }
  return { applied, seq };
}
