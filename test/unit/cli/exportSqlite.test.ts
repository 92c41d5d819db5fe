// `vitals export --format sqlite` of a real recording (real /proc), read back by Debian's `sqlite3`
// and by sql.js: the same rows as the CSV export of the same range, ppid as /proc has it, the
// indexes, the meta table, and values at measured precision (no float32 noise).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { EXPORT_APPLICATION_ID } from '../../../src/backend/queries/exportTarget';
import { SQLITE_EXPORT_VERSION } from '../../../src/backend/queries/exportSqlite';
import { runCli } from './support/inProcess';

let dir: string;
let db: string;
const FROM = '2000-01-01T00:00:00Z';
let to: string;

async function exportTo(out: string, format: string, ...more: string[]): Promise<{ rows: number }> {
  const r = await runCli('export', '--db', db, '--format', format, '--from', FROM, '--to', to, '--out', out, ...more);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return { rows: Number(/^Wrote (\d+) rows/.exec(r.out)?.[1]) };
}

/** Rows of a query as Debian's sqlite3 prints them with -json. */
function sqlite3(file: string, sql: string): Record<string, unknown>[] {
  const out = execFileSync('sqlite3', ['-readonly', '-json', file, sql], { encoding: 'utf8' });
  return out.trim() === '' ? [] : (JSON.parse(out) as Record<string, unknown>[]);
}

function sqlite3Text(file: string, sql: string): string {
  return execFileSync('sqlite3', ['-readonly', '-csv', file, sql], { encoding: 'utf8' });
}

/** CSV records, quoted fields (command lines with commas, quotes, newlines) included. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',' || c === '\n') {
      row.push(field);
      field = '';
      if (c === '\n') {
        rows.push(row);
        row = [];
      }
    } else field += c;
  }
  return rows;
}

/** This process's parent as /proc has it. */
function ppidOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

/** More than two decimals: a float32 printed as a float64 (7.820000171661377). */
const NOISE = /\.\d{3,}/;

