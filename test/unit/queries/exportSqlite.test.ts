// The SQLite export through the Monitor (the worker's door, Export History… in VS Code): the file is
// written as the export goes — rows reach the disk chunk by chunk, not in one piece at the end, which
// is what keeps its memory bounded — and a cancel leaves neither the file nor anything beside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import type { ExportRequest } from '../../../src/backend/types';
import { BadRequestError, CancelledError } from '../../../src/shared/errors';
import { INFO, manualClock, recordingSink, removeDir, syntheticSamplers, tempDir } from '../durability/support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const config = defaultMonitorConfig({ sampleIntervalMs: 2000, flushIntervalMs: 2000, backupsKept: 0 });
const PROCESSES = 200;
const TICKS = 1000;

let dir: string;
let monitor: Monitor;
// One recording for every test: they only read it.
beforeAll(async () => {
  dir = tempDir('export-sqlite');
  const clock = manualClock(T0);
  monitor = await Monitor.open({
    dbPath: join(dir, 'vitals.sqlite'),
    config,
    sink: recordingSink(),
    clock,
    samplers: syntheticSamplers(PROCESSES),
    info: INFO,
    autoStart: false,
  });
  for (let i = 0; i < TICKS; i++) {
    clock.advance(2000);
    await monitor.tick();
  }
}, 60_000);
afterAll(async () => {
  await monitor.close();
  removeDir(dir);
});

const request = (outPath: string, scope: ExportRequest['scope'] = { kind: 'processes' }): ExportRequest => ({
  from: 0,
  to: T0 + 86_400_000,
  format: 'sqlite',
  scope,
  outPath,
});

/** The export's temp file beside `out`, while it is being written. */
function tempFile(): string | undefined {
  const name = readdirSync(dir).find((f) => f.startsWith('.out.sqlite.export-') && f.endsWith('.tmp'));
  return name === undefined ? undefined : join(dir, name);
}

const count = (file: string, table: string): number =>
  Number(execFileSync('sqlite3', ['-readonly', file, `SELECT count(*) FROM ${table}`], { encoding: 'utf8' }).trim());

describe('the SQLite export', () => {
  it('is written to disk as it goes: the temp file grows and holds committed rows before the end', async () => {
    const out = join(dir, 'out.sqlite');
    const seen: { size: number; rows: number }[] = [];
    const result = await monitor.exportHistory(request(out), undefined, () => {
      const temp = tempFile();
      expect(temp).toBeDefined();
      // Between chunks every transaction is committed: another SQLite reads the rows from the file.
      seen.push({ size: statSync(temp!).size, rows: count(temp!, 'process_samples') });
    });
    // 1000 intervals are five chunks of 200 frames, 40,000 process rows each.
    expect(seen.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.size).toBeGreaterThan(seen[i - 1]!.size);
      expect(seen[i]!.rows).toBeGreaterThan(seen[i - 1]!.rows);
    }
    // Well before the end, much of the file was already on disk.
    expect(seen[1]!.rows).toBeGreaterThan(0);
    expect(seen[1]!.size).toBeLessThan(statSync(out).size / 2);
    expect(result.rows).toBe(count(out, 'process_samples'));
    expect(result.rows).toBeGreaterThanOrEqual(PROCESSES * (TICKS - 1));
    expect(result.bytes).toBe(statSync(out).size);
    expect(readdirSync(dir).filter((f) => f.includes('.export-'))).toEqual([]);
  }, 60_000);

  it('cancelled midway: no file under the final name, no temp file, no lock folder beside it', async () => {
    const out = join(dir, 'cancelled.sqlite');
    const abort = new AbortController();
    let chunks = 0;
    await expect(
      monitor.exportHistory(request(out, { kind: 'all' }), abort.signal, () => {
        if (++chunks === 3) abort.abort();
      }),
    ).rejects.toBeInstanceOf(CancelledError);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('.export-'))).toEqual([]);
  }, 60_000);

  it('scope all is refused for the text formats, before any file is made', async () => {
    const out = join(dir, 'all.csv');
    await expect(monitor.exportHistory({ ...request(out, { kind: 'all' }), format: 'csv' })).rejects.toBeInstanceOf(BadRequestError);
    expect(readdirSync(dir).filter((f) => f.startsWith('all.csv') || f.includes('.export-'))).toEqual([]);
  });
});
