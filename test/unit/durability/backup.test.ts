// Backups and restore: consistent copies (Back Up Now, daily, keeping the last N), restore validated
// before anything is replaced, the current file kept, the recorder switching over in place — in the
// backend and through the CLI, also while a real recorder process runs.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, openSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { defaultMonitorConfig, type MonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { backupsDirFor, DAY_MS, listBackups } from '../../../src/backend/storage/backup';
import { SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import {
  bundleCli,
  bundleFixture,
  INFO,
  integrityOf,
  manualClock,
  recordingSink,
  removeDir,
  syntheticSamplers,
  tempDir,
  waitFor,
} from './support/harness';
import { runCli } from '../cli/support/inProcess';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
let dir: string;
let db: string;

beforeEach(() => {
  dir = tempDir('backup');
  db = join(dir, 'vitals.sqlite');
});
afterEach(() => removeDir(dir));

async function recorder(overrides: Partial<MonitorConfig> = {}) {
  const config = defaultMonitorConfig({
    sampleIntervalMs: 2000,
    flushIntervalMs: 2000,
    checkpointIntervalMs: 3_600_000,
    backupsKept: 0,
    ...overrides,
  });
  const sink = recordingSink();
  const clock = manualClock(T0);
  const monitor = await Monitor.open({ dbPath: db, config, sink, clock, samplers: syntheticSamplers(10), info: INFO, autoStart: false });
  const times: number[] = [];
  const tick = async (ms = 2000): Promise<number> => {
    clock.advance(ms);
    const s = await monitor.tick();
    if (s) times.push(s.t);
    return s?.t ?? NaN;
  };
  return { monitor, sink, clock, times, tick, config };
}

async function timesIn(path: string): Promise<number[]> {
  const s = await Store.open({ path, mode: 'read', retention: defaultMonitorConfig().retention });
  try {
    return (s.db.exec('SELECT t FROM sys_raw ORDER BY t')[0]?.values ?? []).map((r) => Number(r[0]));
  } finally {
    s.close();
  }
}

describe('backups', () => {
  it('Back Up Now writes a consistent copy of everything recorded, unflushed intervals included', async () => {
    const r = await recorder({ flushIntervalMs: 60_000 });
    for (let i = 0; i < 6; i++) await r.tick();
    const b = await r.monitor.backupNow();
    expect(b.path.startsWith(backupsDirFor(db))).toBe(true);
    expect(basename(b.path)).toBe('vitals-2026-01-05T10-00-12-000Z.sqlite');
    expect(b.createdAt).toBe(r.clock.now());
    expect(b.sizeBytes).toBe(statSync(b.path).size);
    expect(await integrityOf(b.path)).toBe('ok');
    expect(await timesIn(b.path)).toEqual(r.times);
    expect(await r.monitor.listBackups()).toEqual([b]);
    await r.monitor.close();
  });

  it('backs up automatically once a day, keeping the newest N; 0 turns it off', async () => {
    const r = await recorder({ backupsKept: 3 });
    for (let day = 0; day < 6; day++) {
      // Several checkpoints a day; one backup a day.
      for (let h = 0; h < 3; h++) await r.tick(8 * 3_600_000);
    }
    const backups = listBackups(db);
    expect(backups).toHaveLength(3);
    for (const b of backups) expect(await integrityOf(b.path)).toBe('ok');
    const gaps = backups.slice(1).map((b, i) => backups[i]!.createdAt - b.createdAt);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(DAY_MS);
    expect(backups[0]!.createdAt).toBeGreaterThan(r.clock.now() - DAY_MS);
    await r.monitor.close();

    removeDir(backupsDirFor(db));
    const off = await recorder({ backupsKept: 0 });
    for (let i = 0; i < 4; i++) await off.tick(12 * 3_600_000);
    await off.monitor.close();
    expect(existsSync(backupsDirFor(db))).toBe(false);
  });
});

describe('restore', () => {
  it('refuses a backup that is not sound, and changes nothing', async () => {
    const r = await recorder();
    for (let i = 0; i < 4; i++) await r.tick();
    const good = await r.monitor.backupNow();
    await r.tick();
    const SQL = await loadSqlJs();
    const make = (name: string, bytes: Uint8Array | string): string => {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      return p;
    };
    const newer = new SQL.Database(readFileSync(good.path));
    newer.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    const other = new SQL.Database();
    other.exec('CREATE TABLE notes(x)');
    const truncated = join(dir, 'truncated.sqlite');
    copyFileSync(good.path, truncated);
    truncateSync(truncated, Math.floor(good.sizeBytes / 2));
    const corrupt = Buffer.from(readFileSync(good.path));
    for (let i = 8192; i < corrupt.byteLength; i += 5) corrupt[i] = 0x5a;
    const cases: [string, RegExp][] = [
      [join(dir, 'missing.sqlite'), /no such file/],
      [make('empty.sqlite', ''), /the file is empty/],
      [make('text.sqlite', 'not a database\n'.repeat(20)), /not an SQLite database/],
      [truncated, /integrity check failed|does not open/],
      [make('corrupt.sqlite', corrupt), /integrity check failed|does not open/],
      [make('other.sqlite', other.export()), /not a Vitals history database/],
      [make('newer.sqlite', newer.export()), /newer Vitals/],
    ];
    newer.close();
    other.close();
    const fileBefore = readFileSync(db);
    const journalBefore = readFileSync(journalPathFor(db));
    for (const [path, reason] of cases) {
      await expect(r.monitor.restore(path), path).rejects.toThrow(reason);
      await expect(r.monitor.restore(path)).rejects.toThrow(/Nothing was changed/);
    }
    expect(readFileSync(db)).toEqual(fileBefore);
    expect(readFileSync(journalPathFor(db))).toEqual(journalBefore);
    expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
    // Still recording.
    const t = await r.tick();
    await r.monitor.close();
    expect(await timesIn(db)).toContain(t);
  });

  it('replaces the history with the backup, keeps the current one beside it, and records on without a restart', async () => {
    const r = await recorder();
    for (let i = 0; i < 4; i++) await r.tick();
    const backup = await r.monitor.backupNow();
    const atBackup = [...r.times];
    for (let i = 0; i < 5; i++) await r.tick(); // flushed to the journal only
    const beforeRestore = [...r.times];

    const status = await r.monitor.restore(backup.path);
    expect(status.role).toBe('recorder');
    expect(status.recording).toBe(true);
    expect(r.sink.statuses.at(-1)).toEqual(status);
    const kept = readdirSync(dir).filter((f) => /^vitals\.sqlite\.before-restore-\d{4}-\d{2}-\d{2}T[\d-]+Z$/.test(f));
    expect(kept).toHaveLength(1);
    expect(await timesIn(join(dir, kept[0]!))).toEqual(beforeRestore);
    // As if the process died right now: the journal must not bring back what the restore replaced.
    expect(await timesIn(db)).toEqual(atBackup);
    expect(r.monitor.health().rowCounts.sys_raw).toBe(atBackup.length);

    const after = [await r.tick(), await r.tick()];
    expect(await timesIn(db)).toEqual([...atBackup, ...after]);
    await r.monitor.close();
    expect(await timesIn(db)).toEqual([...atBackup, ...after]);
    expect(await integrityOf(db)).toBe('ok');
  });
  it('a journal a crash left behind (checkpoint written, journal not yet emptied) does not leak into the restored history', async () => {
    const a = await recorder();
    for (let i = 0; i < 4; i++) await a.tick();
    const backup = await a.monitor.backupNow();
    const atBackup = [...a.times];
    for (let i = 0; i < 5; i++) await a.tick();
    const journal = readFileSync(journalPathFor(db));
    await a.monitor.close();
    writeFileSync(journalPathFor(db), journal); // as if the process died between the rename and the truncation

    const b = await recorder();
    b.clock.set(a.clock.now());
    expect(b.monitor.health().rowCounts.sys_raw).toBe(a.times.length);
    await b.monitor.restore(backup.path);
    expect(b.monitor.health().rowCounts.sys_raw).toBe(atBackup.length);
    expect(await timesIn(db)).toEqual(atBackup);
    await b.monitor.close();
    expect(await timesIn(db)).toEqual(atBackup);
  });
});

describe('backup commands of the CLI', () => {
  it('backup, backups and restore, with one clear line for each mistake', async () => {
    const r = await recorder();
    for (let i = 0; i < 5; i++) await r.tick();
    await r.monitor.close();

    const made = await runCli('backup', '--db', db);
    expect(made.code).toBe(0);
    const listed = listBackups(db);
    expect(listed).toHaveLength(1);
    expect(made.out).toContain(listed[0]!.path);
    expect(await timesIn(listed[0]!.path)).toEqual(r.times);

    const out = join(dir, 'elsewhere', 'copy.sqlite');
    expect((await runCli('backup', '--db', db, '--out', out)).code).toBe(0);
    expect(await timesIn(out)).toEqual(r.times);

    const list = await runCli('backups', '--db', db);
    expect(list.code).toBe(0);
    expect(list.out.trim().split('\n')).toHaveLength(1);
    expect(list.out).toContain(listed[0]!.path);
    expect((await runCli('backups', '--db', join(dir, 'none.sqlite'))).out).toMatch(/^No backups of .*none\.sqlite yet/);

    const usage: [string[], RegExp][] = [
      [['restore', '--db', db], /--from BACKUP is required/],
      [['backup', '--db', db, '--out', out], /already exists/],
      [['backup', '--db', join(dir, 'nope.sqlite')], /no database at/],
    ];
    for (const [argv, message] of usage) {
      const u = await runCli(...argv);
      expect(u.code, argv.join(' ')).toBe(2);
      expect(u.err).toMatch(message);
      expect(u.err.trim().split('\n')[0]).toMatch(/^vitals: /);
    }
    writeFileSync(join(dir, 'bad.sqlite'), 'nope');
    const invalid = await runCli('restore', '--db', db, '--from', join(dir, 'bad.sqlite'));
    expect(invalid.code).toBe(1);
    expect(invalid.err).toMatch(/^vitals: .*bad\.sqlite cannot be restored: the file is empty|not an SQLite database/);
    expect(invalid.err.trim().split('\n')).toHaveLength(1);

    // Record more, then restore the first backup with nobody recording.
    const more = await recorder();
    more.clock.set(r.clock.now());
    for (let i = 0; i < 3; i++) await more.tick();
    await more.monitor.close();
    const restored = await runCli('restore', '--db', db, '--from', listed[0]!.path);
    expect(restored.code, restored.err).toBe(0);
    expect(restored.out).toMatch(/Restored .* The previous database is kept as .*before-restore-/);
    expect(await timesIn(db)).toEqual(r.times);
    const kept = readdirSync(dir).find((f) => f.includes('before-restore'))!;
    expect(await timesIn(join(dir, kept))).toEqual([...r.times, ...more.times]);
  });

  describe('while a real recorder process runs', () => {
    let fixtures: string;
    let script: string;
    let cliScript: string;
    beforeAll(async () => {
      fixtures = tempDir('backup-fixtures');
      script = await bundleFixture('recorder', fixtures);
      cliScript = await bundleCli(fixtures);
    });
    /** The CLI as its own process, output to files (as `vitals … > log`): nothing else keeps it alive. */
    const cliProcess = async (...argv: string[]): Promise<{ code: number | null; out: string; err: string }> => {
      const [o, e] = [join(fixtures, 'out.log'), join(fixtures, 'err.log')];
      const [ofd, efd] = [openSync(o, 'w'), openSync(e, 'w')];
      const child = spawn(process.execPath, [cliScript, ...argv], { stdio: ['ignore', ofd, efd] });
      closeSync(ofd);
      closeSync(efd);
      const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
      return { code, out: readFileSync(o, 'utf8'), err: readFileSync(e, 'utf8') };
    };
    afterAll(() => removeDir(fixtures));

    it('restore hands the backup to the recorder, which switches over in place', async () => {
      const child = spawn(process.execPath, [script, JSON.stringify({ db, intervalMs: 200, checkpointMs: 3_600_000 })], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<void>((res) => child.once('exit', () => res()));
      const flushed = (): number[] => [...out.matchAll(/^flushed (\d+)$/gm)].map((m) => Number(m[1]));
      try {
        await waitFor(() => flushed().length >= 3, 'the recorder flushing');
        const b = await runCli('backup', '--db', db);
        expect(b.code, b.err).toBe(0);
        const backup = listBackups(db)[0]!;
        const inBackup = await timesIn(backup.path);
        expect(inBackup.length).toBeGreaterThanOrEqual(3);
        const n = flushed().length;
        await waitFor(() => flushed().length >= n + 3, 'more intervals after the backup');

        const busy = await runCli('record', '--db', db, '--duration', '1');
        expect(busy.code).toBe(1);
        expect(busy.err).toMatch(
          new RegExp(`^vitals: .*vitals\\.sqlite is being recorded by another process \\(pid ${child.pid} on .*\\)\\. .*--wait\\.\\n$`),
        );

        const restored = await cliProcess('restore', '--db', db, '--from', backup.path);
        expect(restored.code, restored.err).toBe(0);
        expect(restored.out).toMatch(new RegExp(`switched over .*pid ${child.pid}|pid ${child.pid}.*switched over`));
        const m = flushed().length;
        await waitFor(() => flushed().length >= m + 3, 'recording after the restore');
        child.kill('SIGTERM');
        await exited;
        const times = await timesIn(db);
        // The recorder reports the switch with a status event: what it flushed before is in the
        // file kept aside, what it flushed after goes on from the backup.
        const [before, after] = out.split(/^status recorder$/m) as [string, string];
        const flushedIn = (text: string): number[] => [...text.matchAll(/^flushed (\d+)$/gm)].map((x) => Number(x[1]));
        const between = flushedIn(before).filter((t) => !inBackup.includes(t));
        expect(between.length).toBeGreaterThan(0);
        expect(flushedIn(after).length).toBeGreaterThanOrEqual(3);
        expect(times).toEqual([...inBackup, ...flushedIn(after)]);
        expect(
          await timesIn(
            join(
              dir,
              readdirSync(dir).find((f) => f.includes('before-restore'))!,
            ),
          ),
        ).toEqual(expect.arrayContaining([...inBackup, ...between]));
      } finally {
        child.kill('SIGKILL');
        await exited;
      }
    });
  });
});
