// Full disk, read-only disk and permission errors, on real filesystems: a small tmpfs filled up,
// the same remounted read-only, and a real unprivileged recorder process whose folder is made
// unwritable. Needs root (mount, setuid); skipped with a note elsewhere.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { parseJournal } from '../../../src/backend/storage/journal';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';
import {
  bundleFixture,
  canMount,
  INFO,
  integrityOf,
  manualClock,
  recordingSink,
  removeDir,
  syntheticSamplers,
  tempDir,
  waitFor,
} from './support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const isRoot = process.getuid?.() === 0;

const mountable = canMount();
if (!mountable)
  console.warn('fulldisk.test.ts: cannot mount a tmpfs here (needs root on Linux); the full/read-only disk tests are skipped.');

let mnt: string;
let db: string;
beforeEach(() => {
  mnt = tempDir('fs');
  db = join(mnt, 'vitals.sqlite');
  if (mountable) execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
});
afterEach(() => {
  if (mountable) execFileSync('umount', ['-l', mnt]);
  removeDir(mnt);
});

/** Fills the filesystem until it refuses another byte; returns the filler's path. */
function fill(dir: string): string {
  const path = join(dir, 'filler');
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(16 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  }
  try {
    for (;;) writeSync(fd, chunk, 0, 1);
  } catch {
    // Now not even one byte fits.
  } finally {
    closeSync(fd);
  }
  return path;
}

const config = defaultMonitorConfig({
  sampleIntervalMs: 2000,
  flushIntervalMs: 2000,
  checkpointIntervalMs: 60_000,
  writeQueueLimit: 10,
  backupsKept: 0,
});

async function recorder() {
  const sink = recordingSink();
  const clock = manualClock(T0);
  const monitor = await Monitor.open({ dbPath: db, config, sink, clock, samplers: syntheticSamplers(20), info: INFO, autoStart: false });
  const times: number[] = [];
  const tick = async (ms = 2000): Promise<void> => {
    clock.advance(ms);
    const s = await monitor.tick();
    if (s) times.push(s.t);
  };
  return { monitor, sink, clock, times, tick };
}

async function timesIn(path: string): Promise<number[]> {
  const s = await Store.open({ path, mode: 'read', retention: config.retention });
  try {
    return (s.db.exec('SELECT t FROM sys_raw ORDER BY t')[0]?.values ?? []).map((r) => Number(r[0]));
  } finally {
    s.close();
  }
}

const retryDelays = (logs: { message: string }[]): number[] =>
  logs.map((l) => /Could not write history .*retrying in (\d+) s/.exec(l.message)).flatMap((m) => (m ? [Number(m[1])] : []));

