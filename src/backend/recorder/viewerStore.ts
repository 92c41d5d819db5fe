// The store queries read. A recorder answers from the database it writes. A viewer opens the file
// read-only on first use and then follows the recorder's journal; when the recorder replaced the
// file (checkpoint, restore) it opens it again.
import { JournalGapError, NewerSchemaError, Store } from '../storage/store';
import type { RecorderState } from './state';
import { errorText, NotReadyError } from '../../shared/errors';

const READ_ATTEMPTS = 6;

export function queryStore(s: RecorderState): Store {
  if (s.role !== 'viewer') {
    if (!s.store) throw s.notOpen();
    return s.store;
  }
  if (s.store && s.store.catchUp().state !== 'reload') return s.store;
  s.store?.close();
  s.store = undefined;
  s.store = openForViewing(s);
  return s.store;
}

function openForViewing(s: RecorderState): Store {
  for (let attempt = 0; ; attempt++) {
    try {
      // The last attempt replays past a gap: by then it is in the journal itself, not a race.
      return Store.openWith(s.SQL, {
        ...s.storeOptions(),
        mode: 'read',
        allowMissing: true,
        gapAtStart: attempt < READ_ATTEMPTS - 1 ? 'throw' : 'replay',
      });
    } catch (e) {
      // The recorder checkpointed between reading the file and its journal: read both again.
      if (e instanceof JournalGapError && attempt < READ_ATTEMPTS - 1) continue;
      if (e instanceof NewerSchemaError) throw e;
      throw new NotReadyError(`The history cannot be read right now (${errorText(e)}); try again in a moment.`);
    }
  }
}
