// One recorder per database: a lock file beside it (`<db>.lock`) names the process that records.
//
//   taken      O_EXCL create: of two processes creating it at once, exactly one succeeds.
//   held       the holder keeps the file open and rewrites its heartbeat in place every interval.
//              It still holds the lock while the file at the path is the very inode it created
//              (stat vs fstat): a takeover renames that inode away, so the holder notices and steps
//              down before its next write instead of trusting a flag in memory.
//   stale      the owner's pid is dead on this host, or the file has not changed for `staleMs` as
//              observed by this process's monotonic clock (a clock that does not run while the
//              machine sleeps, and never compares two hosts' clocks).
//   taken over the stale file is renamed to a name only this process uses, read back to confirm it
//              is the stale one it judged (not a fresh lock another viewer created meanwhile — that
//              one is put back with link(), which cannot overwrite), then removed; then O_EXCL create.
//
// The lock is coordination, not data: it is never fsynced, and a lock left by a crash of the whole
// machine is stale by its unchanging heartbeat.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { hostname } from 'node:os';
import type { Millis } from '../types';

export interface LockOwner {
  pid: number;
  host: string;
  /** Wall-clock time of the owner's last heartbeat (informative: staleness never compares clocks). */
  heartbeat: Millis;
  startedAt: Millis;
  token: string;
  /** Where the owner serves its live feed, if it does. */
  feed?: { path: string; version: number } | undefined;
}

export interface RecorderLockOptions {
  /** The database path; the lock is `<db>.lock`. */
  dbPath: string;
  /** A lock unchanged this long (observed by this process) is stale. */
  staleMs: number;
  now?: () => Millis;
  /** Milliseconds that never jump and stop while the machine sleeps. Default: process.hrtime. */
  monotonic?: () => number;
  pid?: number;
  host?: string;
  /** Whether a pid on this host is alive. Default: signal 0. */
  isAlive?: (pid: number) => boolean;
}

export function lockPathFor(dbPath: string): string {
  return `${dbPath}.lock`;
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function parseOwner(raw: string): LockOwner | undefined {
  try {
    const o = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof o.pid !== 'number' || typeof o.host !== 'string' || typeof o.token !== 'string') return undefined;
    return {
      pid: o.pid,
      host: o.host,
      token: o.token,
      heartbeat: typeof o.heartbeat === 'number' ? o.heartbeat : 0,
      startedAt: typeof o.startedAt === 'number' ? o.startedAt : 0,
      feed:
        o.feed && typeof o.feed.path === 'string' && typeof o.feed.version === 'number'
          ? { path: o.feed.path, version: o.feed.version }
          : undefined,
    };
  } catch {
    return undefined;
  }
}

const monotonicMs = (): number => Number(process.hrtime.bigint() / 1_000_000n);

export class RecorderLock {
  readonly path: string;
  readonly token = randomBytes(12).toString('hex');
  private fd: number | undefined;
  private startedAt = 0;
  private feed: LockOwner['feed'];
  /** Counts heartbeats, so each one changes the file even when the clock stands still. */
  private beats = 0;
  /** Length of the content last written through the open fd (0: the file was just created). */
  private written = 0;
  /** What this process last saw in someone else's lock, and since when (monotonic) it has not changed. */
  private seen: { raw: string; since: number } | undefined;
  private readonly now: () => Millis;
  private readonly monotonic: () => number;
  private readonly pid: number;
  private readonly host: string;
  private readonly isAlive: (pid: number) => boolean;

  /** A lock unchanged this long (observed here) is stale. */
  staleMs: number;

  constructor(options: RecorderLockOptions) {
    this.staleMs = options.staleMs;
    this.path = lockPathFor(options.dbPath);
    this.now = options.now ?? Date.now;
    this.monotonic = options.monotonic ?? monotonicMs;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.isAlive = options.isAlive ?? processAlive;
  }

  get held(): boolean {
    return this.fd !== undefined;
  }

  /** The other process that holds the lock, as last read (undefined when free or held by us). */
  owner(): LockOwner | undefined {
    if (this.fd !== undefined) return undefined;
    const raw = this.read();
    return raw === undefined ? undefined : parseOwner(raw);
  }

  /**
   * Takes the lock if it is free or stale. Returns true when this process holds it afterwards.
   * Cheap (one small read) when someone else holds it: viewers call it every second.
   */
  tryAcquire(): boolean {
    if (this.fd !== undefined) return this.verify();
    const raw = this.read();
    if (raw === undefined) return this.create();
    const owner = parseOwner(raw);
    // Ours from an attempt that lost its confirmation race and was put back: adopt it.
    if (owner?.token === this.token) return this.adopt();
    if (!this.isStale(raw, owner)) return false;
    return this.takeOver(raw);
  }

