// What every part of the Monitor shares: the database it is about, its role, the open store and
// the settings in force. One object, so a role change is seen by all parts at once.
import type { BackendSink } from '../service';
import type { MonitorConfig } from '../config';
import type { RecorderLock } from '../storage/lock';
import type { SqlJsStatic } from '../storage/sqljs';
import type { Store } from '../storage/store';
import type { StoreOptions } from '../storage/storeOptions';
import type { Clock, RecorderRole, Snapshot, WindowContext } from '../types';
import { WindowContexts } from '../vscode/windowContexts';
import { Problems } from './problems';

export class RecorderState {
  role: RecorderRole = 'stopped';
  store: Store | undefined;
  /** Why nothing can be recorded (a newer schema), shown in the status. */
  refusal: string | undefined;
  closed = false;
  /** Problems shown to the user once per key. */
  readonly problems: Problems;
  /** The newest snapshot: sampled here (recorder) or received from the recorder's feed (viewer). */
  latest: Snapshot | undefined;
  /** What this backend's own window last said about itself (setWindowContext). */
  ownContext: WindowContext | undefined;
  /** Every window's context the recorder labels processes with: its own and its viewers'. */
  readonly windowContexts = new WindowContexts();

  constructor(
    readonly dbPath: string,
    readonly SQL: SqlJsStatic,
    readonly sink: BackendSink,
    readonly clock: Clock,
    readonly lock: RecorderLock,
    public config: MonitorConfig,
    private readonly foreign: 'set-aside' | 'refuse',
  ) {
    this.problems = new Problems(sink);
  }

  get recording(): boolean {
    return this.config.recording && this.role === 'recorder' && this.store?.mode === 'record';
  }

  storeOptions(): StoreOptions {
    return {
      path: this.dbPath,
      retention: this.config.retention,
      writeQueueLimit: this.config.writeQueueLimit,
      now: () => this.clock.now(),
      foreign: this.foreign,
      log: (level, message) => this.sink.log(level, message),
      onSetAside: (_original, aside, reason) =>
        this.sink.problem(
          'database-set-aside',
          `The history database could not be read (${reason}). It was kept as ${aside} and a new one was started.`,
          'warning',
        ),
      onJournalSetAside: (damage) =>
        this.problems.report(
          'journal-set-aside',
          `Part of the history journal could not be replayed (${damage.reason}; ${damage.records} intervals dropped). ` +
            (damage.keptAs
              ? `It was kept as ${damage.keptAs}, and recording goes on with a fresh journal.`
              : 'It stays in place, and nothing more is added to it, until the database can be rewritten.'),
        ),
    };
  }

  /** Why a query or command finds no store. */
  notOpen(): Error {
    return new Error(this.refusal ?? 'The history database is not open.');
  }
}
