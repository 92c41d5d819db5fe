// The CLI's backup commands: `backup`, `backups` and `restore`. They work whether or not a recorder
// runs: a backup is read from the file plus its journal (what the recorder has flushed), and a
// restore is handed to the running recorder over its live feed so it switches over in place.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defaultMonitorConfig } from '../backend/config';
import { backupPathFor, backupsDirFor, listBackups, replaceDatabase, validateBackup } from '../backend/storage/backup';
import { sameFile } from '../backend/storage/fileIdentity';
import { RecorderLock } from '../backend/storage/lock';
import { hasFeed, withRecorderFeed } from './recorderFeed';
import { loadSqlJs } from '../backend/storage/sqljs';
import { journalPathFor, JournalGapError, Store } from '../backend/storage/store';
import { staleAfterMs } from '../backend/recorder/lockAccess';
import { formatBytes, formatDateTime } from '../shared/format';
import { UsageError } from './args';

const retention = defaultMonitorConfig().retention;

/** Opens the database read-only, again if the recorder checkpointed between the file and its journal. */
export async function openReadOnly(path: string): Promise<Store> {
  const attempts = 6;
  for (let attempt = 0; ; attempt++) {
    try {
      // A recorder that has not checkpointed yet has only its journal on disk. The last attempt
      // replays past a gap: by then it is in the journal itself, not a checkpoint in between.
      const gapAtStart = attempt < attempts - 1 ? 'throw' : 'replay';
      return await Store.open({ path, mode: 'read', retention, allowMissing: existsSync(journalPathFor(path)), gapAtStart });
    } catch (e) {
      if (e instanceof JournalGapError && attempt < attempts - 1) continue;
      throw e;
    }
  }
}

export function databaseExists(path: string): boolean {
  return existsSync(path) || existsSync(journalPathFor(path));
}

export function requireDatabase(path: string): void {
  if (!databaseExists(path)) throw new UsageError(`no database at ${path} (record one first: vitals record --db ${path})`);
}

export async function backupCommand(path: string, out: string | undefined, write: (s: string) => void): Promise<number> {
  requireDatabase(path);
  const target = out ? resolve(out) : backupPathFor(path, Date.now());
  if (sameFile(target, path)) throw new UsageError('--out must not be the database itself');
  if (existsSync(target)) throw new UsageError(`${target} already exists; choose another --out`);
  const store = await openReadOnly(path);
  try {
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    store.backupTo(target, Date.now());
  } finally {
    store.close();
  }
  write(`Backed up ${path} to ${target} (${formatBytes(statSync(target).size)}).\n`);
  return 0;
}

export function backupsCommand(path: string, write: (s: string) => void): number {
  const backups = listBackups(path);
  if (backups.length === 0) {
    write(`No backups of ${path} yet (they go to ${backupsDirFor(path)}).\n`);
    return 0;
  }
  for (const b of backups) write(`${formatDateTime(b.createdAt)}  ${formatBytes(b.sizeBytes).padStart(9)}  ${b.path}\n`);
  return 0;
}

export async function restoreCommand(path: string, from: string | undefined, write: (s: string) => void): Promise<number> {
  if (!from) throw new UsageError('--from BACKUP is required (list them with: vitals backups)');
  const source = resolve(from);
  if (sameFile(source, path)) throw new UsageError('--from must be a backup, not the database itself');
  const SQL = await loadSqlJs();
  // Checked before anything else happens: an unusable backup changes nothing.
  const bytes = validateBackup(SQL, source);

  const lock = new RecorderLock({ dbPath: path, staleMs: staleAfterMs(defaultMonitorConfig().sampleIntervalMs) });
  if (!lock.tryAcquire()) {
    const owner = lock.owner();
    if (!hasFeed(owner))
      throw new Error(
        `${path} is being recorded by pid ${owner?.pid ?? '?'} on ${owner?.host ?? '?'}, which cannot be asked to restore; stop it first.`,
      );
    await withRecorderFeed(owner, (client) => client.request('restore', { from: source }));
    write(`Restored ${path} from ${source}; the recorder (pid ${owner.pid} on ${owner.host}) switched over to it.\n`);
    return 0;
  }
  try {
    const now = Date.now();
    // The current history, journal included, goes into the file kept aside.
    if (existsSync(path)) {
      const store = await Store.open({ path, retention, foreign: 'refuse' });
      try {
        store.checkpoint(now);
      } finally {
        store.close();
      }
    }
    const { keptAs } = replaceDatabase(path, journalPathFor(path), bytes, now);
    write(`Restored ${path} from ${source}.${keptAs ? ` The previous database is kept as ${keptAs}.` : ''}\n`);
    return 0;
  } finally {
    lock.release();
  }
}
