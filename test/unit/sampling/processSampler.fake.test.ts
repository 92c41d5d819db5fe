// The procfs process sampler against a fake /proc: identity, parsing and read-once behaviour with exact
// numbers. The same sampler against the real /proc is in processSampler.live.test.ts.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LinuxProcessSampler } from '../../../src/backend/sampling/linux/processSampler';
import { newStatFields, parseStat } from '../../../src/backend/sampling/linux/stat';
import { BOOT_TIME_SEC, FakeProc, statLine, type FakeProcess } from './fakeProc';
import type { CommandLineMode, ProcessSample } from '../../../src/backend/types';

let fake: FakeProc;
const samplers: LinuxProcessSampler[] = [];

function sampler(opts: { commandLine?: CommandLineMode; maxOpenFds?: number; selfPid?: number } = {}): LinuxProcessSampler {
  const s = new LinuxProcessSampler({
    procRoot: fake.root,
    passwdPath: fake.passwd,
    commandLine: opts.commandLine ?? 'full',
    clkTck: 100,
    pageSize: 4096,
    ...(opts.maxOpenFds !== undefined ? { maxOpenFds: opts.maxOpenFds } : {}),
    ...(opts.selfPid !== undefined ? { selfPid: opts.selfPid } : {}),
  });
  samplers.push(s);
  return s;
}

const byPid = (list: ProcessSample[], pid: number): ProcessSample | undefined => list.find((p) => p.pid === pid);

beforeEach(() => {
  fake = new FakeProc();
});
afterEach(() => {
  for (const s of samplers.splice(0)) s.dispose();
  fake.dispose();
});

describe('parseStat', () => {
  it.each([
    ['plain', 'bash'],
    ['spaces', 'Web Content'],
    ['parentheses', 'a) (b'],
    ['a trailing ") "', 'x) S 1 2 (y'],
    ['empty', ''],
  ])('reads comm with %s up to the last ")"', (_what, comm) => {
    const line = statLine({ pid: 42, comm, state: 'R', ppid: 7, utime: 11, stime: 22, threads: 3, startTicks: 12345, rssPages: 99 });
    const buf = Buffer.from(line);
    const f = newStatFields();
    expect(parseStat(buf, buf.length, f)).toBe(true);
    expect(buf.toString('utf8', f.commStart, f.commEnd)).toBe(comm);
    expect(String.fromCharCode(f.state)).toBe('R');
    expect([f.ppid, f.cpuTicks, f.threads, f.startTicks, f.rssPages]).toEqual([7, 33, 3, 12345, 99]);
  });

  it('rejects empty and cut-off lines', () => {
    const f = newStatFields();
    expect(parseStat(Buffer.alloc(0), 0, f)).toBe(false);
    const line = Buffer.from(statLine({ pid: 1, comm: 'init', startTicks: 5 }));
    expect(parseStat(line, line.indexOf(')') + 10, f)).toBe(false);
  });
});

