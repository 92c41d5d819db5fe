// Which processes are in the newest recorded interval. `process.last_seen` is refreshed only when
// a minute is rolled up, so it cannot tell "exited" from "still running"; the newest raw frame can.
import { findEntry, frameView, PROC_RAW_SIZE } from '../storage/frames';
import type { Store } from '../storage/store';
import type { ProcessInfo } from '../types';

/** For each process, whether the newest raw interval holds it; undefined when there is none. */
export function inNewestInterval(store: Store, procs: ProcessInfo[]): boolean[] | undefined {
  const row = store.db.exec('SELECT v FROM proc_raw ORDER BY t DESC LIMIT 1')[0]?.values[0];
  if (!row || !(row[0] instanceof Uint8Array)) return undefined;
  const frame = frameView(row[0]);
  const stmt = store.db.prepare('SELECT id FROM process WHERE pid = ? AND start_time = ?');
  try {
    return procs.map((p) => {
      stmt.bind([p.pid, p.startTime]);
      const found = stmt.step() && findEntry(frame, PROC_RAW_SIZE, 4, Number(stmt.get()[0])) >= 0;
      stmt.reset();
      return found;
    });
  } finally {
    stmt.free();
  }
}
