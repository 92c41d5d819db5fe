// Loading the database file, and setting aside one that cannot be used. A file that is empty, not
// SQLite, corrupt, truncated or another application's is renamed `<name>.corrupt-<timestamp>` (with
// its journal), never deleted, and a fresh database is started; a file from a newer schema throws
// NewerSchemaError and is left as it is. Read-only opens and `foreign: 'refuse'` throw instead of
// moving anything.
import { existsSync, renameSync } from 'node:fs';
import { readWithStamp, type FileStamp } from './fileStamp';
import { nameStamp } from './nameStamp';
import { initializeEmpty, integrityProblem, looksLikeSqlite, migrate, NewerSchemaError, NotVitalsError } from './schema';
import type { Database, SqlJsStatic } from './sqljs';
import type { Millis } from '../types';
import { errorText } from '../../shared/errors';

interface LoadOptions {
  path: string;
  journalPath: string;
  readOnly: boolean;
  foreign: 'set-aside' | 'refuse';
  /** A file that cannot be used: set it aside and start afresh, or throw (a restore checking its result). */
  badFile: 'set-aside' | 'throw';
  now: () => Millis;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  onSetAside?: (original: string, setAsideAs: string, reason: string) => void;
}

interface LoadedDatabase {
  db: Database;
  /** The version of the file loaded; undefined when there was none. */
  stamp: FileStamp | undefined;
  /** Where a corrupt or foreign file was moved, if one was. */
  setAside?: { path: string; reason: string };
}

export function loadDatabase(SQL: SqlJsStatic, options: LoadOptions): LoadedDatabase {
  const { readOnly } = options;
  let db: Database | undefined;
  let stamp: FileStamp | undefined;
  let setAside: LoadedDatabase['setAside'];
  const file = existsSync(options.path) ? readWithStamp(options.path) : undefined;
  if (file) {
    const bytes = file.bytes;
    stamp = file.stamp;
    let reason: string | undefined;
    if (bytes.byteLength === 0) reason = 'the file is empty';
    else if (!looksLikeSqlite(bytes)) {
      reason = 'the file is not an SQLite database';
      // Someone else's file named by hand (CLI): refuse rather than move it out of their way.
      if (options.foreign === 'refuse' || readOnly) throw new NotVitalsError(reason);
    } else {
      try {
        db = new SQL.Database(bytes);
        const problem = integrityProblem(db, 'quick_check');
        if (problem !== undefined) throw new Error(`the integrity check failed: ${problem}`);
        migrate(db);
      } catch (e) {
        db?.close();
        db = undefined;
        if (e instanceof NewerSchemaError) throw e;
        // Already says "Not a Vitals history database": wrapped again below it would say it twice.
        if (e instanceof NotVitalsError && (options.foreign === 'refuse' || readOnly || options.badFile === 'throw')) throw e;
        reason = errorText(e);
      }
    }
    if (reason !== undefined && (readOnly || options.badFile === 'throw')) throw new NotVitalsError(reason);
    if (reason !== undefined) {
      const aside = `${options.path}.corrupt-${nameStamp(options.now())}`;
      renameSync(options.path, aside);
      // Its journal belongs to it (its process ids mean nothing to a fresh database).
      if (existsSync(options.journalPath)) renameSync(options.journalPath, `${aside}.journal`);
      setAside = { path: aside, reason };
      options.log?.('warn', `Set aside ${options.path} as ${aside}: ${reason}`);
      options.onSetAside?.(options.path, aside, reason);
    }
  }
  if (!db) {
    db = new SQL.Database();
    initializeEmpty(db);
    migrate(db);
  }
  // The rollback journal of an in-memory database needs no file: keeping it in memory avoids a
  // file created, grown and deleted inside sql.js's virtual filesystem at every transaction.
  db.exec('PRAGMA journal_mode = MEMORY');
  return { db, stamp, setAside };
}
