// The database layout, versioned with PRAGMA user_version and migrated forward only. A file from a
// newer Vitals is refused (never rewritten); a file that is not a Vitals database is never touched.
import type { Database } from './sqljs';

/** 'VTLS': marks the file as ours, so a stranger's SQLite file is never mistaken for history. */
export const APPLICATION_ID = 0x56544c53;
export const SCHEMA_VERSION = 4;

/** The tables that hold samples, finest first. Each row is one interval or one rollup bucket. */
export const FRAME_TABLES = ['sys_raw', 'proc_raw', 'sys_1m', 'proc_1m', 'sys_1h', 'proc_1h'] as const;
export type FrameTable = (typeof FRAME_TABLES)[number];

/** Every table a database of SCHEMA_VERSION has. */
const REQUIRED_TABLES: readonly string[] = ['meta', 'metric', 'process', ...FRAME_TABLES, 'event'];

const MIGRATIONS: ((db: Database) => void)[] = [
  // 0 → 1
  (db) => {
    db.exec(`
      CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE metric(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      CREATE TABLE process(
        id INTEGER PRIMARY KEY,
        pid INTEGER NOT NULL,
        start_time INTEGER NOT NULL,
        ppid INTEGER NOT NULL,
        name TEXT NOT NULL,
        command TEXT NOT NULL,
        user TEXT NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        -- the row may go once no retained frame can refer to it
        keep_until INTEGER NOT NULL,
        UNIQUE(pid, start_time)
      );
      CREATE INDEX process_name ON process(name);
      CREATE INDEX process_keep_until ON process(keep_until);
      CREATE TABLE sys_raw(t INTEGER PRIMARY KEY, v BLOB NOT NULL);
      CREATE TABLE proc_raw(t INTEGER PRIMARY KEY, v BLOB NOT NULL);
      CREATE TABLE sys_1m(t INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB NOT NULL);
      CREATE TABLE proc_1m(t INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB NOT NULL);
      CREATE TABLE sys_1h(t INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB NOT NULL);
      CREATE TABLE proc_1h(t INTEGER PRIMARY KEY, n INTEGER NOT NULL, v BLOB NOT NULL);
    `);
  },
  // 1 → 2: what each process is to VS Code (src/backend/vscode/), learnt while it runs. In place:
  // added columns are NULL for the processes recorded before, which had no role.
  (db) => {
    db.exec(`
      ALTER TABLE process ADD COLUMN role_kind TEXT;
      ALTER TABLE process ADD COLUMN role_detail TEXT;
      ALTER TABLE process ADD COLUMN extension_id TEXT;
      ALTER TABLE process ADD COLUMN extension_name TEXT;
      ALTER TABLE process ADD COLUMN host_pid INTEGER;
      CREATE INDEX process_role_kind ON process(role_kind) WHERE role_kind IS NOT NULL;
      CREATE INDEX process_extension_id ON process(extension_id) WHERE extension_id IS NOT NULL;
    `);
  },
  // 2 → 3: alert events (src/backend/alerts/), one row per alert, rewritten when it ends. The
  // culprit's pids and names are columns of their own so SQL users can find "what did pid 42 do";
  // the whole culprit and the rule's details are JSON, as the alert carries them.
  (db) => {
    db.exec(`
      CREATE TABLE event(
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        culprit_key TEXT NOT NULL,
        started INTEGER NOT NULL,
        ended INTEGER,
        peak REAL NOT NULL,
        unit TEXT NOT NULL,
        pids TEXT NOT NULL,
        names TEXT NOT NULL,
        culprit TEXT NOT NULL,
        text TEXT NOT NULL,
        details TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX event_started ON event(started);
      `);
  },
  // 3 → 4: the process frames' extras column (procExtras.ts: state, disk I/O, CPU of finished
  // children), parallel to v. In place: frames recorded before have x NULL, read as "unknown".
  (db) => {
    db.exec(`
      ALTER TABLE proc_raw ADD COLUMN x BLOB;
      ALTER TABLE proc_1m ADD COLUMN x BLOB;
      ALTER TABLE proc_1h ADD COLUMN x BLOB;
    `);
  },
];

