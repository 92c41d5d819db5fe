// What the recorder does to the history on request: Clear History, Back Up Now and Restore. Each
// runs only while this process holds the lock; a viewer forwards them to the recorder instead.
import type { BackupInfo } from '../protocol';
import { copyFileAtomic } from '../storage/atomicFile';
import { backupFile, backupPathFor, replaceDatabase } from '../storage/backup';
import { journalPathFor, Store } from '../storage/store';
import { lockState } from './lockAccess';
import type { RecorderState } from './state';
import type { WritePolicy } from './writePolicy';
import { errorText } from '../../shared/errors';

/** The store, once it is sure this process records and still holds the lock. */
function recorderStore(s: RecorderState): Store {
  if (s.role !== 'recorder' || !s.store) throw s.notOpen();
  const state = lockState(s.lock);
  if (state === 'theirs') throw new Error('Another process records into this database now.');
  if (state !== 'ours') throw state;
  return s.store;
}

export function clearHistory(s: RecorderState, policy: WritePolicy): void {
  const store = recorderStore(s);
  const now = s.clock.now();
  store.clear(now);
  store.checkpoint(now);
  policy.checkpointed(now);
}

/** A consistent copy of everything recorded: checkpoint, then copy the file into backups/. */
export function backupNow(s: RecorderState, policy: WritePolicy): BackupInfo {
  const store = recorderStore(s);
  const now = s.clock.now();
  store.checkpoint(now);
  policy.checkpointed(now);
  const b = backupFile(s.dbPath, now, backupPathFor(s.dbPath, now));
  s.sink.log('info', `Backed up the history to ${b.path} (${b.sizeBytes} bytes).`);
  return b;
}

/**
 * Replaces the history with backup bytes already validated. The current file is kept as
 * `<name>.before-restore-<stamp>`; recording goes on into the restored one. Should the restored
 * file still not open, the previous one goes back in place and recording goes on there.
 */
export function restoreBackup(s: RecorderState, policy: WritePolicy, from: string, bytes: Uint8Array): void {
  const store = recorderStore(s);
  const now = s.clock.now();
  // Everything recorded so far goes into the file that is kept aside.
  store.checkpoint(now);
  store.close();
  s.store = undefined;
  let keptAs: string | undefined;
  let replaced = false;
  try {
    ({ keptAs } = replaceDatabase(s.dbPath, journalPathFor(s.dbPath), bytes, now));
    replaced = true;
    // Thrown rather than set aside: a restore that does not open is undone, not recorded over.
    s.store = Store.openWith(s.SQL, { ...s.storeOptions(), badFile: 'throw' });
  } catch (e) {
    // Not replaced: the write is atomic, the previous file is still there. Replaced: the previous
    // file (checkpointed above, so complete) goes back; the journal is empty either way.
    if (replaced && keptAs) {
      try {
        copyFileAtomic(keptAs, s.dbPath);
      } catch (e2) {
        s.sink.log('error', `Could not put the previous history back from ${keptAs}: ${errorText(e2)}`);
      }
    }
    s.store = Store.openWith(s.SQL, s.storeOptions());
    policy.checkpointed(now);
    throw new Error(`The restore from ${from} failed (${errorText(e)}); recording goes on in the previous history.`, { cause: e });
  }
  policy.checkpointed(now);
  s.sink.log('info', `Restored the history from ${from}${keptAs ? `; the previous database is kept as ${keptAs}` : ''}.`);
}
