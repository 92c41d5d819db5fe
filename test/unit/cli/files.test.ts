// The CLI as its own process (bundled from src/cli/main.ts as it ships in dist/cli.js) against real
// files: where `export` may write and what Ctrl-C leaves, what `record` says when nothing reached the
// disk, the modes of every file under umask 000, and the file-handling edge cases of issue 18.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  linkSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  ftruncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';
import { bundleCli, canMount, integrityOf, removeDir, tempDir, waitFor } from '../durability/support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const retention = defaultMonitorConfig().retention;
const isRoot = process.getuid?.() === 0;
const linux = process.platform === 'linux';

let fixtures: string;
let cli: string;
let dir: string;
/** A small database with a checkpointed file and intervals still only in its journal. */
let db: string;
let dbBytes: Buffer;
let journalBytes: Buffer;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

function start(argv: string[], opts: { uid?: number; umask?: number; cwd?: string } = {}): { child: ChildProcess; done: Promise<Run> } {
  const [command, args] =
    opts.umask === undefined
      ? [process.execPath, [cli, ...argv]]
      : // A shell sets the umask the CLI then inherits, as a user's own shell would.
        ['/bin/sh', ['-c', `umask ${opts.umask.toString(8).padStart(3, '0')}; exec "$0" "$@"`, process.execPath, cli, ...argv]];
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], uid: opts.uid, gid: opts.uid, cwd: opts.cwd });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<Run>((res) => child.once('close', (code, signal) => res({ code, signal, out, err })));
  return { child, done };
}

async function run(argv: string[], opts: { uid?: number; umask?: number; cwd?: string; timeoutMs?: number } = {}): Promise<Run> {
  const { child, done } = start(argv, opts);
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
  try {
    return await done;
  } finally {
    clearTimeout(timer);
  }
}

async function seed(path: string, intervals: number, processes: number, unflushed = 0): Promise<void> {
  const s = await Store.open({ path, retention });
  try {
    for (let i = 0; i < intervals; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes }));
    s.checkpoint(T0 + intervals * 2000);
    for (let i = intervals; i < intervals + unflushed; i++) s.record(snapshotAt(T0 + i * 2000, 2000, { processes }));
    s.flush(T0 + (intervals + unflushed) * 2000);
  } finally {
    s.close();
  }
}

async function rowCounts(path: string): Promise<Record<string, number>> {
  const s = await Store.open({ path, mode: 'read', retention });
  try {
    const out: Record<string, number> = {};
    for (const t of ['sys_raw', 'proc_raw', 'sys_1m', 'proc_1m', 'process'])
      out[t] = Number(s.db.exec(`SELECT count(*) FROM ${t}`)[0]!.values[0]![0]);
    return out;
  } finally {
    s.close();
  }
}

async function foreignSqlite(path: string): Promise<void> {
  const SQL = await loadSqlJs();
  const other = new SQL.Database();
  other.exec("CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES ('precious')");
  writeFileSync(path, other.export());
  other.close();
}

beforeAll(async () => {
  fixtures = tempDir('cli-fixtures');
  cli = await bundleCli(fixtures);
  // An unprivileged child must be able to read the bundle.
  chmodSync(fixtures, 0o755);
  dir = tempDir('cli-files');
  db = join(dir, 'vitals.sqlite');
  await seed(db, 10, 20, 5);
  dbBytes = readFileSync(db);
  journalBytes = readFileSync(journalPathFor(db));
  expect(journalBytes.byteLength).toBeGreaterThan(0);
});
afterAll(() => {
  removeDir(fixtures);
  removeDir(dir);
});

/** The history exactly as seeded: the file, the journal and their integrity. */
async function expectHistoryIntact(): Promise<void> {
  expect(readFileSync(db).equals(dbBytes)).toBe(true);
  expect(readFileSync(journalPathFor(db)).equals(journalBytes)).toBe(true);
  expect(await integrityOf(db)).toBe('ok');
}

