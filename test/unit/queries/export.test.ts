// Export through the Monitor, the door the worker (Export History… in VS Code) uses: the same target
// check as the CLI's, and a cancelled export leaves neither its file nor its temp file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { ExportTargetError } from '../../../src/backend/queries/exportTarget';
import { journalPathFor } from '../../../src/backend/storage/store';
import type { ExportRequest } from '../../../src/backend/types';
import { CancelledError } from '../../../src/shared/errors';
import { INFO, manualClock, recordingSink, removeDir, syntheticSamplers, tempDir } from '../durability/support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const config = defaultMonitorConfig({ sampleIntervalMs: 2000, flushIntervalMs: 2000, backupsKept: 0 });

let dir: string;
let db: string;
let monitor: Monitor;
beforeEach(async () => {
  dir = tempDir('export');
  db = join(dir, 'vitals.sqlite');
  const clock = manualClock(T0);
  monitor = await Monitor.open({
    dbPath: db,
    config,
    sink: recordingSink(),
    clock,
    samplers: syntheticSamplers(200),
    info: INFO,
    autoStart: false,
  });
  for (let i = 0; i < 400; i++) {
    clock.advance(2000);
    await monitor.tick();
  }
  await monitor.close();
  monitor = await Monitor.open({
    dbPath: db,
    config,
    sink: recordingSink(),
    clock,
    samplers: syntheticSamplers(200),
    info: INFO,
    autoStart: false,
  });
});
afterEach(async () => {
  await monitor.close();
  removeDir(dir);
});

const request = (outPath: string): ExportRequest => ({
  from: 0,
  to: T0 + 86_400_000,
  format: 'csv',
  scope: { kind: 'processes' },
  outPath,
});

describe('Monitor.exportHistory', () => {
  it.each([
    ['the database', () => db],
    ['its journal', () => journalPathFor(db)],
    ['a symlink to the database', () => (symlinkSync(db, join(dir, 'x.csv')), join(dir, 'x.csv'))],
  ])('refuses %s, changing nothing', async (_what, target) => {
    const before = readFileSync(db);
    await expect(monitor.exportHistory(request(target()))).rejects.toBeInstanceOf(ExportTargetError);
    expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('cancelled midway: no file under the final name, no temp file', async () => {
    const out = join(dir, 'procs.csv');
    const abort = new AbortController();
    let chunks = 0;
    await expect(
      monitor.exportHistory(request(out), abort.signal, () => {
        if (++chunks === 2) abort.abort();
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(chunks).toBe(2);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.export-'))).toEqual([]);
  });

  it('cancelled over an earlier export: the earlier file stays as it was', async () => {
    const out = join(dir, 'procs.csv');
    writeFileSync(out, 'the earlier export\n');
    const abort = new AbortController();
    await expect(monitor.exportHistory(request(out), abort.signal, () => abort.abort())).rejects.toBeInstanceOf(CancelledError);
    expect(readFileSync(out, 'utf8')).toBe('the earlier export\n');
  });
});