let file: string;
let systemCsv: string[][];
let processCsv: string[][];
let processCsvRows: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-export-sqlite-'));
  db = join(dir, 'rec.sqlite');
  const rec = await runCli('record', '--db', db, '--interval', '0.5', '--duration', '3');
  expect(rec.code).toBe(0);
  to = new Date(Date.now() + 3_600_000).toISOString();
  file = join(dir, 'history.sqlite');
  await exportTo(file, 'sqlite');
  await exportTo(join(dir, 'system.csv'), 'csv', '--scope', 'system');
  processCsvRows = (await exportTo(join(dir, 'processes.csv'), 'csv', '--scope', 'processes')).rows;
  systemCsv = parseCsv(readFileSync(join(dir, 'system.csv'), 'utf8')).slice(1);
  processCsv = parseCsv(readFileSync(join(dir, 'processes.csv'), 'utf8')).slice(1);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('export --format sqlite', () => {
  it("Debian's sqlite3 reads it: the CSV's rows, sound, with its indexes", () => {
    expect(sqlite3(file, 'PRAGMA integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(processCsv.length).toBe(processCsvRows);
    expect(systemCsv.length).toBeGreaterThan(100);
    const [counts] = sqlite3(file, 'SELECT (SELECT count(*) FROM system_samples) AS sys, (SELECT count(*) FROM process_samples) AS proc');
    expect(counts).toEqual({ sys: systemCsv.length, proc: processCsv.length });
    const indexes = sqlite3(file, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'");
    expect(indexes).toEqual(
      expect.arrayContaining([
        { name: 'system_samples_time', tbl_name: 'system_samples' },
        { name: 'process_samples_time', tbl_name: 'process_samples' },
        { name: 'process_samples_process', tbl_name: 'process_samples' },
      ]),
    );
    // The (pid, start_time) index is what a query for one process uses.
    const plan = sqlite3Text(file, 'EXPLAIN QUERY PLAN SELECT * FROM process_samples WHERE pid = 1 AND start_time = 0');
    expect(plan).toContain('process_samples_process');
  });

  it('holds the same values as the CSV, row for row', () => {
    const sys = sqlite3Text(file, 'SELECT time_iso, tier, metric, avg, min, max FROM system_samples ORDER BY rowid');
    // sqlite3 prints a REAL that is whole as 42.0; the CSV writes 42.
    const norm = (f: string): string => f.replace(/^(-?\d+)\.0$/, '$1');
    const fromSqlite = parseCsv(sys).map((r) => r.map(norm).join(','));
    expect(fromSqlite).toEqual(systemCsv.map((r) => r.join(',')));
    // Process rows: times, pids, CPU and memory (command lines compared in full below, with sql.js).
    const procs = parseCsv(
      sqlite3Text(file, 'SELECT time_iso, tier, pid, ppid, cpu_percent, memory_bytes, threads FROM process_samples ORDER BY rowid'),
    ).map((r) => r.map(norm).join(','));
    expect(procs).toEqual(processCsv.map((r) => [r[0], r[1], r[2], r[3], r[7], r[9], r[11]].join(',')));
  });

  it('carries ppid as /proc has it, and a processes table for every process sampled', () => {
    const mine = sqlite3(file, `SELECT DISTINCT ppid, start_time FROM process_samples WHERE pid = ${process.pid}`);
    expect(mine).toEqual([{ ppid: ppidOf(process.pid), start_time: expect.any(Number) }]);
    const [proc] = sqlite3(file, `SELECT ppid, name, first_seen <= last_seen AS ordered FROM processes WHERE pid = ${process.pid}`);
    expect(proc).toMatchObject({ ppid: ppidOf(process.pid), ordered: 1 });
    const orphans = sqlite3(
      file,
      'SELECT count(*) AS n FROM process_samples s WHERE pid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM processes p WHERE p.pid = s.pid AND p.start_time = s.start_time)',
    );
    expect(orphans).toEqual([{ n: 0 }]);
    const [n] = sqlite3(file, 'SELECT count(*) AS n, count(DISTINCT pid) AS pids FROM processes');
    expect(n!.n).toBeGreaterThan(3);
  });

  it('prints values at measured precision, typed for analysis tools', () => {
    const text =
      sqlite3Text(file, 'SELECT avg, min, max FROM system_samples') +
      sqlite3Text(file, 'SELECT cpu_percent, cpu_max_percent FROM process_samples');
    const nums = text.split(/[,\n]/).filter((s) => s !== '');
    // Enough values to see noise in: a few seconds of every process on the machine (a quiet CI box has ~60).
    expect(nums.length).toBeGreaterThan(300);
    expect(nums.filter((s) => NOISE.test(s)).slice(0, 5)).toEqual([]);
    // Some percentages keep their decimals: rounded to 2 places, not to whole numbers.
    expect(sqlite3(file, "SELECT count(*) AS n FROM system_samples WHERE metric = 'cpu.total' AND avg != round(avg)")[0]!.n).not.toBe(0);
    const types = sqlite3(
      file,
      'SELECT DISTINCT typeof(time) AS t, typeof(memory_bytes) AS m, typeof(cpu_percent) AS c, typeof(pid) AS p FROM process_samples WHERE pid IS NOT NULL',
    );
    expect(types).toEqual([{ t: 'integer', m: 'integer', c: 'real', p: 'integer' }]);
    const [t] = sqlite3(file, 'SELECT min(time) AS ms, min(time_iso) AS iso FROM system_samples');
    expect(new Date(String(t!.iso)).getTime()).toBe(t!.ms);
  });

  it('sql.js opens it too: the same rows, commands as in the CSV, and its meta table', async () => {
    const SQL = await loadSqlJs();
    const x = new SQL.Database(readFileSync(file));
    try {
      const one = (sql: string): unknown => x.exec(sql)[0]?.values[0]?.[0];
      expect(one('PRAGMA application_id')).toBe(EXPORT_APPLICATION_ID);
      expect(one('PRAGMA user_version')).toBe(SQLITE_EXPORT_VERSION);
      expect(one('SELECT count(*) FROM system_samples')).toBe(systemCsv.length);
      const commands = x.exec('SELECT command, name, user FROM process_samples ORDER BY rowid')[0]!.values.map((r) => r.join('\u0000'));
      expect(commands).toEqual(processCsv.map((r) => [r[18], r[5], r[6]].join('\u0000')));
      const meta = Object.fromEntries(x.exec('SELECT key, value FROM meta')[0]!.values.map(([k, v]) => [String(k), String(v)]));
      expect(meta).toMatchObject({ format: 'vitals-export', scope: 'all', from: '2000-01-01T00:00:00.000Z', to, source: db });
      expect(meta.vitals_version).toMatch(/^\d+\.\d+\.\d+/);
      expect(Number(meta.rows)).toBe(systemCsv.length + processCsv.length);
      const tiers = JSON.parse(meta.tiers!) as { table: string; tier: string }[];
      expect(tiers.map((s) => s.table)).toEqual(expect.arrayContaining(['system_samples', 'process_samples']));
      expect(tiers.map((s) => s.tier)).toContain('raw');
    } finally {
      x.close();
    }
  });

  it('scopes narrow it: system only, processes of one pid', async () => {
    const sys = join(dir, 'sys.sqlite');
    await exportTo(sys, 'sqlite', '--scope', 'system');
    expect(sqlite3(sys, 'SELECT (SELECT count(*) FROM system_samples) AS s, (SELECT count(*) FROM process_samples) AS p')).toEqual([
      { s: systemCsv.length, p: 0 },
    ]);
    const mine = join(dir, 'mine.sqlite');
    await exportTo(mine, 'sqlite', '--scope', `pid:${process.pid}`);
    const rows = sqlite3(mine, 'SELECT DISTINCT pid FROM process_samples UNION ALL SELECT pid FROM processes');
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(r.pid).toBe(process.pid);
  });

  it('replaces an earlier SQLite export, never another SQLite file', async () => {
    const again = join(dir, 'again.sqlite');
    copyFileSync(file, again);
    await exportTo(again, 'sqlite', '--scope', 'system');
    expect(sqlite3(again, 'SELECT count(*) AS n FROM process_samples')).toEqual([{ n: 0 }]);
    // A copy of the history database (or any other application's SQLite file) is refused.
    const other = join(dir, 'copy-of-history.sqlite');
    copyFileSync(db, other);
    const before = readFileSync(other);
    const r = await runCli('export', '--db', db, '--format', 'sqlite', '--out', other);
    expect(r.code).toBe(1);
    expect(r.err).toContain('it is an SQLite database, which an export must not replace');
    expect(readFileSync(other).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.export-'))).toEqual([]);
  });

  it('scope all is for sqlite only: a usage error for the text formats', async () => {
    const out = join(dir, 'all.csv');
    const r = await runCli('export', '--db', db, '--format', 'csv', '--scope', 'all', '--out', out);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--scope all needs --format sqlite');
    expect(existsSync(out)).toBe(false);
  });
});
