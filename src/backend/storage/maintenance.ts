// Everything that keeps the database bounded, done a little per interval so it never stalls:
// rollups of finished minutes and hours, retention per tier, pruning processes no frame refers to
// any more, and the size cap (oldest data evicted first). Driven by sample time, not wall time, so
// replaying a journal after a crash does exactly what the live recorder did.
import type { RetentionPolicy } from '../types';
import { HOUR, MINUTE, rollupHour, rollupMinute, type RollupResult } from './rollup';
import { FRAME_TABLES, type FrameTable } from './schema';
import type { Database } from './sqljs';

/** Work per step, small enough that one interval never pays for a backlog in one go. */
const ROLLUPS_PER_STEP = 10;
const DELETE_CHUNK = 200;
/** How long alert events are kept (within the size cap). */
export const EVENT_DAYS = 90;

export interface Cursors {
  /** Start of the next minute to roll up (everything before it is in sys_1m/proc_1m). */
  minute: number | null;
  /** Start of the next hour to roll up. */
  hour: number | null;
}

function scalar(db: Database, sql: string, params: (number | string)[] = []): number | null {
  const stmt = db.prepare(sql);
  try {
    stmt.bind(params);
    if (!stmt.step()) return null;
    const v = stmt.get()[0];
    return v === null || v === undefined ? null : Number(v);
  } finally {
    stmt.free();
  }
}

export function readCursors(db: Database): Cursors {
  const get = (k: string): number | null => {
    const v = scalar(db, 'SELECT value FROM meta WHERE key = ?', [k]);
    return v === null || Number.isNaN(v) ? null : v;
  };
  return { minute: get('rollup_minute'), hour: get('rollup_hour') };
}

function saveCursors(db: Database, c: Cursors): void {
  for (const [k, v] of [
    ['rollup_minute', c.minute],
    ['rollup_hour', c.hour],
  ] as const) {
    if (v !== null) db.run('INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)', [k, String(v)]);
  }
}

function touchProcesses(db: Database, r: RollupResult, keptUntil: number, rawUntil: (lastT: number) => number): void {
  const kept = new Set(r.kept);
  // Most processes of a bucket share their last-seen time and keep-until: one UPDATE per distinct
  // pair, not one per process (ids are our own integers, safe to inline).
  const groups = new Map<number, Map<number, number[]>>();
  for (const [id, lastT] of r.seen) {
    const until = kept.has(id) ? Math.max(keptUntil, rawUntil(lastT)) : rawUntil(lastT);
    let byUntil = groups.get(lastT);
    if (!byUntil) groups.set(lastT, (byUntil = new Map()));
    const ids = byUntil.get(until);
    if (ids) ids.push(id);
    else byUntil.set(until, [id]);
  }
  for (const [lastT, byUntil] of groups)
    for (const [until, ids] of byUntil)
      db.run(`UPDATE process SET last_seen = max(last_seen, ?), keep_until = max(keep_until, ?) WHERE id IN (${ids.join(',')})`, [
        lastT,
        until,
      ]);
}

/**
 * Processes with a VS Code role that may be in frames of `t` or later (their rows outlive every
 * frame that refers to them): the rollups keep them beside their top N.
 */
function vsCodeIds(db: Database, t: number): Set<number> {
  const out = new Set<number>();
  const stmt = db.prepare('SELECT id FROM process WHERE role_kind IS NOT NULL AND keep_until >= ?');
  try {
    stmt.bind([t]);
    while (stmt.step()) out.add(Number(stmt.get()[0]));
  } finally {
    stmt.free();
  }
  return out;
}

