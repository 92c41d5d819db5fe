// A viewer's read-only copy of the database following the recorder's journal (Store.catchUp), and
// the read of a file plus a journal that do not belong together (a checkpoint in between).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { journalPathFor, JournalGapError, Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';
import { removeDir, tempDir } from './support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const retention = defaultMonitorConfig().retention;
let dir: string;
let path: string;
beforeEach(() => {
  dir = tempDir('viewer-store');
  path = join(dir, 'vitals.sqlite');
});
afterEach(() => removeDir(dir));

const rows = (s: Store): number => Number(s.db.exec('SELECT count(*) FROM sys_raw')[0]!.values[0]![0]);
let t = T0;
const recordFlushed = (s: Store, n: number): void => {
  for (let i = 0; i < n; i++) {
    s.record(snapshotAt((t += 2000), 2000, { processes: 8 }));
    s.flush(t);
  }
};

describe('a viewer following the recorder', () => {
  it('starts before the first checkpoint, applies what is flushed, reloads when the file is replaced', async () => {
    const recorder = await Store.open({ path, retention });
    recordFlushed(recorder, 3);
    const viewer = await Store.open({ path, mode: 'read', allowMissing: true, retention });
    expect(rows(viewer)).toBe(3);
    expect(viewer.catchUp()).toEqual({ state: 'current', applied: 0 });
    recordFlushed(recorder, 4);
    recorder.record(snapshotAt((t += 2000), 2000, { processes: 8 })); // not flushed: not visible
    expect(viewer.catchUp()).toEqual({ state: 'updated', applied: 4 });
    expect(rows(viewer)).toBe(7);
    recorder.checkpoint(t);
    recordFlushed(recorder, 6); // the journal grows past where the viewer had read it
    expect(viewer.catchUp().state).toBe('reload');
    viewer.close();
    const again = await Store.open({ path, mode: 'read', retention });
    expect(rows(again)).toBe(14);
    again.close();
    recorder.close();
  });

  it('notices a file and a journal that do not follow each other, so the read is repeated', async () => {
    const recorder = await Store.open({ path, retention });
    recordFlushed(recorder, 5);
    recorder.checkpoint(t);
    const older = readFileSync(path); // what a reader got just before the next checkpoint
    recordFlushed(recorder, 3);
    recorder.checkpoint(t);
    recordFlushed(recorder, 4);
    recorder.close();
    const stale = join(dir, 'stale.sqlite');
    writeFileSync(stale, older);
    copyFileSync(journalPathFor(path), journalPathFor(stale));
    await expect(Store.open({ path: stale, mode: 'read', retention })).rejects.toBeInstanceOf(JournalGapError);
    const good = await Store.open({ path, mode: 'read', retention });
    expect(rows(good)).toBe(12);
    good.close();
  });
});