export class NewerSchemaError extends Error {
  constructor(readonly found: number) {
    super(
      `This history database was written by a newer version of Vitals (schema ${found}, this version knows ${SCHEMA_VERSION}). ` +
        'It was left untouched; update Vitals to record into it.',
    );
    this.name = 'NewerSchemaError';
  }
}

export class NotVitalsError extends Error {
  constructor(reason: string) {
    super(`Not a Vitals history database: ${reason}.`);
    this.name = 'NotVitalsError';
  }
}

const SQLITE_HEADER = 'SQLite format 3\0';

/** Whether these bytes (a whole file, or at least its first 100 bytes) begin like an SQLite database. */
export function looksLikeSqlite(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 100) return false;
  return new TextDecoder().decode(bytes.subarray(0, 16)) === SQLITE_HEADER;
}

/**
 * Runs `PRAGMA integrity_check` or `quick_check`; undefined when the file is sound, else its findings
 * on one line (SQLite reports up to 100 problems, one per row and some spanning lines: a user needs
 * the first few, not a screenful).
 */
export function integrityProblem(db: Database, pragma: 'integrity_check' | 'quick_check'): string | undefined {
  const rows = (db.exec(`PRAGMA ${pragma}`)[0]?.values ?? []).map((r) => String(r[0] ?? ''));
  if (rows.length === 1 && rows[0] === 'ok') return undefined;
  const findings = rows
    .flatMap((r) => r.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^\*\*\* in database \w+ \*\*\*$/.test(l));
  const shown = findings.slice(0, 3).join('; ');
  return findings.length > 3 ? `${shown}; and ${findings.length - 3} more` : shown || 'no result';
}

function pragmaNumber(db: Database, name: string): number {
  const r = db.exec(`PRAGMA ${name}`);
  return Number(r[0]?.values[0]?.[0] ?? 0);
}

/** Prepares a brand-new, empty database: page layout first (it cannot change once tables exist). */
export function initializeEmpty(db: Database): void {
  // Frames are a few KB each (4.2 KB raw at 300 processes): 32 KB pages hold several, where 8 KB
  // pages held one and left the rest empty (an hour of raw frames: 10 MB instead of 16 MB).
  db.exec('PRAGMA page_size = 32768; PRAGMA auto_vacuum = INCREMENTAL; VACUUM;');
  db.exec(`PRAGMA application_id = ${APPLICATION_ID}`);
}

/** Checks a loaded file is ours and brings it to SCHEMA_VERSION. Throws NotVitalsError / NewerSchemaError. */
export function migrate(db: Database): { from: number; to: number } {
  const appId = pragmaNumber(db, 'application_id');
  const version = pragmaNumber(db, 'user_version');
  const tables = Number(db.exec("SELECT count(*) FROM sqlite_master WHERE type = 'table'")[0]?.values[0]?.[0] ?? 0);
  if (appId !== APPLICATION_ID) {
    if (appId !== 0 || tables > 0 || version !== 0) throw new NotVitalsError('it is an SQLite database of another application');
    initializeEmpty(db);
  }
  if (version > SCHEMA_VERSION) throw new NewerSchemaError(version);
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.exec('BEGIN');
    try {
      MIGRATIONS[v]!(db);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
  // A file can carry our id and version and still lack tables (cut short, or made by hand): it would
  // open, then fail at the first query ("no such table: meta").
  const present = new Set((db.exec("SELECT name FROM sqlite_master WHERE type = 'table'")[0]?.values ?? []).map((r) => String(r[0])));
  const missing = REQUIRED_TABLES.filter((t) => !present.has(t));
  if (missing.length > 0) throw new Error(`the schema is incomplete (no table ${missing.join(', ')})`);
  return { from: version, to: SCHEMA_VERSION };
}
