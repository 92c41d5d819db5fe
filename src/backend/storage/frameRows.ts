// Streams the (t, n, frame) rows of a frame table in time order: the inner loop of every query,
// rollup and export. sql.js's Statement.get() copies each blob out of SQLite's memory one byte at a
// time in JavaScript, which made reading rows cost 10× what SQLite itself spends (an hour of 4 KB
// process frames: 40 ms instead of 4 ms; BENCHMARKS.md). So where the module exposes its
// WebAssembly memory (sqljs.ts) and the C functions we need, rows are read through SQLite's C API
// and each frame is handed over as a view of that memory, without a copy. Otherwise, or on a
// Database from another sql.js instance, the plain sql.js path is used: same rows, same order.
import type { Database } from 'sql.js';
import { loadedSqlJs, type WasmMemory } from './sqljs';
import type { FrameTable } from './schema';

/**
 * A frame's bytes are valid only during the callback: copy them (`slice()`) to keep them. `x` is the
 * process frame's extras column (procExtras.ts) when the range asked for it and the row has one.
 */
export type FrameVisitor = (t: number, n: number, frame: Uint8Array, x: Uint8Array | null) => void;

export interface FrameRange {
  table: FrameTable;
  /** Rows with from <= t < to; with `after`, from < t < to. */
  from: number;
  to: number;
  after?: boolean;
  limit?: number;
  /** Also read the extras column (process tables only). */
  extras?: boolean;
}

/** The few C functions of SQLite that sql.js exports and this reader calls. */
interface SqliteC {
  _sqlite3_prepare_v2(db: number, sql: number, nByte: number, ppStmt: number, tail: number): number;
  _sqlite3_bind_double(stmt: number, index: number, value: number): number;
  _sqlite3_step(stmt: number): number;
  _sqlite3_column_double(stmt: number, col: number): number;
  _sqlite3_column_blob(stmt: number, col: number): number;
  _sqlite3_column_bytes(stmt: number, col: number): number;
  _sqlite3_finalize(stmt: number): number;
  _sqlite3_errmsg(db: number): number;
  _malloc(bytes: number): number;
  _free(ptr: number): void;
  stringToNewUTF8(s: string): number;
  UTF8ToString(ptr: number): string;
}

const C_FUNCTIONS: (keyof SqliteC)[] = [
  '_sqlite3_prepare_v2',
  '_sqlite3_bind_double',
  '_sqlite3_step',
  '_sqlite3_column_double',
  '_sqlite3_column_blob',
  '_sqlite3_column_bytes',
  '_sqlite3_finalize',
  '_sqlite3_errmsg',
  '_malloc',
  '_free',
  'stringToNewUTF8',
  'UTF8ToString',
];

const SQLITE_ROW = 100;
const SQLITE_DONE = 101;

function sqlFor(r: FrameRange): string {
  const n = r.table.endsWith('_raw') ? '1' : 'n';
  return `SELECT t, ${n}, v${r.extras ? ', x' : ''} FROM ${r.table} WHERE t ${r.after ? '>' : '>='} ? AND t < ? ORDER BY t${r.limit ? ` LIMIT ${Math.floor(r.limit)}` : ''}`;
}

interface Direct {
  c: SqliteC;
  memory: WasmMemory;
  dbPtr: number;
}

/** The direct path for this database, if this process's sql.js allows it. */
function direct(db: Database): Direct | undefined {
  const m = loadedSqlJs();
  if (!m?.memory || !(db instanceof m.SQL.Database)) return undefined;
  const api = m.SQL as unknown as Partial<Record<keyof SqliteC, unknown>>;
  if (C_FUNCTIONS.some((f) => typeof api[f] !== 'function')) return undefined;
  // sql.js keeps the sqlite3* handle in `db.db`; without it there is no direct path.
  const dbPtr = (db as unknown as { db?: unknown }).db;
  if (typeof dbPtr !== 'number' || dbPtr === 0) return undefined;
  return { c: m.SQL as unknown as SqliteC, memory: m.memory, dbPtr };
}

/** Set to force the sql.js path (tests compare both). */
let forcePlain = false;
export function useDirectFrameReads(on: boolean): void {
  forcePlain = !on;
}

/** Visits each row of the range in time order; returns how many it visited. */
export function eachFrame(db: Database, range: FrameRange, fn: FrameVisitor): number {
  const d = forcePlain ? undefined : direct(db);
  return d ? eachDirect(d, range, fn) : eachPlain(db, range, fn);
}

function eachPlain(db: Database, range: FrameRange, fn: FrameVisitor): number {
  const stmt = db.prepare(sqlFor(range));
  let rows = 0;
  try {
    stmt.bind([range.from, range.to]);
    while (stmt.step()) {
      const r = stmt.get();
      const x = range.extras ? (r[3] as Uint8Array | null) : null;
      fn(Number(r[0]), Number(r[1]), r[2] as Uint8Array, x && x.byteLength > 0 ? x : null);
      rows++;
    }
  } finally {
    stmt.free();
  }
  return rows;
}

function eachDirect({ c, memory, dbPtr }: Direct, range: FrameRange, fn: FrameVisitor): number {
  const fail = (what: string, rc: number): Error => new Error(`SQLite ${what} failed (${rc}): ${c.UTF8ToString(c._sqlite3_errmsg(dbPtr))}`);
  const sql = c.stringToNewUTF8(sqlFor(range));
  const out = c._malloc(4);
  let stmt: number;
  try {
    const rc = c._sqlite3_prepare_v2(dbPtr, sql, -1, out, 0);
    if (rc !== 0) throw fail('prepare', rc);
    stmt = new DataView(memory.buffer).getInt32(out, true);
  } finally {
    c._free(sql);
    c._free(out);
  }
  let rows = 0;
  try {
    c._sqlite3_bind_double(stmt, 1, range.from);
    c._sqlite3_bind_double(stmt, 2, range.to);
    let rc: number;
    while ((rc = c._sqlite3_step(stmt)) === SQLITE_ROW) {
      const ptr = c._sqlite3_column_blob(stmt, 2);
      const size = c._sqlite3_column_bytes(stmt, 2);
      const xSize = range.extras ? c._sqlite3_column_bytes(stmt, 3) : 0;
      const xPtr = xSize > 0 ? c._sqlite3_column_blob(stmt, 3) : 0;
      // memory.buffer is read after each step (and after the column calls, which may convert and
      // allocate): SQLite may have grown the memory in it.
      const buf = memory.buffer;
      fn(
        c._sqlite3_column_double(stmt, 0),
        c._sqlite3_column_double(stmt, 1),
        new Uint8Array(buf, ptr, size),
        xSize > 0 ? new Uint8Array(buf, xPtr, xSize) : null,
      );
      rows++;
    }
    if (rc !== SQLITE_DONE) throw fail('step', rc);
  } finally {
    c._sqlite3_finalize(stmt);
  }
  return rows;
}
