// A process that runs across a restart of the recorder (a window closed and another taking over, a
// crash, a restore) keeps one identity in the history: its samples after the restart belong to the
// same row as before.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { processHistory } from '../../../src/backend/queries/processes';
import { Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';
import { removeDir, tempDir } from './support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const retention = defaultMonitorConfig().retention;
let dir: string;
beforeEach(() => (dir = tempDir('restart')));
afterEach(() => removeDir(dir));

it.each([
  ['a clean restart', (s: Store) => (s.checkpoint(T0 + 10_000), s.close())],
  ['a crash after flushing', (s: Store) => (s.flush(T0 + 10_000), s.journal.close())],
])('a long-running process keeps its history across %s', async (_name, stop) => {
  const path = join(dir, 'vitals.sqlite');
  const first = await Store.open({ path, retention });
  for (let i = 0; i < 5; i++) first.record(snapshotAt(T0 + i * 2000, 2000, { processes: 5 }));
  stop(first);
  const second = await Store.open({ path, retention });
  for (let i = 5; i < 10; i++) second.record(snapshotAt(T0 + i * 2000, 2000, { processes: 5 }));
  // pid 1000 of the synthetic machine runs the whole time.
  const h = processHistory(
    second,
    { select: { kind: 'process', pid: 1000, startTime: 1_600_000_000_000 }, from: T0, to: T0 + 20_000, maxPoints: 10 },
    2000,
  );
  second.close();
  expect(h.processes).toHaveLength(1);
  expect(h.t.length).toBeGreaterThan(1);
  expect(h.rssBytes.avg.every((v) => v !== null && v > 0)).toBe(true);
});
