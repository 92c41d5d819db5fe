// A directory laid out like /proc, for what the OS cannot give on demand: a pid recycled by a new
// process, a comm with parentheses, exact tick counts. Files are rewritten in place (same inode), as
// procfs content changes under an open fd.

import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeProcess {
  pid: number;
  comm: string;
  state?: string;
  ppid?: number;
  utime?: number;
  stime?: number;
  threads?: number;
  startTicks: number;
  rssPages?: number;
  /** CPU ticks of finished children. */
  cutime?: number;
  cstime?: number;
  /** Cumulative storage bytes (/proc/<pid>/io); no io file without it (as for another user's process). */
  io?: { read: number; write: number };
  /** argv; [] for a kernel thread. */
  argv?: string[];
  uid?: number;
  /**
   * Give it a /proc/<pid>/schedstat (nanoseconds on the CPU): every put or putStat then counts as
   * the process having run (as any change a process makes to its own stat line needs it to run).
   */
  schedstat?: boolean;
}

export const BOOT_TIME_SEC = 1_700_000_000;

export class FakeProc {
  readonly root = mkdtempSync(join(tmpdir(), 'vitals-fakeproc-'));
  readonly passwd = join(this.root, 'passwd');

  /** How often each process "ran" (put/putStat), for its schedstat. */
  private readonly runs = new Map<number, number>();

  constructor() {
    writeFileSync(join(this.root, 'stat'), `cpu  1 2 3 4 5 6 7 8 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nbtime ${BOOT_TIME_SEC}\n`);
    writeFileSync(this.passwd, 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    mkdirSync(join(this.root, 'self'));
  }

  put(p: FakeProcess): void {
    const dir = join(this.root, String(p.pid));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stat'), statLine(p));
    this.ran(p);
    if (p.io) this.putIo(p);
    writeFileSync(join(dir, 'cmdline'), (p.argv ?? []).map((a) => `${a}\0`).join(''));
    const uid = p.uid ?? 0;
    writeFileSync(
      join(dir, 'status'),
      `Name:\t${p.comm}\nUmask:\t0022\nState:\tS (sleeping)\nPid:\t${p.pid}\nUid:\t${uid}\t${uid}\t${uid}\t${uid}\n`,
    );
  }

  /** Only the stat line changes (CPU ticks, state): what happens between two samples. */
  putStat(p: FakeProcess): void {
    writeFileSync(join(this.root, String(p.pid), 'stat'), statLine(p));
    this.ran(p);
  }

  /** The stat line changes while the process sleeps (the kernel reclaimed some of its memory). */
  putStatAsleep(p: FakeProcess): void {
    writeFileSync(join(this.root, String(p.pid), 'stat'), statLine(p));
  }

  /** A loadavg whose last field is the last pid handed out, and a `self` naming `selfPid`. */
  putLoadavg(lastPid: number, selfPid: number): void {
    writeFileSync(join(this.root, 'loadavg'), `0.10 0.20 0.30 1/123 ${lastPid}\n`);
    rmSync(join(this.root, 'self'), { recursive: true, force: true });
    symlinkSync(String(selfPid), join(this.root, 'self'));
  }

  private ran(p: FakeProcess): void {
    if (!p.schedstat) return;
    const runs = (this.runs.get(p.pid) ?? 0) + 1;
    this.runs.set(p.pid, runs);
    const ns = ((p.utime ?? 0) + (p.stime ?? 0)) * 10_000_000 + runs;
    writeFileSync(join(this.root, String(p.pid), 'schedstat'), `${ns} 1234 5\n`);
  }

  putIo(p: FakeProcess): void {
    const io = p.io ?? { read: 0, write: 0 };
    writeFileSync(
      join(this.root, String(p.pid), 'io'),
      `rchar: ${io.read + 7}\nwchar: ${io.write + 9}\nsyscr: 12\nsyscw: 34\nread_bytes: ${io.read}\nwrite_bytes: ${io.write}\ncancelled_write_bytes: 0\n`,
    );
  }

  remove(pid: number): void {
    rmSync(join(this.root, String(pid)), { recursive: true, force: true });
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

export function statLine(p: FakeProcess): string {
  const f = [
    p.pid,
    `(${p.comm})`,
    p.state ?? 'S',
    p.ppid ?? 1,
    p.pid, // pgrp
    p.pid, // session
    0, // tty_nr
    -1, // tpgid
    4194560, // flags
    100, // minflt
    0,
    0,
    0,
    p.utime ?? 0,
    p.stime ?? 0,
    p.cutime ?? 0,
    p.cstime ?? 0,
    20, // priority
    0, // nice
    p.threads ?? 1,
    0, // itrealvalue
    p.startTicks,
    123456789, // vsize
    p.rssPages ?? 100,
    '18446744073709551615',
    1,
    1,
    0,
  ];
  return `${f.join(' ')}\n`;
}