describe('vitals export never replaces what it must not', () => {
  const cases: [string, () => Promise<string> | string, RegExp][] = [
    ['a missing folder', () => join(dir, 'no-such-folder', 'out.csv'), /folder .*no-such-folder does not exist/],
    ['a folder', () => dir, /is a folder/],
    ['the database itself', () => db, /the history database itself/],
    ['the database spelled with ./', () => './vitals.sqlite', /the history database itself/],
    ['the database spelled through ..', () => join(dir, '..', dir.split('/').pop()!, 'vitals.sqlite'), /the history database itself/],
    ['the journal', () => journalPathFor(db), /journal/],
    ['the lock (even before one exists)', () => `${db}.lock`, /lock/],
    [
      'a symlink to the database',
      () => {
        const link = join(dir, 'link-to-db.csv');
        if (!existsSync(link)) symlinkSync(db, link);
        return link;
      },
      /the history database itself/,
    ],
    [
      'a hard link to the database',
      () => {
        const link = join(dir, 'hardlink.csv');
        if (!existsSync(link)) linkSync(db, link);
        return link;
      },
      /the history database itself/,
    ],
    [
      'an existing SQLite file of another application',
      async () => {
        const other = join(dir, 'other-app.db');
        await foreignSqlite(other);
        return other;
      },
      /an SQLite database/,
    ],
    [
      'a backup',
      () => {
        mkdirSync(join(dir, 'backups'), { recursive: true });
        const b = join(dir, 'backups', 'vitals-2026-01-05T10-00-00-000Z.sqlite');
        copyFileSync(db, b);
        return b;
      },
      /backups folder|an SQLite database/,
    ],
  ];

  it.each(cases)('refuses --out %s: exit 1, one line, the history untouched', async (_what, target, message) => {
    const out = await target();
    const before = existsSync(out) && statSync(out).isFile() ? readFileSync(out) : undefined;
    const r = await run(['export', '--db', db, '--format', 'csv', '--scope', 'processes', '--out', out], { cwd: dir });
    expect(r.code, r.out).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).toMatch(/^vitals: Cannot export to .*Nothing was written\.\n$/);
    await expectHistoryIntact();
    if (before) expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.includes('.export-'))).toEqual([]);
  });

  it.skipIf(!isRoot || !linux)('refuses a folder it may not write into (a real unprivileged process): exit 1 with the reason', async () => {
    const home = tempDir('cli-perm');
    try {
      chmodSync(home, 0o755);
      const mine = join(home, 'vitals.sqlite');
      copyFileSync(db, mine);
      chmodSync(mine, 0o644);
      const r = await run(['export', '--db', mine, '--format', 'csv', '--out', join(home, 'out.csv')], { uid: 65534 });
      expect(r.code, r.err).toBe(1);
      expect(r.err).toMatch(/^vitals: Cannot export to .*out\.csv: no file can be created in .*EACCES.*\n$/);
      expect(existsSync(join(home, 'out.csv'))).toBe(false);
    } finally {
      removeDir(home);
    }
  });

  it('writes an ordinary target, through a symlink to it, and replaces an earlier export', async () => {
    const real = join(dir, 'earlier.csv');
    writeFileSync(real, 'an earlier export\n');
    const link = join(dir, 'latest.csv');
    symlinkSync(real, link);
    const r = await run(['export', '--db', db, '--format', 'csv', '--out', link]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^Wrote \d+ rows/);
    expect(readFileSync(real, 'utf8')).toMatch(/^time,tier,metric,avg,min,max\n/);
    expect(statSync(link).ino).toBe(statSync(real).ino);
    await expectHistoryIntact();
  });
});

describe('Ctrl-C during a large export', () => {
  let big: string;
  let bigDir: string;
  beforeAll(async () => {
    bigDir = tempDir('cli-big');
    big = join(bigDir, 'vitals.sqlite');
    // 1500 intervals of 300 processes: ~450 000 process rows, tens of MB of CSV.
    await seed(big, 1500, 300);
  });
  afterAll(() => removeDir(bigDir));

  it('cancels: exit non-zero, one line, no file under the final name, no temp file, the database intact', async () => {
    const bytes = readFileSync(big);
    const counts = await rowCounts(big);
    const out = join(bigDir, 'all.csv');
    const { child, done } = start(['export', '--db', big, '--format', 'csv', '--scope', 'processes', '--out', out]);
    const temp = (): string | undefined => readdirSync(bigDir).find((f) => f.startsWith('.all.csv.export-'));
    // Midway: the temp file has grown past 1 MB.
    await waitFor(() => {
      const t = temp();
      return (t !== undefined && statSync(join(bigDir, t)).size > 1_000_000) || child.exitCode !== null;
    }, 'the export under way');
    expect(child.exitCode).toBeNull();
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).not.toBe(0);
    expect(r.signal).toBeNull(); // it handled the signal, rather than being killed mid-write
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^vitals: export cancelled; nothing was written to .*all\.csv\.\n$/);
    expect(existsSync(out)).toBe(false);
    expect(temp()).toBeUndefined();
    expect(readFileSync(big).equals(bytes)).toBe(true);
    expect(await integrityOf(big)).toBe('ok');
    expect(await rowCounts(big)).toEqual(counts);
  });

  it('kill -9 midway leaves nothing under the final name either', async () => {
    const out = join(bigDir, 'killed.json');
    const { child, done } = start(['export', '--db', big, '--format', 'json', '--scope', 'processes', '--out', out]);
    const temp = (): string | undefined => readdirSync(bigDir).find((f) => f.startsWith('.killed.json.export-'));
    await waitFor(() => {
      const t = temp();
      return (t !== undefined && statSync(join(bigDir, t)).size > 1_000_000) || child.exitCode !== null;
    }, 'the export under way');
    child.kill('SIGKILL');
    await done;
    expect(existsSync(out)).toBe(false);
    expect(await integrityOf(big)).toBe('ok');
  });
});

