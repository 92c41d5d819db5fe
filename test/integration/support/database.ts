// Reads the database file Vitals wrote, with sql.js as the extension itself does, from a copy in
// memory: the test only looks, never writes to the file.
import { readFileSync } from 'node:fs';
import initSqlJs from 'sql.js';

export interface DatabaseFacts {
  rowCounts: Record<string, number>;
  /** Newest system sample in the file. */
  newestSample: number | null;
  /** Whether the file holds the system sample taken at `t`. */
  hasSystemSample(t: number): boolean;
}

const TABLES = ['sys_raw', 'proc_raw', 'sys_1m', 'proc_1m', 'sys_1h', 'proc_1h', 'process', 'metric'] as const;

export async function readDatabaseFile(path: string): Promise<DatabaseFacts> {
  const SQL = await initSqlJs();
  const db = new SQL.Database(readFileSync(path));
  try {
    const scalar = (sql: string): number | null => {
      const v = db.exec(sql)[0]?.values[0]?.[0];
      return v === null || v === undefined ? null : Number(v);
    };
    const rowCounts: Record<string, number> = {};
    for (const t of TABLES) rowCounts[t] = scalar(`SELECT count(*) FROM ${t}`) ?? 0;
    const times = new Set((db.exec('SELECT t FROM sys_raw')[0]?.values ?? []).map((r) => Number(r[0])));
    return { rowCounts, newestSample: scalar('SELECT max(t) FROM sys_raw'), hasSystemSample: (t) => times.has(t) };
  } finally {
    db.close();
  }
}
