// What opening a Store takes, and what the open found.
import type { JournalDamage, Millis, RetentionPolicy } from '../types';

export interface StoreOptions {
  path: string;
  retention: RetentionPolicy;
  /** Records kept in memory while the journal cannot be written; beyond this the oldest are dropped. */
  writeQueueLimit?: number;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Reported once when a file had to be set aside. */
  onSetAside?: (original: string, setAsideAs: string, reason: string) => void;
  /** Reported when the journal could not be fully replayed and was set aside (recording). */
  onJournalSetAside?: (damage: JournalDamage) => void;
  now?: () => Millis;
  /**
   * 'read' opens an existing file for queries only: nothing on disk is changed, and a missing or bad
   * file throws instead of being replaced. Default 'record'.
   */
  mode?: 'record' | 'read';
  /** In 'read' mode: a missing file is an empty database (a viewer before the recorder's first checkpoint). */
  allowMissing?: boolean;
  /**
   * What to do, when recording, with a file that is not ours at all (not SQLite, or another
   * application's SQLite): set it aside like a corrupt one, or refuse. Default 'set-aside'.
   */
  foreign?: 'set-aside' | 'refuse';
  /** When recording, a file that cannot be used at all: set aside (default), or throw NotVitalsError. */
  badFile?: 'set-aside' | 'throw';
  /** Read mode: see ReplayOptions.gapAtStart. Default 'throw'. */
  gapAtStart?: 'throw' | 'replay';
  /** 'ignore': open the file alone, without its journal (checking a backup). Default 'replay'. */
  journal?: 'replay' | 'ignore';
}

export interface OpenReport {
  /** Where a corrupt or foreign file was moved, if one was. */
  setAside?: { path: string; reason: string };
  replayedRecords: number;
  droppedJournalBytes: number;
}
