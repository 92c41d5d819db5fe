// Frame rows read straight from SQLite's memory must be exactly the rows sql.js returns, and every
// query must answer the same through either path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { SqlJsStatic } from 'sql.js';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { eachFrame, useDirectFrameReads, type FrameRange } from '../../../src/backend/storage/frameRows';
import { FRAME_TABLES, type FrameTable } from '../../../src/backend/storage/schema';
import { Store } from '../../../src/backend/storage/store';
import { history } from '../../../src/backend/queries/history';
import { processHistory, topProcesses } from '../../../src/backend/queries/processes';
import { snapshotAt } from '../../support/synthetic';

const STEP = 2000;
const T0 = Date.UTC(2026, 0, 5, 0, 0, 0);
const INTERVALS = 2 * 1800; // two hours: raw, minute and hourly rows
let dir: string;
let store: Store;

interface Row {
  t: number;
  n: number;
  bytes: number[];
}

function collect(range: FrameRange, direct: boolean): { rows: Row[]; views: boolean[] } {
  useDirectFrameReads(direct);
  const rows: Row[] = [];
  const views: boolean[] = [];
  try {
    eachFrame(store.db, range, (t, n, frame) => {
      rows.push({ t, n, bytes: Array.from(frame) });
      views.push(frame.buffer.byteLength > frame.byteLength);
    });
  } finally {
    useDirectFrameReads(true);
  }
  return { rows, views };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-frame-rows-'));
  store = await Store.open({ path: join(dir, 'v.sqlite'), retention: defaultMonitorConfig().retention });
  for (let i = 0; i < INTERVALS; i++) store.record(snapshotAt(T0 + i * STEP, STEP, { processes: 60, churn: 2 }));
}, 120_000);

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('eachFrame', () => {
  it.each(FRAME_TABLES.map((t) => [t]))('reads %s identically through SQLite memory and through sql.js', (table: FrameTable) => {
    const range = { table, from: T0, to: T0 + INTERVALS * STEP };
    const direct = collect(range, true);
    const plain = collect(range, false);
    expect(direct.rows.length).toBeGreaterThan(0);
    expect(direct.rows).toEqual(plain.rows);
    // The direct path hands out views of the WebAssembly memory, sql.js hands out copies.
    expect(direct.views.every(Boolean)).toBe(true);
    expect(plain.views.some(Boolean)).toBe(false);
    if (!table.endsWith('_raw')) expect(direct.rows.every((r) => r.n > 1)).toBe(true);
  });

  it('honours exclusive starts and limits (export reads in chunks)', () => {
    const all = collect({ table: 'sys_raw', from: T0, to: T0 + INTERVALS * STEP }, true).rows;
    const after = all[9]!.t;
    const chunk = collect({ table: 'sys_raw', from: after, to: Infinity, after: true, limit: 5 }, true).rows;
    expect(chunk.map((r) => r.t)).toEqual(all.slice(10, 15).map((r) => r.t));
    expect(collect({ table: 'sys_raw', from: after, to: Infinity, after: true, limit: 5 }, false).rows).toEqual(chunk);
  });

  it('answers every query the same through either path', () => {
    const to = T0 + INTERVALS * STEP;
    const busiest = topProcesses(store, { from: T0, to, by: 'cpu', limit: 5 }, STEP);
    expect(busiest.length).toBe(5);
    const queries = (): unknown[] => [
      history(store, { metrics: ['cpu.total', 'mem.used', 'net.rx'], from: T0, to, maxPoints: 400 }, STEP),
      history(store, { metrics: ['cpu.total'], from: to - 20 * 60_000, to, maxPoints: 400 }, STEP),
      topProcesses(store, { from: T0, to, by: 'memory', limit: 20 }, STEP),
      processHistory(
        store,
        { select: { kind: 'process', pid: busiest[0]!.pid, startTime: busiest[0]!.startTime }, from: T0, to, maxPoints: 300 },
        STEP,
      ),
      processHistory(store, { select: { kind: 'name', name: busiest[1]!.name }, from: to - 30 * 60_000, to, maxPoints: 300 }, STEP),
    ];
    const direct = queries();
    useDirectFrameReads(false);
    try {
      expect(queries()).toEqual(direct);
    } finally {
      useDirectFrameReads(true);
    }
  });

  it('falls back to sql.js for a database of another sql.js instance', async () => {
    // sql.js caches its module: its asm.js build is a genuinely separate instance.
    const initAsm = createRequire(import.meta.url)('sql.js/dist/sql-asm.js') as () => Promise<SqlJsStatic>;
    const other = await initAsm();
    store.checkpoint(T0 + INTERVALS * STEP);
    const db = new other.Database(readFileSync(join(dir, 'v.sqlite')));
    try {
      const rows: number[] = [];
      const views: boolean[] = [];
      eachFrame(db, { table: 'sys_1m', from: 0, to: Infinity }, (t, _n, frame) => {
        rows.push(t);
        views.push(frame.buffer.byteLength > frame.byteLength);
      });
      expect(rows).toEqual(collect({ table: 'sys_1m', from: 0, to: Infinity }, true).rows.map((r) => r.t));
      expect(views.some(Boolean)).toBe(false);
    } finally {
      db.close();
    }
  });

  it('reports SQLite errors with its message and leaves the database usable', () => {
    const db = store.db;
    db.exec('CREATE TABLE sys_gone(t INTEGER PRIMARY KEY, v BLOB)');
    db.exec('DROP TABLE sys_gone');
    expect(() => eachFrame(db, { table: 'sys_gone' as FrameTable, from: 0, to: 1 }, () => undefined)).toThrow(/no such table: sys_gone/);
    expect(collect({ table: 'sys_1h', from: 0, to: Infinity }, true).rows.length).toBeGreaterThan(0);
  });
});
