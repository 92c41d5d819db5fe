import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { journalPathFor, NewerSchemaError, NotVitalsError, Store } from '../../../src/backend/storage/store';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { history } from '../../../src/backend/queries/history';
import { snapshotAt } from '../../support/synthetic';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const retention = defaultMonitorConfig().retention;
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-store-'));
  path = join(dir, 'vitals.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const count = (s: Store, table: string): number => Number(s.db.exec(`SELECT count(*) FROM ${table}`)[0]!.values[0]![0]);

describe('Store', () => {
  it('round-trips: record → checkpoint → reopen → query', async () => {
    const s = await Store.open({ path, retention });
    for (let i = 0; i < 10; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 20 }));
    s.checkpoint(T0 + 20_000);
    s.close();
    const r = await Store.open({ path, retention });
    expect(count(r, 'sys_raw')).toBe(10);
    expect(count(r, 'proc_raw')).toBe(10);
    expect(count(r, 'process')).toBeGreaterThanOrEqual(20);
    const h = history(r, { metrics: ['cpu.total', 'mem.total'], from: T0, to: T0 + 20_000, maxPoints: 100 }, 2000);
    expect(h.tier).toBe('raw');
    const mem = h.series['mem.total']!.avg.filter((v) => v !== null);
    expect(mem.length).toBeGreaterThan(0);
    expect(mem[0]).toBeCloseTo(16e9, -4);
    r.close();
  });

  it('loses at most the unflushed interval after a crash (journal replay)', async () => {
    const s = await Store.open({ path, retention });
    for (let i = 0; i < 5; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 10 }));
    s.checkpoint(T0 + 10_000);
    for (let i = 5; i < 12; i++) {
      s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 10 }));
      s.flush(T0 + i * 2000);
    }
    s.record(snapshotAt(T0 + 12 * 2000, 2000, { processes: 10 })); // never flushed
    // Crash: no checkpoint, no close — the in-memory database is simply gone.
    s.journal.close();
    const r = await Store.open({ path, retention });
    expect(r.openReport.replayedRecords).toBe(7);
    expect(count(r, 'sys_raw')).toBe(12);
    r.close();
  });

  it('drops a torn journal tail and keeps every intact record before it', async () => {
    const s = await Store.open({ path, retention });
    for (let i = 0; i < 6; i++) {
      s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 10 }));
      s.flush(T0 + i * 2000);
    }
    s.journal.close();
    const j = journalPathFor(path);
    const size = statSync(j).size;
    truncateSync(j, size - 7); // a write cut short in the last record
    const r = await Store.open({ path, retention });
    expect(r.openReport.replayedRecords).toBe(5);
    expect(r.openReport.droppedJournalBytes).toBeGreaterThan(0);
    expect(count(r, 'sys_raw')).toBe(5);
    r.close();
    // The tail was cut off the file, so the next append follows intact data.
    const again = await Store.open({ path, retention });
    expect(again.openReport.droppedJournalBytes).toBe(0);
    again.close();
  });

  it('does not replay records a checkpoint already holds (crash between rename and truncate)', async () => {
    const s = await Store.open({ path, retention });
    for (let i = 0; i < 4; i++) {
      s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 10 }));
      s.flush(T0 + i * 2000);
    }
    const journalBefore = readFileSync(journalPathFor(path));
    s.checkpoint(T0 + 8000);
    s.close();
    writeFileSync(journalPathFor(path), journalBefore); // as if the truncate never happened
    const r = await Store.open({ path, retention });
    expect(r.openReport.replayedRecords).toBe(0);
    expect(count(r, 'sys_raw')).toBe(4);
    r.close();
  });

  it('sets a corrupt, empty or non-SQLite file aside and starts fresh', async () => {
    for (const content of [Buffer.alloc(0), Buffer.from('hello, not a database'), Buffer.alloc(8192, 7)]) {
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir);
      writeFileSync(path, content);
      const seen: string[] = [];
      const s = await Store.open({ path, retention, onSetAside: (_o, aside) => seen.push(aside) });
      expect(seen).toHaveLength(1);
      expect(existsSync(seen[0]!)).toBe(true);
      expect(readFileSync(seen[0]!)).toEqual(content); // never modified
      s.record(snapshotAt(T0, 2000, { processes: 3 }));
      s.checkpoint(T0);
      s.close();
      expect(readdirSync(dir).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
    }
  });

  it('sets a truncated Vitals database aside', async () => {
    const s = await Store.open({ path, retention });
    for (let i = 0; i < 30; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 50 }));
    s.checkpoint(T0 + 60_000);
    s.close();
    truncateSync(path, Math.floor(statSync(path).size / 2));
    const seen: string[] = [];
    const r = await Store.open({ path, retention, onSetAside: (_o, _a, reason) => seen.push(reason) });
    expect(seen).toHaveLength(1);
    expect(count(r, 'sys_raw')).toBe(0);
    r.close();
  });

  it('refuses a file from a newer schema and leaves it untouched', async () => {
    const SQL = await loadSqlJs();
    const s = await Store.open({ path, retention });
    s.checkpoint(T0);
    s.close();
    const db = new SQL.Database(readFileSync(path));
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    writeFileSync(path, db.export());
    db.close();
    const before = readFileSync(path);
    await expect(Store.open({ path, retention })).rejects.toBeInstanceOf(NewerSchemaError);
    expect(readFileSync(path)).toEqual(before);
  });

  it('refuses (or sets aside) an SQLite file of another application', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('mine')");
    writeFileSync(path, db.export());
    db.close();
    const before = readFileSync(path);
    await expect(Store.open({ path, retention, foreign: 'refuse' })).rejects.toBeInstanceOf(NotVitalsError);
    await expect(Store.open({ path, retention, mode: 'read' })).rejects.toBeInstanceOf(NotVitalsError);
    expect(readFileSync(path)).toEqual(before);
  });

  it('migrates an empty file-less database to the current schema', async () => {
    const s = await Store.open({ path, retention });
    expect(Number(s.db.exec('PRAGMA user_version')[0]!.values[0]![0])).toBe(SCHEMA_VERSION);
    s.close();
  });

  it('clear() removes every sample durably', async () => {
    const s = await Store.open({ path, retention });
    for (let i = 0; i < 5; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 5 }));
    s.flush(T0 + 10_000);
    s.clear(T0 + 11_000);
    s.flush(T0 + 11_000);
    s.journal.close(); // crash before any checkpoint
    const r = await Store.open({ path, retention });
    expect(count(r, 'sys_raw')).toBe(0);
    expect(count(r, 'process')).toBe(0);
    r.close();
  });

  it('keeps failed journal writes queued, bounded, and counts what overflows', async () => {
    const s = await Store.open({ path, retention, writeQueueLimit: 3 });
    for (let i = 0; i < 5; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes: 5 }));
    expect(s.pendingRecords).toBe(3);
    expect(s.samplesDropped).toBe(2);
    s.close();
  });
});

describe('health', () => {
  it('reports the first real sample as the oldest, not the start of its rollup bucket', async () => {
    const { healthReport } = await import('../../../src/backend/queries/health');
    const s = await Store.open({ path, retention });
    const start = T0 + 54 * 60_000 + 10_000; // 10:54:10, two minutes of samples
    for (let t = start; t < start + 120_000; t += 2000) s.record(snapshotAt(t, 2000, { processes: 5 }));
    expect(count(s, 'sys_1m')).toBeGreaterThan(0);
    const h = healthReport(s, path, defaultMonitorConfig(), { role: 'recorder', recording: true });
    expect(h.oldestSample).toBe(start);
    expect(h.newestSample).toBe(start + 118_000);
    s.close();
  });
});