/** Rolls up finished minutes (then hours) up to the minute that contains `now`. */
function rollups(db: Database, now: number, policy: RetentionPolicy, cursors: Cursors): void {
  const currentMinute = Math.floor(now / MINUTE) * MINUTE;
  const rawUntil = (lastT: number): number => lastT + policy.rawProcessMinutes * MINUTE;
  if (cursors.minute === null) {
    const first = scalar(db, 'SELECT min(t) FROM sys_raw');
    cursors.minute = first === null ? currentMinute : Math.floor(first / MINUTE) * MINUTE;
  }
  for (let i = 0; i < ROLLUPS_PER_STEP && cursors.minute < currentMinute; i++) {
    // Skip straight over gaps (the monitor was not running) instead of visiting empty minutes.
    const next = scalar(db, 'SELECT min(t) FROM sys_raw WHERE t >= ?', [cursors.minute]);
    const nextP = scalar(db, 'SELECT min(t) FROM proc_raw WHERE t >= ?', [cursors.minute]);
    const n = Math.min(next ?? Infinity, nextP ?? Infinity);
    if (n >= currentMinute) {
      cursors.minute = currentMinute;
      break;
    }
    const start = Math.floor(n / MINUTE) * MINUTE;
    const r = rollupMinute(db, start, policy.topNMinute, vsCodeIds(db, start));
    if (r) touchProcesses(db, r, start + policy.minuteDays * 24 * HOUR, rawUntil);
    cursors.minute = start + MINUTE;
  }

  const rolledMinutesUntil = Math.floor(cursors.minute / HOUR) * HOUR;
  if (cursors.hour === null) {
    const first = scalar(db, 'SELECT min(t) FROM sys_1m');
    cursors.hour = first === null ? rolledMinutesUntil : Math.floor(first / HOUR) * HOUR;
  }
  for (let i = 0; i < ROLLUPS_PER_STEP && cursors.hour < rolledMinutesUntil; i++) {
    const next = scalar(db, 'SELECT min(t) FROM sys_1m WHERE t >= ?', [cursors.hour]);
    const nextP = scalar(db, 'SELECT min(t) FROM proc_1m WHERE t >= ?', [cursors.hour]);
    const n = Math.min(next ?? Infinity, nextP ?? Infinity);
    if (n >= rolledMinutesUntil) {
      cursors.hour = rolledMinutesUntil;
      break;
    }
    const start = Math.floor(n / HOUR) * HOUR;
    const r = rollupHour(db, start, policy.topNHour, vsCodeIds(db, start));
    if (r) touchProcesses(db, r, start + policy.hourDays * 24 * HOUR, rawUntil);
    cursors.hour = start + HOUR;
  }
  saveCursors(db, cursors);
}

/** Deletes up to one chunk of rows older than `cutoff`. Returns how many went. */
function deleteOldest(db: Database, table: FrameTable | 'process', cutoff: number): number {
  if (table === 'process') {
    db.run(`DELETE FROM process WHERE id IN (SELECT id FROM process WHERE keep_until < ? ORDER BY keep_until LIMIT ${DELETE_CHUNK})`, [
      cutoff,
    ]);
  } else {
    db.run(`DELETE FROM ${table} WHERE t IN (SELECT t FROM ${table} WHERE t < ? ORDER BY t LIMIT ${DELETE_CHUNK})`, [cutoff]);
  }
  return db.getRowsModified();
}

function retention(db: Database, now: number, policy: RetentionPolicy, cursors: Cursors): number {
  const day = 24 * HOUR;
  // Never drop a finer tier's rows before they have been rolled into the next one.
  const minuteDone = cursors.minute ?? -Infinity;
  const hourDone = cursors.hour ?? -Infinity;
  const cutoffs: [FrameTable | 'process', number][] = [
    ['sys_raw', Math.min(now - policy.rawSystemHours * HOUR, minuteDone)],
    ['proc_raw', Math.min(now - policy.rawProcessMinutes * MINUTE, minuteDone)],
    ['sys_1m', Math.min(now - policy.minuteDays * day, hourDone)],
    ['proc_1m', Math.min(now - policy.minuteDays * day, hourDone)],
    ['sys_1h', now - policy.hourDays * day],
    ['proc_1h', now - policy.hourDays * day],
    ['process', now],
  ];
  let deleted = 0;
  for (const [table, cutoff] of cutoffs) deleted += deleteOldest(db, table, cutoff);
  // Events are a few hundred bytes each: kept EVENT_DAYS whatever the sample tiers keep.
  db.run(
    `DELETE FROM event WHERE id IN (SELECT id FROM event WHERE ended IS NOT NULL AND ended < ? ORDER BY started LIMIT ${DELETE_CHUNK})`,
    [now - EVENT_DAYS * day],
  );
  return deleted + db.getRowsModified();
}