describe('LinuxProcessSampler on a fake /proc', () => {
  const app: FakeProcess = {
    pid: 500,
    comm: 'my (weird) app',
    ppid: 1,
    utime: 100,
    stime: 50,
    threads: 4,
    startTicks: 250,
    rssPages: 10,
    argv: ['/opt/app', '--port', '80'],
    uid: 1000,
  };

  it('reports pid, ppid, name, user, state, threads, rss and start time from the files', async () => {
    fake.put(app);
    fake.put({ pid: 2, comm: 'kthreadd', ppid: 0, startTicks: 0, rssPages: 0, argv: [] });
    const list = await sampler().sample(1_000);
    const p = byPid(list, 500)!;
    expect(p).toEqual({
      pid: 500,
      ppid: 1,
      startTime: BOOT_TIME_SEC * 1000 + 2500,
      name: 'my (weird) app',
      command: '/opt/app --port 80',
      user: 'alice',
      state: 'S',
      cpu: 0, // first sight: no baseline
      rssBytes: 10 * 4096,
      threads: 4,
      // No io file (as for another user's process): unknown, not 0.
      readBytes: null,
      writeBytes: null,
      childrenCpu: 0,
    });
    expect(byPid(list, 2)?.command).toBe('[kthreadd]');
  });

  it('computes CPU % of one core from tick deltas over the elapsed time', async () => {
    fake.put(app);
    const s = sampler();
    await s.sample(10_000);
    fake.putStat({ ...app, utime: 100 + 150, stime: 50 + 50 }); // 200 ticks = 2 s of CPU
    expect(byPid(await s.sample(11_000), 500)?.cpu).toBe(200); // in 1 s: two full cores
    fake.putStat({ ...app, utime: 250 + 25, stime: 100 }); // 25 ticks in 0.5 s
    expect(byPid(await s.sample(11_500), 500)?.cpu).toBe(50);
  });

  it('reports storage bytes per interval from /proc/<pid>/io and the CPU of finished children', async () => {
    const p: FakeProcess = { ...app, io: { read: 5000, write: 70_000 }, cutime: 40, cstime: 10 };
    fake.put(p);
    const s = sampler();
    // Already running at the first sample: no baseline, so unknown (not the totals since it started).
    expect(byPid(await s.sample(10_000), 500)).toMatchObject({ readBytes: null, writeBytes: null, childrenCpu: 0 });
    fake.putIo({ ...p, io: { read: 5000 + 4096, write: 70_000 + (64 << 20) } });
    fake.putStat({ ...p, cutime: 40 + 150, cstime: 10 + 50 }); // children that exited: 2 s of CPU
    expect(byPid(await s.sample(12_000), 500)).toMatchObject({ readBytes: 4096, writeBytes: 64 << 20, childrenCpu: 100 });
    // A process born between two samples: everything its counters hold happened in the interval.
    fake.put({ pid: 700, comm: 'dd', startTicks: 1150, io: { read: 0, write: 1 << 20 }, cutime: 5, cstime: 5 });
    expect(byPid(await s.sample(14_000), 700)).toMatchObject({ readBytes: 0, writeBytes: 1 << 20, childrenCpu: 5 });
    // The io files stay open like the stat files: one open each.
    expect(s.counters.ioOpens).toBe(2);
    expect(s.openFds).toBe(4);
  });

  it('reads the io file only of processes that ran since, and loses no bytes by it', async () => {
    const p: FakeProcess = { ...app, io: { read: 0, write: 1000 } };
    fake.put(p);
    const s = sampler();
    await s.sample(10_000);
    await s.sample(12_000);
    const reads = s.counters.ioReads;
    // It did not run (same ticks): no read, and no I/O could have been submitted.
    fake.putIo({ ...p, io: { read: 0, write: 1000 + 512 } }); // less than a tick of work
    expect(byPid(await s.sample(14_000), 500)).toMatchObject({ readBytes: 0, writeBytes: 0 });
    expect(s.counters.ioReads).toBe(reads);
    // Once it shows a tick, everything since the last read is reported.
    fake.putStat({ ...p, utime: 101 });
    expect(byPid(await s.sample(16_000), 500)).toMatchObject({ writeBytes: 512 });
    expect(s.counters.ioReads).toBe(reads + 1);
  });

  it('asks once per process for an io file it cannot read', async () => {
    fake.put(app);
    const s = sampler();
    for (let i = 0; i < 4; i++) expect(byPid(await s.sample(1_000 * (i + 1)), 500)?.writeBytes).toBeNull();
    expect(s.counters.ioOpens).toBe(1);
  });

  it('treats a pid with a different start time as a new process', async () => {
    fake.put(app);
    const s = sampler();
    await s.sample(10_000);
    await s.sample(11_000);
    expect(s.counters.cmdlineReads).toBe(1);
    // The pid is recycled: same number, later start, different program, fewer ticks than before.
    const reborn: FakeProcess = { pid: 500, comm: 'other', startTicks: 900, utime: 3, stime: 0, argv: ['/bin/other'], uid: 0 };
    fake.put(reborn);
    const p = byPid(await s.sample(12_000), 500)!;
    expect(p.startTime).toBe(BOOT_TIME_SEC * 1000 + 9000);
    expect(p.cpu).toBe(0); // its baseline was reset, not computed against the old process's ticks
    expect(p.name).toBe('other');
    expect(p.command).toBe('/bin/other');
    expect(p.user).toBe('root');
    expect(s.counters.cmdlineReads).toBe(2);
    fake.putStat({ ...reborn, utime: 53 });
    expect(byPid(await s.sample(13_000), 500)?.cpu).toBe(50);
  });

  it('reads the command line and the user once per process, not per sample', async () => {
    fake.put(app);
    fake.put({ pid: 501, comm: 'b', startTicks: 300, argv: ['b'] });
    const s = sampler();
    for (let i = 0; i < 5; i++) await s.sample(1_000 * (i + 1));
    expect(s.counters.cmdlineReads).toBe(2);
    expect(s.counters.statusReads).toBe(2);
    // Only the stat files were opened, once each: later samples re-read the kept fds.
    expect(s.counters.statOpens).toBe(2);
    expect(s.openFds).toBe(2);
  });

  it('reads the command line again when the process exec()s (its comm changes)', async () => {
    fake.put({ pid: 600, comm: 'bash', startTicks: 10, argv: ['bash'] });
    const s = sampler();
    expect(byPid(await s.sample(1_000), 600)?.command).toBe('bash');
    fake.put({ pid: 600, comm: 'sleep', startTicks: 10, argv: ['sleep', '1000'] });
    const p = byPid(await s.sample(2_000), 600)!;
    expect([p.name, p.command]).toEqual(['sleep', 'sleep 1000']);
    expect(s.counters.cmdlineReads).toBe(2);
  });

  it('applies the command line mode, re-reading on a change instead of keeping raw command lines', async () => {
    fake.put({ pid: 700, comm: 'mysql', startTicks: 10, argv: ['mysql', '-uroot', '-phunter2', 'shop'] });
    const s = sampler({ commandLine: 'redacted' });
    expect(byPid(await s.sample(1_000), 700)?.command).toBe('mysql -uroot -p*** shop');
    s.setCommandLineMode('off');
    expect(byPid(await s.sample(2_000), 700)?.command).toBe('');
    expect(s.counters.cmdlineReads).toBe(1); // 'off' reads nothing
    s.setCommandLineMode('full');
    expect(byPid(await s.sample(3_000), 700)?.command).toBe('mysql -uroot -phunter2 shop');
    s.setCommandLineMode('redacted');
    expect(byPid(await s.sample(4_000), 700)?.command).toBe('mysql -uroot -p*** shop');
    await s.sample(5_000);
    expect(s.counters.cmdlineReads).toBe(3);
  });

  it('drops processes that are gone and closes their files', async () => {
    fake.put(app);
    fake.put({ pid: 501, comm: 'b', startTicks: 300, argv: ['b'] });
    const s = sampler();
    expect((await s.sample(1_000)).length).toBe(2);
    fake.remove(501);
    const list = await s.sample(2_000);
    expect(list.map((p) => p.pid)).toEqual([500]);
    expect(s.openFds).toBe(1);
  });

  it('skips entries whose stat is empty or unreadable, without throwing', async () => {
    fake.put(app);
    fake.put({ pid: 502, comm: 'dying', startTicks: 1 });
    fake.putStat({ pid: 502, comm: 'dying', startTicks: 1 });
    const s = sampler();
    await s.sample(1_000);
    // A process that exits leaves an empty or missing stat behind for a moment.
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(`${fake.root}/502/stat`, '');
    expect((await s.sample(2_000)).map((p) => p.pid)).toEqual([500]);
    fake.put({ pid: 503, comm: 'x', startTicks: 1 });
    rmSync(`${fake.root}/503/stat`);
    expect((await s.sample(3_000)).map((p) => p.pid).sort()).toEqual([500]);
  });

  it('works with open/read/close only when no fds may be kept', async () => {
    fake.put(app);
    const s = sampler({ maxOpenFds: 0 });
    await s.sample(1_000);
    fake.putStat({ ...app, utime: 200 });
    expect(byPid(await s.sample(2_000), 500)?.cpu).toBe(100);
    expect(s.openFds).toBe(0);
    expect(s.counters.statOpens).toBe(2);
    expect(s.counters.cmdlineReads).toBe(1);
  });

  it('falls back to the uid when /etc/passwd does not know it, and learns names added later', async () => {
    fake.put({ ...app, uid: 4242 });
    const s = sampler();
    expect(byPid(await s.sample(1_000), 500)?.user).toBe('4242');
    const { appendFileSync, utimesSync } = await import('node:fs');
    appendFileSync(fake.passwd, 'bob:x:4243:4243::/home/bob:/bin/sh\n');
    utimesSync(fake.passwd, new Date(), new Date(Date.now() + 5_000));
    fake.put({ pid: 501, comm: 'b', startTicks: 300, uid: 4243 });
    expect(byPid(await s.sample(2_000), 501)?.user).toBe('bob');
  });

  describe('idle processes', () => {
    const sleeper: FakeProcess = {
      pid: 600,
      comm: 'sleep',
      ppid: 1,
      utime: 3,
      stime: 1,
      startTicks: 400,
      rssPages: 50,
      argv: ['sleep', '1d'],
      schedstat: true,
    };

    it('probes a sleeping single-threaded process with schedstat instead of stat, and reads stat once it ran', async () => {
      fake.put(sleeper);
      fake.put({ ...app, schedstat: true }); // 4 threads: schedstat is only its main thread's
      const s = sampler();
      await s.sample(1_000);
      await s.sample(3_000); // slept: baseline taken
      const reads = s.counters.statReads;
      const list = await s.sample(5_000);
      // Only the multi-threaded app's stat was read.
      expect(s.counters.statReads - reads).toBe(1);
      expect(byPid(list, 600)).toMatchObject({ cpu: 0, rssBytes: 50 * 4096, state: 'S', ppid: 1, threads: 1, command: 'sleep 1d' });
      fake.putStat({ ...sleeper, utime: 23, state: 'R', rssPages: 60 });
      const woke = byPid(await s.sample(7_000), 600)!;
      expect(woke).toMatchObject({ cpu: 10, rssBytes: 60 * 4096, state: 'R' });
      expect(s.counters.statReads - reads).toBe(3);
    });

    it('reads stat again within half a minute even when it never ran (reclaim shrinks a sleeper)', async () => {
      fake.put(sleeper);
      const s = sampler();
      await s.sample(1_000);
      await s.sample(3_000);
      fake.putStatAsleep({ ...sleeper, rssPages: 20 });
      expect(byPid(await s.sample(5_000), 600)?.rssBytes).toBe(50 * 4096);
      expect(byPid(await s.sample(33_000), 600)?.rssBytes).toBe(20 * 4096);
    });

    it('notices an idle process exit and a child reparented when its parent exits', async () => {
      fake.put({ ...sleeper, pid: 601, comm: 'parent' });
      fake.put({ ...sleeper, ppid: 601 });
      const s = sampler();
      await s.sample(1_000);
      await s.sample(3_000);
      fake.remove(601);
      fake.putStatAsleep({ ...sleeper, ppid: 1 });
      const after = await s.sample(5_000);
      expect(after.map((p) => p.pid)).toEqual([600]);
      expect(byPid(await s.sample(7_000), 600)?.ppid).toBe(1);
    });

    it('skips the /proc readdir while no pid was handed out, and lists a new process once one was', async () => {
      fake.putLoadavg(600, 4242);
      fake.put(sleeper);
      const s = sampler({ selfPid: 4242 });
      await s.sample(1_000);
      fake.put({ ...sleeper, pid: 602 });
      // The kernel would have handed out 602; this loadavg still says 600: the readdir is skipped.
      expect((await s.sample(3_000)).map((p) => p.pid)).toEqual([600]);
      expect(s.counters.dirReads).toBe(1);
      fake.putLoadavg(602, 4242);
      expect((await s.sample(5_000)).map((p) => p.pid).sort()).toEqual([600, 602]);
      expect(s.counters.dirReads).toBe(2);
    });

    it('never skips the readdir when /proc is not of our pid namespace', async () => {
      fake.putLoadavg(600, 4242);
      fake.put(sleeper);
      const s = sampler({ selfPid: 77 });
      await s.sample(1_000);
      fake.put({ ...sleeper, pid: 602 });
      expect((await s.sample(3_000)).map((p) => p.pid).sort()).toEqual([600, 602]);
    });
  });
});
