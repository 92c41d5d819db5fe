// Bad database files met by the recorder (the Monitor as a window runs it, and the CLI): never
// deleted or overwritten, set aside as `<name>.corrupt-<time>` with its journal, the user told once,
// recording going on in a fresh database; a newer schema left in place and recording refused.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { lockPathFor } from '../../../src/backend/storage/lock';
import { SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import { main } from '../../../src/cli/main';
import { snapshotAt } from '../../support/synthetic';
import { INFO, manualClock, recordingSink, removeDir, syntheticSamplers, tempDir } from './support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const config = defaultMonitorConfig({ sampleIntervalMs: 2000, flushIntervalMs: 2000, backupsKept: 0 });
let dir: string;
let db: string;

beforeEach(() => {
  dir = tempDir('badfiles');
  db = join(dir, 'vitals.sqlite');
});
afterEach(() => removeDir(dir));

async function goodDatabase(intervals = 30): Promise<void> {
  const s = await Store.open({ path: db, retention: config.retention });
  for (let i = 0; i < intervals; i++) s.record(snapshotAt(T0 - 3_600_000 + i * 2000, 2000, { processes: 40 }));
  s.checkpoint(T0);
  s.close();
}

async function foreignSqlite(): Promise<Uint8Array> {
  const SQL = await loadSqlJs();
  const other = new SQL.Database();
  other.exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine')");
  const bytes = other.export();
  other.close();
  return bytes;
}

async function openRecorder() {
  const sink = recordingSink();
  const clock = manualClock(T0);
  const monitor = await Monitor.open({ dbPath: db, config, sink, clock, samplers: syntheticSamplers(10), info: INFO, autoStart: false });
  return { monitor, sink, clock };
}

async function recordSome(m: { monitor: Monitor; clock: ReturnType<typeof manualClock> }, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    m.clock.advance(2000);
    const s = await m.monitor.tick();
    if (s) times.push(s.t);
  }
  return times;
}

const bad: [string, () => Promise<void>][] = [
  ['zero-length', async () => writeFileSync(db, '')],
  ['not a database at all', async () => writeFileSync(db, 'hello, these are my notes\n'.repeat(20))],
  [
    'corrupt (garbage after the SQLite header)',
    async () => {
      await goodDatabase();
      const bytes = readFileSync(db);
      for (let i = 4096; i < bytes.byteLength; i += 7) bytes[i] = (bytes[i]! + 91) & 0xff;
      writeFileSync(db, bytes);
    },
  ],
  [
    'truncated',
    async () => {
      await goodDatabase(200);
      truncateSync(db, Math.floor(statSync(db).size / 2));
    },
  ],
  ['another application’s SQLite database', async () => writeFileSync(db, await foreignSqlite())],
];

describe('the recorder meets a bad database file', () => {
  it.each(bad)('%s: kept as .corrupt-<time> untouched, the user told once, recording goes on in a fresh one', async (_name, make) => {
    await make();
    writeFileSync(journalPathFor(db), 'a journal that belongs to the bad file');
    const original = readFileSync(db);
    const m = await openRecorder();
    expect(m.monitor.status().role).toBe('recorder');
    const times = await recordSome(m, 5);
    await m.monitor.close();

    const told = m.sink.problems.filter((p) => p.key === 'database-set-aside');
    expect(told).toHaveLength(1);
    const aside = readdirSync(dir).filter((f) => /^vitals\.sqlite\.corrupt-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.test(f));
    expect(aside).toHaveLength(1);
    expect(told[0]!.message).toContain(aside[0]);
    expect(readFileSync(join(dir, aside[0]!))).toEqual(original);
    expect(readFileSync(join(dir, `${aside[0]}.journal`), 'utf8')).toBe('a journal that belongs to the bad file');

    const fresh = await Store.open({ path: db, mode: 'read', retention: config.retention });
    const recorded = (fresh.db.exec('SELECT t FROM sys_raw ORDER BY t')[0]?.values ?? []).map((r) => Number(r[0]));
    fresh.close();
    expect(recorded).toEqual(times);
  });

  it('a file from a newer schema: left in place, recording refused with a clear message, told once', async () => {
    await goodDatabase();
    const SQL = await loadSqlJs();
    const newer = new SQL.Database(readFileSync(db));
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    writeFileSync(db, newer.export());
    newer.close();
    const before = readFileSync(db);

    const m = await openRecorder();
    const status = m.monitor.status();
    expect(status.role).toBe('stopped');
    expect(status.recording).toBe(false);
    expect(status.problem).toMatch(/newer version of Vitals .*left untouched/);
    expect(await recordSome(m, 3)).toEqual([]);
    expect(() => m.monitor.history({ metrics: ['cpu.total'], from: 0, to: T0, maxPoints: 10 })).toThrow(/newer version/);
    // It does not hold the lock: another window is refused the same way rather than made to wait.
    expect(existsSync(lockPathFor(db))).toBe(false);
    const second = await openRecorder();
    expect(second.monitor.status().role).toBe('stopped');
    await second.monitor.close();
    await m.monitor.close();

    expect(m.sink.problems.filter((p) => p.key === 'newer-schema')).toEqual([expect.objectContaining({ severity: 'error' })]);
    expect(readFileSync(db)).toEqual(before);
    expect(readdirSync(dir).sort()).toEqual(['vitals.sqlite', 'vitals.sqlite.journal']); // the journal: empty, from before

    // The CLI says so in one line and exits 1.
    let err = '';
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    const o = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await main(['record', '--db', db, '--duration', '1']);
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
    expect(code).toBe(1);
    expect(err).toMatch(/^vitals: This history database was written by a newer version of Vitals.*\n$/);
    expect(readFileSync(db)).toEqual(before);
  });

  it('a checkpoint a crash cut short leaves its temp file: the previous database is used, the temp removed', async () => {
    await goodDatabase(10);
    const good = readFileSync(db);
    // What a kill in the middle of writing the next checkpoint leaves behind.
    writeFileSync(join(dir, '.vitals.sqlite.tmp-4242'), good.subarray(0, Math.floor(good.byteLength / 3)));
    const m = await openRecorder();
    expect(m.monitor.health().rowCounts.sys_raw).toBe(10);
    expect(m.sink.problems).toEqual([]);
    expect(existsSync(join(dir, '.vitals.sqlite.tmp-4242'))).toBe(false);
    await m.monitor.close();
  });
});