export function liveSizeBytes(db: Database): number {
  const pages = scalar(db, 'PRAGMA page_count') ?? 0;
  const free = scalar(db, 'PRAGMA freelist_count') ?? 0;
  const size = scalar(db, 'PRAGMA page_size') ?? 4096;
  return (pages - free) * size;
}

/** Evicts the oldest frames, whichever tier holds them, until the data fits under the cap. */
function enforceCap(db: Database, capBytes: number): number {
  let evicted = 0;
  // Leave headroom: a checkpoint writes whole pages and the next interval adds some.
  for (let i = 0; i < 5 && liveSizeBytes(db) > capBytes * 0.95; i++) {
    let oldest: { table: FrameTable; t: number } | undefined;
    for (const table of FRAME_TABLES) {
      const t = scalar(db, `SELECT min(t) FROM ${table}`);
      if (t !== null && (!oldest || t < oldest.t)) oldest = { table, t };
    }
    if (!oldest) {
      // No frames left to evict: the events go too, oldest first, rather than the cap being broken.
      db.run(`DELETE FROM event WHERE id IN (SELECT id FROM event ORDER BY started LIMIT ${DELETE_CHUNK})`);
      if (db.getRowsModified() === 0) break;
      continue;
    }
    const second = scalar(db, `SELECT t FROM ${oldest.table} ORDER BY t LIMIT 1 OFFSET ${DELETE_CHUNK}`);
    const n = deleteOldest(db, oldest.table, second ?? Infinity);
    evicted += n;
    if (n === 0) break;
  }
  return evicted;
}

export interface MaintenanceResult {
  deleted: number;
  evicted: number;
}

/** One bounded step of upkeep after recording an interval at `now`. Runs inside the caller's transaction. */
export function maintain(db: Database, now: number, policy: RetentionPolicy, cursors: Cursors): MaintenanceResult | undefined {
  // Everything here is keyed to finished minutes: between two minute boundaries there is nothing to do.
  if (cursors.minute !== null && now < cursors.minute + MINUTE) return undefined;
  rollups(db, now, policy, cursors);
  const deleted = retention(db, now, policy, cursors);
  return { deleted, evicted: enforceCap(db, policy.maxDatabaseMB * 1024 * 1024) };
}

/**
 * Free pages are given back once they are this share of the file. At the size cap, evictions free
 * up to ~10 % of the pages at a time and the next intervals fill them again: below this share they
 * are left for that; above it (history cleared, retention or cap lowered) they go.
 */
const RELEASE_SHARE = 1 / 8;

/**
 * Gives freed pages back so the file written next is hardly larger than the data. Must run outside a
 * transaction; called per checkpoint. A few free pages stay: SQLite reuses them for the next
 * intervals, while giving them back shrinks sql.js's in-memory file by copying it, and the next
 * interval that needs a page copies it again to grow it (a 64 MB database at its cap did both at
 * every checkpoint: 2.1x its size in memory for a moment).
 */
export function releaseFreePages(db: Database): void {
  const free = scalar(db, 'PRAGMA freelist_count') ?? 0;
  if (free > 0 && free >= (scalar(db, 'PRAGMA page_count') ?? 0) * RELEASE_SHARE) db.exec('PRAGMA incremental_vacuum');
}

export function tableRowCounts(db: Database): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of [...FRAME_TABLES, 'process', 'metric', 'event'] as const) out[t] = scalar(db, `SELECT count(*) FROM ${t}`) ?? 0;
  return out;
}