describe('record says when what it recorded did not reach the disk', () => {
  it('a lock path that is a folder: exit 1, and says why', async () => {
    const d = tempDir('cli-lockdir');
    try {
      const path = join(d, 'vitals.sqlite');
      copyFileSync(db, path);
      mkdirSync(`${path}.lock`);
      const r = await run(['record', '--db', path, '--interval', '0.5', '--duration', '2']);
      expect(r.code, r.out + r.err).toBe(1);
      expect(r.out).not.toMatch(/Stopped\./);
      expect(r.err).toMatch(/EISDIR/);
      expect(r.err).toMatch(
        /vitals: recording failed: the samples after .* did not reach .*vitals\.sqlite \(the errors above say why\)\.\n$/,
      );
    } finally {
      removeDir(d);
    }
  });

  it.skipIf(!isRoot || !linux)('a lock it may not read (a real unprivileged process): exit 1, and says why', async () => {
    const home = tempDir('cli-lockperm');
    try {
      chmodSync(home, 0o755);
      const d = join(home, 'data');
      mkdirSync(d, { mode: 0o700 });
      const path = join(d, 'vitals.sqlite');
      copyFileSync(db, path);
      writeFileSync(`${path}.lock`, '{"pid":1,"host":"elsewhere","token":"t"}\n', { mode: 0o600 });
      for (const p of [d, path]) chownSync(p, 65534, 65534);
      // The lock stays root's, unreadable to the recorder.
      const r = await run(['record', '--db', path, '--interval', '0.5', '--duration', '2'], { uid: 65534 });
      expect(r.code, r.out + r.err).toBe(1);
      expect(r.out).not.toMatch(/Stopped\./);
      expect(r.err).toMatch(/EACCES/);
      expect(r.err).toMatch(/vitals: recording failed: .*\n$/);
    } finally {
      removeDir(home);
    }
  });

  const mountable = canMount();

  it.skipIf(!mountable)('a full disk (a real tmpfs filled to the last byte): exit 1 with ENOSPC', async () => {
    const mnt = tempDir('cli-full');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', mnt]);
    try {
      const path = join(mnt, 'vitals.sqlite');
      copyFileSync(db, path);
      copyFileSync(journalPathFor(db), journalPathFor(path));
      const fd = openSync(join(mnt, 'filler'), 'w');
      const chunk = Buffer.alloc(16 * 1024, 1);
      try {
        for (;;) writeSync(fd, chunk);
      } catch {
        // Full: now not even one byte.
        try {
          for (;;) writeSync(fd, chunk, 0, 1);
        } catch {
          // Done.
        }
      } finally {
        closeSync(fd);
      }
      const r = await run(['record', '--db', path, '--interval', '0.5', '--duration', '2']);
      expect(r.code, r.out + r.err).toBe(1);
      expect(r.out).not.toMatch(/Stopped\./);
      expect(r.err).toMatch(/ENOSPC/);
      expect(r.err).toMatch(/vitals: recording failed: .*\n$/);
      expect(readFileSync(path).equals(dbBytes)).toBe(true);
    } finally {
      execFileSync('umount', ['-l', mnt]);
      removeDir(mnt);
    }
  });
});

describe('health beside a live recorder', () => {
  it("shows the recorder's own figures (its last flush, its state), asked over its feed", async () => {
    const home = tempDir('cli-health-live');
    try {
      const path = join(home, 'vitals.sqlite');
      const { child, done } = start(['record', '--db', path, '--interval', '0.5', '--duration', '20']);
      try {
        await waitFor(() => existsSync(journalPathFor(path)) && statSync(journalPathFor(path)).size > 0, 'a first flush', 30_000);
        const h = await run(['health', '--db', path, '--json']);
        expect(h.code, h.err).toBe(0);
        const report = JSON.parse(h.out) as { role: string; recording: boolean; lastFlush: { at: number } | null };
        // Read from the file alone this would be role 'stopped' with no flush.
        expect(report.role).toBe('recorder');
        expect(report.recording).toBe(true);
        expect(report.lastFlush).not.toBeNull();
        const text = await run(['health', '--db', path]);
        expect(text.out).toMatch(/State +Recording/);
        expect(text.out).not.toMatch(/Last flush +not yet/);
      } finally {
        child.kill('SIGINT');
        await done;
      }
      // Once it stopped, the file speaks for itself: no recorder state, no monitor cost.
      const after = await run(['health', '--db', path]);
      expect(after.code, after.err).toBe(0);
      expect(after.out).toMatch(/State +Stopped/);
      expect(after.out).not.toMatch(/Monitor cost/);
    } finally {
      removeDir(home);
    }
  });
});

