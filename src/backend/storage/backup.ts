// Backups of the history database: consistent copies in a `backups/` folder beside it, named by the
// time they were taken, and the restore of one — validated before anything is replaced, the current
// file kept beside it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { BackupInfo } from '../protocol';
import type { Millis } from '../types';
import { copyFileAtomic, writeFileAtomic } from './atomicFile';
import { defaultMonitorConfig } from '../config';
import { Journal } from './journal';
import { tableRowCounts } from './maintenance';
import { Store } from './store';
import { nameStamp } from './nameStamp';
import { integrityProblem, looksLikeSqlite, migrate, NewerSchemaError, NotVitalsError, SCHEMA_VERSION } from './schema';
import type { SqlJsStatic } from './sqljs';
import { errorText } from '../../shared/errors';

export const DAY_MS = 24 * 60 * 60 * 1000;

export function backupsDirFor(dbPath: string): string {
  return join(dirname(dbPath), 'backups');
}

function parseFileStamp(s: string): Millis | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(s);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`);
  return Number.isFinite(t) ? t : undefined;
}

function stem(dbPath: string): string {
  const base = basename(dbPath);
  const ext = extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

export function backupPathFor(dbPath: string, at: Millis): string {
  const ext = extname(dbPath) || '.sqlite';
  return join(backupsDirFor(dbPath), `${stem(dbPath)}-${nameStamp(at)}${ext}`);
}

/** The backups of this database, newest first. */
export function listBackups(dbPath: string): BackupInfo[] {
  const dir = backupsDirFor(dbPath);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const prefix = `${stem(dbPath)}-`;
  const ext = extname(dbPath) || '.sqlite';
  const out: BackupInfo[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(ext)) continue;
    const createdAt = parseFileStamp(name.slice(prefix.length, name.length - ext.length));
    if (createdAt === undefined) continue;
    const path = join(dir, name);
    try {
      const st = statSync(path);
      if (st.isFile()) out.push({ path, createdAt, sizeBytes: st.size });
    } catch {
      // Removed while we listed.
    }
  }
  return out.sort((a, b) => b.createdAt - a.createdAt);
}

/** Whether the newest backup is older than a day (or there is none). */
export function dailyBackupDue(dbPath: string, now: Millis): boolean {
  const newest = listBackups(dbPath)[0];
  // A backup "from the future" (the clock went back) does not count as recent.
  return !newest || now - newest.createdAt >= DAY_MS || newest.createdAt > now + DAY_MS;
}

/** Keeps the newest `keep` backups, removes the rest. Returns the removed paths. */
export function pruneBackups(dbPath: string, keep: number): string[] {
  const removed: string[] = [];
  for (const b of listBackups(dbPath).slice(Math.max(0, keep))) {
    rmSync(b.path, { force: true });
    removed.push(b.path);
  }
  return removed;
}

/** Copies an existing, complete database file (the checkpointed bytes) into the backups folder. */
export function backupFile(dbPath: string, at: Millis, to = backupPathFor(dbPath, at)): BackupInfo {
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 });
  copyFileAtomic(dbPath, to);
  return { path: to, createdAt: at, sizeBytes: statSync(to).size };
}

export class InvalidBackupError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} cannot be restored: ${reason}. Nothing was changed.`);
    this.name = 'InvalidBackupError';
  }
}

/**
 * Checks a backup the way the recorder would read it: an SQLite file that opens, passes
 * `PRAGMA integrity_check`, carries Vitals' application id and a schema this version knows.
 * Returns its bytes; throws InvalidBackupError otherwise.
 */
export function validateBackup(SQL: SqlJsStatic, path: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new InvalidBackupError(path, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(e));
  }
  if (!looksLikeSqlite(bytes))
    throw new InvalidBackupError(path, bytes.byteLength === 0 ? 'the file is empty' : 'it is not an SQLite database');
  let db;
  try {
    db = new SQL.Database(bytes);
  } catch (e) {
    throw new InvalidBackupError(path, `it does not open (${errorText(e)})`);
  }
  try {
    let problem: string | undefined;
    try {
      problem = integrityProblem(db, 'integrity_check');
    } catch (e) {
      problem = errorText(e);
    }
    if (problem !== undefined) throw new InvalidBackupError(path, `the integrity check failed (${problem})`);
    try {
      migrate(db);
    } catch (e) {
      if (e instanceof NewerSchemaError)
        throw new InvalidBackupError(path, `it was written by a newer Vitals (schema ${e.found}, this one knows ${SCHEMA_VERSION})`);
      if (e instanceof NotVitalsError) throw new InvalidBackupError(path, 'it is not a Vitals history database');
      throw new InvalidBackupError(path, errorText(e));
    }
  } finally {
    db.close();
  }
  // Then the way the recorder opens a database, and a query on every table: what passes here can
  // be recorded into and queried after the switch-over.
  let store: Store | undefined;
  try {
    store = Store.openWith(SQL, { path, mode: 'read', journal: 'ignore', retention: defaultMonitorConfig().retention });
    tableRowCounts(store.db);
    store.db.exec('SELECT max(t) FROM sys_raw; SELECT max(t) FROM proc_raw; SELECT count(*) FROM meta');
  } catch (e) {
    throw new InvalidBackupError(path, errorText(e));
  } finally {
    store?.close();
  }
  return bytes;
}

/**
 * Puts validated backup bytes in place of the database. The caller has checkpointed (the journal is
 * empty) and closed the store. The current file is copied to `<name>.before-restore-<stamp>` first,
 * so at every moment a crash leaves either the old database or the restored one at its path.
 */
export function replaceDatabase(dbPath: string, journalPath: string, bytes: Uint8Array, at: Millis): { keptAs: string | undefined } {
  let keptAs: string | undefined;
  if (existsSync(dbPath)) {
    keptAs = `${dbPath}.before-restore-${nameStamp(at)}`;
    copyFileAtomic(dbPath, keptAs);
  }
  // Records left in the journal belong to the old file (a checkpoint already holds them): replayed
  // onto the restored one they would mix two histories.
  if (existsSync(journalPath)) {
    const journal = new Journal(journalPath);
    try {
      journal.truncate();
    } finally {
      journal.close();
    }
  }
  writeFileAtomic(dbPath, bytes);
  return { keptAs };
}
