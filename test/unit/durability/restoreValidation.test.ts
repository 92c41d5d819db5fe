// A backup that carries Vitals' application id and schema version but no tables: refused by
// restore (it is opened the way the recorder opens a database), and, met as the database itself,
// set aside like any unusable file instead of failing every query with "no such table: meta".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { InvalidBackupError, validateBackup } from '../../../src/backend/storage/backup';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { INFO, manualClock, recordingSink, removeDir, syntheticSamplers, tempDir } from './support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const config = defaultMonitorConfig({ sampleIntervalMs: 2000, flushIntervalMs: 2000, backupsKept: 0 });
let dir: string;
let db: string;
let hollow: string;

beforeEach(async () => {
  dir = tempDir('restore-validation');
  db = join(dir, 'vitals.sqlite');
  hollow = join(dir, 'hollow.sqlite');
  const SQL = await loadSqlJs();
  const h = new SQL.Database();
  h.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION}`);
  writeFileSync(hollow, h.export());
  h.close();
});
afterEach(() => removeDir(dir));

async function openRecorder() {
  const sink = recordingSink();
  const clock = manualClock(T0);
  const monitor = await Monitor.open({ dbPath: db, config, sink, clock, samplers: syntheticSamplers(6), info: INFO, autoStart: false });
  return { monitor, sink, clock };
}

describe('a backup with our id and version but no tables', () => {
  it('fails validation', async () => {
    const SQL = await loadSqlJs();
    expect(() => validateBackup(SQL, hollow)).toThrow(InvalidBackupError);
    expect(() => validateBackup(SQL, hollow)).toThrow(/schema is incomplete \(no table meta, metric, process, sys_raw/);
  });

  it('is refused by a running recorder, which records on into its own file', async () => {
    const r = await openRecorder();
    try {
      for (let i = 0; i < 3; i++) {
        r.clock.advance(2000);
        await r.monitor.tick();
      }
      await expect(r.monitor.restore(hollow)).rejects.toThrow(/cannot be restored: .*schema is incomplete/);
      r.clock.advance(2000);
      await r.monitor.tick();
      expect(r.monitor.status()).toMatchObject({ role: 'recorder', recording: true });
      expect(r.monitor.health().rowCounts.sys_raw).toBe(4);
    } finally {
      await r.monitor.close();
    }
    expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
  });

  it('as the database itself, is set aside and a fresh one recorded', async () => {
    const bytes = readFileSync(hollow);
    writeFileSync(db, bytes);
    const r = await openRecorder();
    try {
      expect(r.sink.problems.map((p) => p.key)).toEqual(['database-set-aside']);
      r.clock.advance(2000);
      await r.monitor.tick();
      expect(r.monitor.health().rowCounts.sys_raw).toBe(1);
    } finally {
      await r.monitor.close();
    }
    const aside = readdirSync(dir).find((f) => f.startsWith('vitals.sqlite.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside!))).toEqual(bytes);
    expect(existsSync(db)).toBe(true);
  });
});
