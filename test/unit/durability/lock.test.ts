// The recorder lock on real files, with real dead processes; only the monotonic clock that judges a
// silent lock stale is controlled by the test.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { lockPathFor, parseOwner, RecorderLock } from '../../../src/backend/storage/lock';
import { bundleFixture, removeDir, tempDir } from './support/harness';

let dir: string;
let db: string;
let mono = 0;
const monotonic = (): number => mono;
const STALE = 10_000;

beforeEach(() => {
  dir = tempDir('lock');
  db = join(dir, 'vitals.sqlite');
  mono = 0;
});
afterEach(() => removeDir(dir));

function lockOf(pid = process.pid, host = hostname()): RecorderLock {
  return new RecorderLock({ dbPath: db, staleMs: STALE, monotonic, pid, host });
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

function writeForeignLock(pid: number, host: string): void {
  writeFileSync(lockPathFor(db), JSON.stringify({ pid, host, heartbeat: 1, startedAt: 1, token: 'someone-else' }));
}

describe('RecorderLock', () => {
  it('lets exactly one of two contenders hold it, and tells the other who does', () => {
    const a = lockOf();
    const b = lockOf();
    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(b.owner()).toMatchObject({ pid: process.pid, host: hostname(), token: a.token });
    expect(a.verify()).toBe(true);
  });

  it('is not taken over while its holder renews it, however long that goes on', () => {
    const a = lockOf();
    const b = lockOf();
    a.tryAcquire();
    for (let i = 0; i < 10; i++) {
      mono += STALE / 2;
      expect(a.refresh()).toBe(true);
      expect(b.tryAcquire()).toBe(false);
    }
  });

  it('is taken over once its holder stopped renewing it for the stale time, not before', () => {
    const a = lockOf();
    const b = lockOf();
    a.tryAcquire();
    expect(b.tryAcquire()).toBe(false);
    mono += STALE - 1;
    expect(b.tryAcquire()).toBe(false);
    mono += 1;
    expect(b.tryAcquire()).toBe(true);
    // The old holder finds out before its next write and lets go.
    expect(a.verify()).toBe(false);
    expect(a.refresh()).toBe(false);
    expect(b.verify()).toBe(true);
  });

  it('is taken over at once when its owner died on this host', () => {
    writeForeignLock(deadPid(), hostname());
    const b = lockOf();
    expect(b.tryAcquire()).toBe(true);
    expect(parseOwner(readFileSync(lockPathFor(db), 'utf8'))?.token).toBe(b.token);
  });

  it('waits for the stale time when the owner is on another host (its pid means nothing here)', () => {
    writeForeignLock(deadPid(), 'another-host');
    const b = lockOf();
    expect(b.tryAcquire()).toBe(false);
    mono += STALE;
    expect(b.tryAcquire()).toBe(true);
  });

  it('lets only one of two viewers that judged the same lock stale take it over', () => {
    writeForeignLock(deadPid(), hostname());
    const a = lockOf();
    const b = lockOf();
    // Both look and see the same stale lock…
    expect(a.owner()?.token).toBe('someone-else');
    expect(b.owner()?.token).toBe('someone-else');
    // …A takes it over first; B acts on what it saw, and must not throw A out.
    expect(a.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    expect(a.verify()).toBe(true);
    expect(parseOwner(readFileSync(lockPathFor(db), 'utf8'))?.token).toBe(a.token);
    expect(readdirSync(dir).filter((f) => f.includes('.stale-'))).toEqual([]);
  });

  it('puts back a fresh lock a slow viewer moved aside, so its holder keeps it', () => {
    // B saw the lock while it was stale, then A renewed it (a heartbeat right at the stale limit).
    const a = lockOf();
    a.tryAcquire();
    const b = lockOf();
    expect(b.tryAcquire()).toBe(false);
    mono += STALE;
    a.refresh();
    // B's next look sees new content: not stale. Force the race B could lose: judge on old content.
    const staleRaw = readFileSync(lockPathFor(db), 'utf8');
    a.refresh();
    expect((b as unknown as { takeOver(raw: string): boolean }).takeOver(staleRaw)).toBe(false);
    expect(a.verify()).toBe(true);
  });

  it('on release removes its own lock only', () => {
    const a = lockOf();
    a.tryAcquire();
    mono += STALE;
    const b = lockOf();
    expect(b.tryAcquire()).toBe(false);
    mono += STALE;
    expect(b.tryAcquire()).toBe(true);
    a.release(); // too late: B holds it now
    expect(existsSync(lockPathFor(db))).toBe(true);
    expect(b.verify()).toBe(true);
    b.release();
    expect(existsSync(lockPathFor(db))).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('RecorderLock across real processes', () => {
  let fixtures: string;
  let script: string;
  beforeAll(async () => {
    fixtures = tempDir('lock-fixtures');
    script = await bundleFixture('lockRace', fixtures);
  });
  afterAll(() => removeDir(fixtures));

  it('of six processes racing for a stale lock at the same moment, exactly one wins', async () => {
    writeForeignLock(deadPid(), hostname());
    const at = Date.now() + 1500;
    const racers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, [script, db, String(at)], { stdio: ['pipe', 'pipe', 'inherit'] });
      const racer = { child, out: '', decided: Promise.resolve('') };
      child.stdout.on('data', (d: Buffer) => (racer.out += d.toString()));
      racer.decided = new Promise<string>((resolve) => {
        const check = (): void => {
          const m = /^(won \w+|lost)$/m.exec(racer.out);
          if (m) resolve(m[1]!);
          else setTimeout(check, 10);
        };
        check();
      });
      return racer;
    });
    const results = await Promise.all(racers.map((r) => r.decided));
    const winners = results.filter((r) => r.startsWith('won'));
    expect(winners).toHaveLength(1);
    const token = winners[0]!.split(' ')[1];
    expect(parseOwner(readFileSync(lockPathFor(db), 'utf8'))?.token).toBe(token);
    // The winner still holds it a while later (nobody threw it out), then lets go.
    await new Promise((r) => setTimeout(r, 300));
    expect(parseOwner(readFileSync(lockPathFor(db), 'utf8'))?.token).toBe(token);
    for (const r of racers) r.child.stdin.end();
    await Promise.all(racers.map((r) => new Promise((res) => (r.child.exitCode !== null ? res(null) : r.child.once('exit', res)))));
    expect(racers.filter((r) => r.out.includes('lost-it'))).toEqual([]);
    expect(existsSync(lockPathFor(db))).toBe(false);
  });
});