describe.skipIf(!linux)('files are private whatever the umask', () => {
  it('under umask 000: data folder 0700; database, journal, lock, backups and exports 0600; the feed in a private folder', async () => {
    const home = tempDir('cli-umask');
    try {
      chmodSync(home, 0o755);
      const data = join(home, 'data');
      const path = join(data, 'vitals.sqlite');
      const { child, done } = start(['record', '--db', path, '--interval', '0.5', '--duration', '4'], { umask: 0 });
      await waitFor(
        () => existsSync(`${path}.lock`) && existsSync(journalPathFor(path)) && statSync(journalPathFor(path)).size > 0,
        'recording',
        30_000,
      );
      const mode = (p: string): number => statSync(p).mode & 0o777;
      const lockMode = mode(`${path}.lock`);
      const journalMode = mode(journalPathFor(path));
      const sockets = readdirSync(data).filter((f) => f.endsWith('.sock'));
      const r = await done;
      expect(r.code, r.err).toBe(0);
      expect(child.exitCode).toBe(0);
      expect(mode(data)).toBe(0o700);
      expect(lockMode).toBe(0o600);
      expect(journalMode).toBe(0o600);
      // The socket was bound beside the database, inside the private folder.
      expect(sockets).toHaveLength(1);
      expect(mode(path)).toBe(0o600);
      expect(mode(journalPathFor(path))).toBe(0o600);

      const b = await run(['backup', '--db', path], { umask: 0 });
      expect(b.code, b.err).toBe(0);
      expect(mode(join(data, 'backups'))).toBe(0o700);
      for (const f of readdirSync(join(data, 'backups'))) expect(mode(join(data, 'backups', f))).toBe(0o600);

      const csv = join(home, 'export.csv');
      const e = await run(['export', '--db', path, '--format', 'csv', '--out', csv], { umask: 0 });
      expect(e.code, e.err).toBe(0);
      expect(mode(csv)).toBe(0o600);
      for (const f of readdirSync(data)) if (statSync(join(data, f)).isFile()) expect(mode(join(data, f)), f).toBe(0o600);
    } finally {
      removeDir(home);
    }
  });
});

describe('file-handling edge cases', () => {
  it.skipIf(!linux)('a FIFO as --db is refused at once, not waited on', async () => {
    const fifo = join(dir, 'pipe.sqlite');
    execFileSync('mkfifo', [fifo]);
    for (const command of ['health', 'record']) {
      const r = await run([command, '--db', fifo, '--duration', '1'].slice(0, command === 'health' ? 3 : 5), { timeoutMs: 20_000 });
      expect(r.signal, `${command} hung`).toBeNull();
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^vitals: .*pipe\.sqlite is not a regular file.*\n$/);
    }
  });

  it('restore --from a symlink to the database is refused like the database itself', async () => {
    const link = join(dir, 'looks-like-a-backup.sqlite');
    symlinkSync(db, link);
    const r = await run(['restore', '--db', db, '--from', link]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--from must be a backup, not the database itself/);
    await expectHistoryIntact();
  });

  it('a journal over 2 GiB is named in the error', async () => {
    const d = tempDir('cli-bigjournal');
    try {
      const path = join(d, 'vitals.sqlite');
      copyFileSync(db, path);
      // Sparse: 2.1 GiB that take no room.
      const fd = openSync(journalPathFor(path), 'w');
      ftruncateSync(fd, Math.round(2.1 * 1024 ** 3));
      closeSync(fd);
      const r = await run(['health', '--db', path]);
      expect(r.code).toBe(1);
      expect(r.err).toContain(journalPathFor(path));
      expect(r.err.trim().split('\n')).toHaveLength(1);
    } finally {
      removeDir(d);
    }
  });

  it("another application's SQLite file and a corrupt database: one line each, said once", async () => {
    const other = join(dir, 'someone-else.db');
    await foreignSqlite(other);
    const corrupt = join(dir, 'corrupt.sqlite');
    const bytes = Buffer.from(readFileSync(db));
    // Garbage over every page after the first: the header still says SQLite.
    for (let o = 32768 + 100; o < bytes.byteLength; o += 97) bytes[o] = (o * 31) & 0xff;
    writeFileSync(corrupt, bytes);
    for (const path of [other, corrupt]) {
      const r = await run(['health', '--db', path]);
      expect(r.code).toBe(1);
      expect(r.err.match(/Not a Vitals history database/g)).toHaveLength(1);
      expect(r.err.trim().split('\n'), r.err).toHaveLength(1);
    }
  });
});
