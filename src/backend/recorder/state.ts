// What every part of the Monitor shares: the database it is about, its role, the open store and
// the settings in force. One object, so a role change is seen by all parts at once.
import type { BackendSink } from '../backend';
import type { MonitorConfig } from '../config';
import type { RecorderLock } from '../storage/lock';
import type { SqlJsStatic } from '../storage/sqljs';
import type { Store, StoreOptions } from '../storage/store';
import type { Clock, RecorderRole, Snapshot } from '../types';

export class RecorderState {
  role: RecorderRole = 'stopped';
  store: Store | undefined;
  /** Why nothing can be recorded (a newer schema), shown in the status. */
  refusal: string | undefined;
  closed = false;
  /** The newest snapshot: sampled here (recorder) or received from the recorder's feed (viewer). */
  latest: Snapshot | undefined;

  constructor(
    readonly dbPath: string,
    readonly SQL: SqlJsStatic,
    readonly sink: BackendSink,
    readonly clock: Clock,
    readonly lock: RecorderLock,
    public config: MonitorConfig,
    private readonly foreign: 'set-aside' | 'refuse',
  ) {}

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
    };
  }

  /** Why a query or command finds no store. */
  notOpen(): Error {
    return new Error(this.refusal ?? 'The history database is not open.');
  }
}