describe.skipIf(!mountable)('a full or read-only disk (real tmpfs)', () => {
  it('full: nothing on disk damaged, samples queued (bounded, overflow counted), retried with backoff, warned once, resumes by itself', async () => {
    const r = await recorder();
    for (let i = 0; i < 3; i++) await r.tick();
    await r.tick(60_000); // a checkpoint: the file exists from here on
    const fileBefore = readFileSync(db);
    const filler = fill(mnt);

    const failedFrom = r.times.length;
    for (let i = 0; i < 25; i++) await r.tick();
    // A checkpoint falls due while the disk is full.
    await r.tick(60_000);
    // Nothing damaged: the database is the last complete checkpoint, the journal holds only whole records.
    expect(readFileSync(db)).toEqual(fileBefore);
    expect(await integrityOf(db)).toBe('ok');
    expect(parseJournal(readFileSync(journalPathFor(db))).droppedBytes).toBe(0);
    expect(readdirSync(mnt).filter((f) => f.includes('.tmp-'))).toEqual([]);
    const health = r.monitor.health();
    expect(r.sink.problems.filter((p) => p.key === 'write-failed')).toHaveLength(1);
    expect(r.sink.problems.filter((p) => p.key === 'checkpoint-failed')).toHaveLength(1);
    expect(health.samplesDropped).toBe(r.times.length - failedFrom - config.writeQueueLimit);
    // Backoff: fewer attempts than intervals, each wait at least as long as the one before.
    const delays = retryDelays(r.sink.logs);
    expect(delays.length).toBeLessThan(r.times.length - failedFrom);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    expect(delays.at(-1)).toBeGreaterThanOrEqual(8);

    rmSync(filler);
    for (let i = 0; i < 20 && r.sink.logs.every((l) => !/works again/.test(l.message)); i++) await r.tick(5_000);
    expect(r.sink.logs.some((l) => /Writing to the history database works again/.test(l.message))).toBe(true);
    await r.tick();
    await r.monitor.close();
    expect(r.sink.problems.filter((p) => p.key === 'write-failed')).toHaveLength(1);
    // Everything is on disk in the end, even what overflowed the queue: it stayed in memory and
    // went into the checkpoint written when the disk had room again.
    expect(await timesIn(db)).toEqual(r.times);
  });

  it('read-only from the start: nothing written, samples queued, warned once, recording resumes when it is writable', async () => {
    const seed = await recorder();
    for (let i = 0; i < 3; i++) await seed.tick();
    await seed.monitor.close();
    const fileBefore = readFileSync(db);
    // No file is open for writing now, so the whole filesystem can turn read-only.
    execFileSync('mount', ['-o', 'remount,ro', mnt]);
    let r: Awaited<ReturnType<typeof recorder>>;
    try {
      r = await recorder();
      r.clock.set(seed.clock.now());
      expect(r.monitor.status().role).toBe('recorder');
      for (let i = 0; i < 6; i++) await r.tick();
      await r.tick(60_000);
      expect(r.sink.problems.filter((p) => p.key === 'write-failed')).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/EROFS/) }),
      ]);
      expect(r.monitor.health().samplesDropped).toBe(0);
      expect(readFileSync(db)).toEqual(fileBefore);
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', mnt]);
    }
    for (let i = 0; i < 10 && r.sink.logs.every((l) => !/works again/.test(l.message)); i++) await r.tick(5_000);
    expect(r.sink.logs.some((l) => /Writing to the history database works again/.test(l.message))).toBe(true);
    // The lock was taken before the first write, and a crash now loses nothing that waited.
    expect(readFileSync(`${db}.lock`, 'utf8')).toContain(`"pid":${process.pid}`);
    expect(await timesIn(db)).toEqual([...seed.times, ...r.times]);
    await r.monitor.close();
  });

  it('turned read-only while recording (a read-only mount over the folder): checkpoints refused, the file intact, warned once', async () => {
    const r = await recorder();
    for (let i = 0; i < 3; i++) await r.tick();
    await r.tick(60_000);
    const fileBefore = readFileSync(db);
    // The files already open stay writable underneath; everything opened by path now is read-only.
    execFileSync('mount', ['--bind', mnt, mnt]);
    try {
      execFileSync('mount', ['-o', 'remount,bind,ro', mnt]);
      for (let i = 0; i < 3; i++) await r.tick(60_000);
      expect(r.sink.problems.filter((p) => p.key === 'checkpoint-failed')).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/EROFS/) }),
      ]);
      expect(readFileSync(db)).toEqual(fileBefore);
    } finally {
      execFileSync('umount', [mnt]);
    }
    await r.tick(60_000);
    expect(readFileSync(db)).not.toEqual(fileBefore);
    expect(r.sink.logs.some((l) => /Rewriting the history database works again/.test(l.message))).toBe(true);
    await r.monitor.close();
    expect(await timesIn(db)).toEqual(r.times);
    expect(r.sink.problems.filter((p) => p.key === 'checkpoint-failed')).toHaveLength(1);
  });

  it('a restore that fails at the switch-over (the backup does not fit): recording goes on in the previous file', async () => {
    // A sound backup larger than the whole 3 MB filesystem, made elsewhere.
    const elsewhere = tempDir('big-backup');
    try {
      const big = join(elsewhere, 'big.sqlite');
      const b = await Store.open({ path: big, retention: config.retention });
      for (let i = 0; i < 900; i++) b.record(snapshotAt(T0 - 7_200_000 + i * 2000, 2000, { processes: 300 }));
      b.checkpoint(T0);
      b.close();
      expect(statSync(big).size).toBeGreaterThan(3 * 1024 * 1024);

      const r = await recorder();
      for (let i = 0; i < 3; i++) await r.tick();
      await expect(r.monitor.restore(big)).rejects.toThrow(/recording goes on in the previous history/);
      expect(r.monitor.status()).toMatchObject({ role: 'recorder', recording: true });
      for (let i = 0; i < 3; i++) await r.tick();
      await r.monitor.close();
      expect(await timesIn(db)).toEqual(r.times);
      expect(readdirSync(mnt).filter((f) => f.includes('.tmp-'))).toEqual([]);
    } finally {
      removeDir(elsewhere);
    }
  });
});

describe.skipIf(!isRoot || process.platform !== 'linux')('permission errors (a real unprivileged recorder process)', () => {
  let fixtures: string;
  let script: string;
  beforeAll(async () => {
    fixtures = tempDir('perm-fixtures');
    script = await bundleFixture('recorder', fixtures);
    chmodSync(fixtures, 0o755);
  });
  afterAll(() => removeDir(fixtures));

  it('a folder it may no longer write: the previous file intact, warned once, and it catches up when allowed again', async () => {
    const home = tempDir('perm');
    chmodSync(home, 0o755);
    const dir = join(home, 'data');
    mkdirSync(dir);
    chownSync(dir, 65534, 65534);
    const path = join(dir, 'vitals.sqlite');
    const child = spawn(process.execPath, [script, JSON.stringify({ db: path, intervalMs: 200, checkpointMs: 400 })], {
      uid: 65534,
      gid: 65534,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    try {
      await waitFor(() => existsSync(path) || child.exitCode !== null, 'a first checkpoint');
      expect(child.exitCode, err).toBeNull();
      chmodSync(dir, 0o555);
      const fileBefore = readFileSync(path);
      await waitFor(() => /problem checkpoint-failed: .*EACCES/.test(err), 'the warning');
      // Several more checkpoints fall due and fail: still one warning, the file untouched, the
      // journal (already open) still taking every interval.
      const flushedAt = (out.match(/^flushed /gm) ?? []).length;
      await waitFor(() => (out.match(/^flushed /gm) ?? []).length >= flushedAt + 3, 'flushes going on');
      expect(err.match(/problem checkpoint-failed/g)).toHaveLength(1);
      expect(readFileSync(path)).toEqual(fileBefore);
      chmodSync(dir, 0o755);
      await waitFor(() => !readFileSync(path).equals(fileBefore), 'a checkpoint once allowed again');
      child.kill('SIGTERM');
      await exited;
      expect(out).toMatch(/^closed$/m);
      expect(await integrityOf(path)).toBe('ok');
      const flushed = [...out.matchAll(/^flushed (\d+)$/gm)].map((m) => Number(m[1]));
      const times = new Set(await timesIn(path));
      expect(flushed.filter((t) => !times.has(t))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      await exited;
      chmodSync(dir, 0o755);
      removeDir(home);
    }
  }, 60_000);
});