  /** Whether the lock file at the path is still the one this process created. */
  verify(): boolean {
    if (this.fd === undefined) return false;
    try {
      const mine = fstatSync(this.fd);
      const there = statSync(this.path);
      if (mine.nlink > 0 && mine.ino === there.ino && mine.dev === there.dev) return true;
    } catch {
      // Gone: someone took it over (or removed it by hand).
    }
    this.forget();
    return false;
  }

  /** Rewrites the heartbeat. Returns false (and lets go) when the lock is no longer ours. */
  refresh(): boolean {
    if (!this.verify() || this.fd === undefined) return false;
    try {
      this.write(this.fd);
      return true;
    } catch {
      // A full disk can refuse even this; the lock stays ours until it looks stale to others.
      return true;
    }
  }

  /** Sets where the live feed is served (written with the next heartbeat). */
  setFeed(feed: LockOwner['feed']): void {
    this.feed = feed;
    if (this.fd !== undefined) this.refresh();
  }

  /** Gives the lock up; removes the file only while it is still ours. */
  release(): void {
    if (this.fd === undefined) return;
    if (this.verify()) {
      // Rename first so a lock another process created in the meantime is never deleted.
      const aside = `${this.path}.released-${this.token}`;
      try {
        renameSync(this.path, aside);
        const mine = fstatSync(this.fd);
        const moved = statSync(aside);
        if (moved.ino !== mine.ino || moved.dev !== mine.dev) {
          try {
            linkSync(aside, this.path);
          } catch {
            // Another lock took the path meanwhile; the one we moved was not ours to keep anyway.
          }
        }
        unlinkSync(aside);
      } catch {
        // Already gone.
      }
    }
    this.forget();
  }

  private forget(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // Closing cannot fail in a way that matters here.
      }
    }
    this.fd = undefined;
  }

  private read(): string | undefined {
    try {
      return readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  private isStale(raw: string, owner: LockOwner | undefined): boolean {
    const t = this.monotonic();
    if (!this.seen || this.seen.raw !== raw) this.seen = { raw, since: t };
    if (owner && owner.host === this.host && owner.pid !== this.pid && !this.isAlive(owner.pid)) return true;
    return t - this.seen.since >= this.staleMs;
  }

  private content(): string {
    const owner: LockOwner & { beat: number } = {
      pid: this.pid,
      host: this.host,
      heartbeat: this.now(),
      beat: this.beats++,
      startedAt: this.startedAt,
      token: this.token,
      feed: this.feed,
    };
    return `${JSON.stringify(owner)}\n`;
  }

  private write(fd: number): void {
    const buf = Buffer.from(this.content());
    writeSync(fd, buf, 0, buf.byteLength, 0);
    // A heartbeat is rewritten every second and is almost always as long as the last one: truncate
    // only when it got shorter (a truncation is a journaled metadata change on most filesystems).
    if (buf.byteLength < this.written) ftruncateSync(fd, buf.byteLength);
    this.written = buf.byteLength;
  }

  private create(): boolean {
    let fd: number;
    try {
      fd = openSync(this.path, 'wx+', 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
    this.fd = fd;
    this.written = 0;
    this.startedAt = this.now();
    try {
      this.write(fd);
    } catch {
      // An empty lock still excludes others; its heartbeat starts with the next refresh.
    }
    this.seen = undefined;
    return this.verify();
  }

  private adopt(): boolean {
    try {
      this.fd = openSync(this.path, 'r+');
    } catch {
      return false;
    }
    if (!this.verify()) return false;
    // What is in the file may be longer than what we write.
    this.written = Infinity;
    this.write(this.fd);
    return true;
  }

  private takeOver(staleRaw: string): boolean {
    const aside = `${this.path}.stale-${this.token}`;
    try {
      renameSync(this.path, aside);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.create();
      throw e;
    }
    let moved: string | undefined;
    try {
      moved = readFileSync(aside, 'utf8');
    } catch {
      moved = undefined;
    }
    if (moved !== staleRaw) {
      // We moved a lock that is not the stale one we judged: a fresh lock, or a heartbeat that came
      // just now. Put it back (link fails rather than overwrite a lock created in the meantime).
      try {
        linkSync(aside, this.path);
      } catch {
        // The path was taken again meanwhile; the lock we moved has lost, and its holder will see it.
      }
      unlinkSync(aside);
      this.seen = undefined;
      return false;
    }
    unlinkSync(aside);
    this.seen = undefined;
    return this.create();
  }
}
