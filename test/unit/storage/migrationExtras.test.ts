// Schema 4 (the extras column of process frames: state, disk I/O, CPU of finished children) on a
// real version-1 file and journal (test/fixtures/storage/v1, written by the version-1 Store; see
// makeV1.ts), migrated through 2 and 3 to 4 in place; and the extras through the journal and rollups.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { exportHistory } from '../../../src/backend/queries/export';
import { decodeRecord, encodeRecord } from '../../../src/backend/storage/records';
import { SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { Store } from '../../../src/backend/storage/store';
import { ExtrasReader } from '../../../src/backend/storage/procExtras';
import { fromF16Bits, toF16Bits } from '../../../src/backend/storage/f16';
import { snapshotAt } from '../../support/synthetic';
import { copyV1Database, V1_END, sqlValue, sqlRows } from '../../support/v1Database';

const retention = defaultMonitorConfig().retention;
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-extras-'));
  path = join(dir, 'vitals.sqlite');
  copyV1Database(path);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rows = sqlRows;
const one = sqlValue;

describe('schema → 4 on a real version-1 file', () => {
  it('adds the extras column to every process frame table; what version 1 recorded reads as unknown', async () => {
    const s = await Store.open({ path, retention, now: () => V1_END });
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(4);
    expect(Number(one(s, 'PRAGMA user_version'))).toBe(SCHEMA_VERSION);
    for (const t of ['proc_raw', 'proc_1m', 'proc_1h']) expect(rows(s, `PRAGMA table_info(${t})`).map((r) => r[1])).toContain('x');
    // 76 checkpointed frames and 14 replayed from the version-1 journal (records without extras).
    expect(s.openReport.replayedRecords).toBe(14);
    expect(Number(one(s, 'SELECT count(*) FROM proc_raw'))).toBe(90);
    expect(Number(one(s, 'SELECT count(*) FROM proc_raw WHERE x IS NOT NULL'))).toBe(0);
    expect(one(s, 'PRAGMA integrity_check')).toBe('ok');

    // Recording goes on into the migrated file: new frames carry extras, the minute that mixes old
    // and new frames rolls up, and the export says "unknown" (empty) for the old, values for the new.
    let now = V1_END;
    for (; now < V1_END + 120_000; now += 2000) s.record(snapshotAt(now, 2000, { processes: 22 }));
    expect(Number(one(s, 'SELECT count(*) FROM proc_raw WHERE x IS NOT NULL'))).toBe(60);
    expect(Number(one(s, 'SELECT count(*) FROM proc_1m WHERE x IS NOT NULL'))).toBeGreaterThanOrEqual(1);
    const out = join(dir, 'p.ndjson');
    await exportHistory(s, { from: V1_END - 200_000, to: now, format: 'ndjson', scope: { kind: 'processes' }, outPath: out }, 2000);
    const exported = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { time: string; tier: string; state: string | null; writeBytes: number | null; name: string });
    const old = exported.filter((r) => Date.parse(r.time) < V1_END && r.tier === 'raw');
    const fresh = exported.filter((r) => Date.parse(r.time) >= V1_END && r.tier === 'raw');
    expect(old.length).toBeGreaterThan(0);
    expect(old.every((r) => r.state === null && r.writeBytes === null)).toBe(true);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((r) => r.state !== null)).toBe(true);
    expect(fresh.some((r) => (r.writeBytes ?? 0) > 1e6)).toBe(true);
    s.close();
  });

  it('keeps extras through the journal: a crash before the checkpoint loses none', async () => {
    let now = V1_END;
    const s = await Store.open({ path, retention, now: () => now });
    s.checkpoint(now);
    for (let i = 0; i < 5; i++) {
      now = V1_END + i * 2000;
      s.record(snapshotAt(now, 2000, { processes: 22 }));
    }
    s.flush(now);
    const before = rows(s, 'SELECT t, x FROM proc_raw WHERE x IS NOT NULL ORDER BY t');
    s.journal.close();
    const replayed = await Store.open({ path, retention, now: () => now });
    expect(replayed.openReport.replayedRecords).toBe(5);
    expect(rows(replayed, 'SELECT t, x FROM proc_raw WHERE x IS NOT NULL ORDER BY t')).toEqual(before);
    replayed.close();
  });
});

describe('extras encoding', () => {
  it('an interval record round-trips with its extras, and one without them (versions 1–3) decodes with x null', () => {
    const base = {
      kind: 'interval' as const,
      seq: 3,
      t: 1000,
      metrics: [],
      processes: [],
      sys: new Uint8Array([1, 2]),
      proc: new Uint8Array([3]),
    };
    const x = new Uint8Array([1, 11, 83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(decodeRecord(encodeRecord({ ...base, x }))).toEqual({ ...base, x });
    expect(decodeRecord(encodeRecord({ ...base, x: null }))).toEqual({ ...base, x: null });
  });

  it('half floats keep 3 significant digits over the range frames use, and NaN (unknown)', () => {
    for (const v of [0, 0.001, 0.5, 1, 3.14159, 99.99, 100, 1234.5, 60000])
      expect(Math.abs(fromF16Bits(toF16Bits(v)) - v)).toBeLessThanOrEqual(v * 0.001 + 1e-4);
    expect(fromF16Bits(toF16Bits(NaN))).toBeNaN();
    expect(fromF16Bits(toF16Bits(1e9))).toBe(Infinity);
  });

  it('a reader of a frame without extras answers unknown for every entry', () => {
    const r = new ExtrasReader(null, true);
    expect(r.present).toBe(false);
    expect([r.state(0), r.readBytes(0), r.writePeakBps(3), r.childCpu(1)]).toEqual(['', NaN, NaN, NaN]);
  });
});
