// Per-process sampling straight from /proc. This is the monitor's hot path (every process, every
// interval), so it is built around cost:
// - one readdir of /proc plus one pread of /proc/<pid>/stat per process: the stat file of each process
//   stays open and is re-read at offset 0 (procfs regenerates it per read), no open/close per sample;
// - the stat line is parsed from the bytes, not decoded into a string;
// - the command line, the user and the cgroup (its container) are read once per process identity
//   (pid + start time), not per sample; the command line and cgroup again only when the process
//   exec()s (its comm changes: a runtime moves a container's first process before its exec), the
//   command line also when the command line mode changes.
// When the fd budget runs out (EMFILE) it closes kept fds and falls back to open/read/close.
//
// CPU % is of ONE core, like `top`: 200 means two full cores. A process seen for the first time has no
// baseline yet and reports 0; its real use shows from its second sample on.

import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { uptime } from 'node:os';
import type { CommandLineMode, ContainerRef, Millis, ProcessSample, ProcessSampler } from '../../types';
import { containerOfCgroupFile } from './cgroup';
import { presentCommandLine } from '../redact';
import { isOutOfFds, openFileLimit, readBootTime, readOnce, sysconf } from './procfs';
import { newStatFields, parseStat } from './stat';
import { UserNames } from './users';

export interface LinuxProcessSamplerOptions {
  commandLine: CommandLineMode;
  /** Where procfs is mounted; tests point it at a directory laid out like /proc. */
  procRoot?: string;
  passwdPath?: string;
  clkTck?: number;
  pageSize?: number;
  /** Boot time in seconds since the epoch; read from `<procRoot>/stat` when not given. */
  bootTimeSec?: number;
  /** How many /proc/<pid>/stat files may stay open; 0 means open/read/close every time. */
  maxOpenFds?: number;
}

interface Tracked {
  /** Kept-open fd of /proc/<pid>/stat, or -1. */
  fd: number;
  startTicks: number;
  startTime: Millis;
  /** comm bytes as last seen, compared in place to notice an exec without decoding. */
  comm: Buffer;
  commLen: number;
  name: string;
  cpuTicks: number;
  lastT: Millis;
  user: string;
  command: string;
  /** The mode `command` was derived under; null when it must be (re-)read. */
  commandMode: CommandLineMode | null;
  /** From /proc/<pid>/cgroup; undefined on the host. */
  container: ContainerRef | undefined;
  seen: number;
}

/** Restore the full fd budget this long after an EMFILE made us shrink it. */
const FD_BUDGET_RECOVERY_MS = 10 * 60_000;
const MAX_KEPT_FDS = 4096;

export class LinuxProcessSampler implements ProcessSampler {
  /** Read counts, for tests and for the monitor's own health figures. */
  readonly counters = { statOpens: 0, cmdlineReads: 0, statusReads: 0, cgroupReads: 0 };

  private readonly procRoot: string;
  private readonly clkTck: number;
  private readonly pageSize: number;
  private readonly bootMs: number;
  private readonly users: UserNames;
  private readonly tracked = new Map<number, Tracked>();
  private readonly statBuf = Buffer.allocUnsafe(1024);
  private readonly scratch = { buf: Buffer.allocUnsafe(4096) };
  private readonly fields = newStatFields();
  private mode: CommandLineMode;
  private generation = 0;
  private keptFds = 0;
  private readonly fullFdBudget: number;
  private fdBudget: number;
  private fdBudgetShrunkAt = 0;
  private now: Millis = 0;
  /** fd opened by the last readStat that the caller must keep (or close), -1 if none. */
  private pendingFd = -1;

  constructor(opts: LinuxProcessSamplerOptions) {
    this.procRoot = opts.procRoot ?? '/proc';
    this.mode = opts.commandLine;
    const sc = opts.clkTck !== undefined && opts.pageSize !== undefined ? undefined : sysconf();
    this.clkTck = opts.clkTck ?? sc!.clkTck;
    this.pageSize = opts.pageSize ?? sc!.pageSize;
    const btime = opts.bootTimeSec ?? readBootTime(this.procRoot);
    // Without btime, boot time from uptime is good to a second, like btime itself.
    this.bootMs = btime !== undefined ? btime * 1000 : Math.floor((Date.now() - uptime() * 1000) / 1000) * 1000;
    this.users = new UserNames(opts.passwdPath);
    // A quarter of our fd limit at most: this runs inside processes (the extension host) whose other
    // users need fds too.
    this.fullFdBudget = opts.maxOpenFds ?? Math.min(MAX_KEPT_FDS, Math.floor((openFileLimit() ?? 1024) / 4));
    this.fdBudget = this.fullFdBudget;
  }

  /** How many stat files are kept open right now. */
  get openFds(): number {
    return this.keptFds;
  }

  setCommandLineMode(mode: CommandLineMode): void {
    // Command lines are not kept raw, so each process's is read again at its next sample.
    this.mode = mode;
  }

  sample(now: Millis): Promise<ProcessSample[]> {
    try {
      return Promise.resolve(this.sampleSync(now));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Synchronous: procfs reads never wait on a disk, and the monitor runs off the UI thread. */
  sampleSync(now: Millis): ProcessSample[] {
    this.now = now;
    if (this.fdBudget < this.fullFdBudget && now - this.fdBudgetShrunkAt > FD_BUDGET_RECOVERY_MS) this.fdBudget = this.fullFdBudget;
    const gen = ++this.generation;
    let entries: string[];
    try {
      entries = readdirSync(this.procRoot);
    } catch {
      entries = [];
    }
    const out: ProcessSample[] = [];
    const f = this.fields;
    for (const entry of entries) {
      const pid = parsePid(entry);
      if (pid < 0) continue;
      let t = this.tracked.get(pid);
      const len = this.readStat(pid, t);
      if (t) t.fd = this.pendingFd;
      if (len <= 0 || !parseStat(this.statBuf, len, f)) {
        if (t) this.forget(pid, t);
        else if (this.pendingFd >= 0) this.closeKept(this.pendingFd);
        continue;
      }

      let cpu = 0;
      if (t === undefined || t.startTicks !== f.startTicks) {
        // A new process, or a new one that got a recycled pid: no CPU baseline yet.
        if (t === undefined) {
          t = newTracked(this.pendingFd);
          this.tracked.set(pid, t);
        }
        t.startTicks = f.startTicks;
        t.startTime = this.bootMs + Math.round((f.startTicks * 1000) / this.clkTck);
        t.commLen = -1;
        t.commandMode = null;
        t.user = '';
      } else {
        const dt = now - t.lastT;
        if (dt > 0 && f.cpuTicks > t.cpuTicks) cpu = Math.round(((f.cpuTicks - t.cpuTicks) * 100_000 * 100) / (this.clkTck * dt)) / 100;
      }
      t.cpuTicks = f.cpuTicks;
      t.lastT = now;
      t.seen = gen;
      // Read once per identity; again only if that read failed (e.g. out of fds for a moment).
      if (t.user === '') t.user = this.readUser(pid);

      if (!sameComm(t, this.statBuf, f.commStart, f.commEnd)) {
        // First sight, or the process exec()ed: new name, and its command line changed too.
        setComm(t, this.statBuf, f.commStart, f.commEnd);
        t.commandMode = null;
        t.container = this.readContainer(pid);
      }
      if (t.commandMode !== this.mode) {
        const cmd = this.readCommand(pid, t.name);
        if (cmd !== null) {
          t.command = cmd;
          t.commandMode = this.mode;
        }
      }

      out.push({
        pid,
        ppid: f.ppid,
        startTime: t.startTime,
        name: t.name,
        command: t.command,
        user: t.user,
        state: String.fromCharCode(f.state),
        cpu,
        rssBytes: f.rssPages * this.pageSize,
        threads: f.threads,
        ...(t.container ? { container: t.container } : {}),
      });
    }
    for (const [pid, t] of this.tracked) if (t.seen !== gen) this.forget(pid, t);
    return out;
  }

  dispose(): void {
    for (const [pid, t] of this.tracked) this.forget(pid, t);
  }

  /** Reads /proc/<pid>/stat into statBuf; returns its length, or -1 if the process is gone. */
  private readStat(pid: number, t: Tracked | undefined): number {
    this.pendingFd = -1;
    if (t && t.fd >= 0) {
      try {
        const n = readSync(t.fd, this.statBuf, 0, this.statBuf.length, 0);
        if (n > 0) {
          this.pendingFd = t.fd;
          return n;
        }
      } catch {
        // ESRCH: the process behind this fd exited. The pid may already be someone else's: reopen.
      }
      this.closeKept(t.fd);
      t.fd = -1;
    }
    const fd = this.openStat(`${this.procRoot}/${pid}/stat`);
    if (fd < 0) return -1;
    let n: number;
    try {
      n = readSync(fd, this.statBuf, 0, this.statBuf.length, 0);
    } catch {
      n = -1;
    }
    if (n > 0 && this.keptFds < this.fdBudget) {
      this.keptFds++;
      this.pendingFd = fd;
    } else {
      closeQuietly(fd);
    }
    return n;
  }

  private openStat(path: string): number {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        this.counters.statOpens++;
        return openSync(path, 'r');
      } catch (err) {
        if (!isOutOfFds(err) || attempt === 1) return -1;
        this.shrinkFdBudget();
      }
    }
    return -1;
  }

  /** Out of fds: give half of ours back and read the rest with open/read/close for a while. */
  private shrinkFdBudget(): void {
    this.fdBudget = Math.floor(this.keptFds / 2);
    this.fdBudgetShrunkAt = this.now;
    for (const t of this.tracked.values()) {
      if (this.keptFds <= this.fdBudget) break;
      if (t.fd >= 0) {
        this.closeKept(t.fd);
        t.fd = -1;
      }
    }
  }

  private closeKept(fd: number): void {
    closeQuietly(fd);
    this.keptFds--;
  }

  private forget(pid: number, t: Tracked): void {
    if (t.fd >= 0) this.closeKept(t.fd);
    t.fd = -1;
    this.tracked.delete(pid);
  }

  /** The command line under the current mode; null when it could not be read now (retry next time). */
  private readCommand(pid: number, name: string): string | null {
    if (this.mode === 'off') return '';
    let n: number;
    try {
      this.counters.cmdlineReads++;
      n = readOnce(`${this.procRoot}/${pid}/cmdline`, this.scratch);
    } catch {
      return null; // out of fds
    }
    if (n < 0) return name; // unreadable to us
    // Arguments are NUL-separated; kernel threads (and zombies) have none.
    let end = n;
    while (end > 0 && this.scratch.buf[end - 1] === 0) end--;
    if (end === 0) return `[${name}]`;
    // Still NUL-separated: the redactor knows where each argument ends, then joins them with spaces.
    return presentCommandLine(this.scratch.buf.toString('utf8', 0, end), this.mode);
  }

  /** The container from /proc/<pid>/cgroup; undefined on the host or when unreadable. */
  private readContainer(pid: number): ContainerRef | undefined {
    let n: number;
    try {
      this.counters.cgroupReads++;
      n = readOnce(`${this.procRoot}/${pid}/cgroup`, this.scratch);
    } catch {
      return undefined; // out of fds: the next exec, if any, reads it again
    }
    return n > 0 ? containerOfCgroupFile(this.scratch.buf.toString('latin1', 0, n)) : undefined;
  }

  /** The effective user, as `ps` and `top` show it. */
  private readUser(pid: number): string {
    let n: number;
    try {
      this.counters.statusReads++;
      n = readOnce(`${this.procRoot}/${pid}/status`, this.scratch);
    } catch {
      n = -1;
    }
    if (n <= 0) return '';
    const text = this.scratch.buf.toString('latin1', 0, n);
    const m = /\nUid:\s+\d+\s+(\d+)/.exec(text);
    return m ? this.users.name(Number(m[1])) : '';
  }
}

function newTracked(fd: number): Tracked {
  return {
    fd,
    startTicks: -1,
    startTime: 0,
    comm: Buffer.allocUnsafe(32),
    commLen: -1,
    name: '',
    cpuTicks: 0,
    lastT: 0,
    user: '',
    command: '',
    commandMode: null,
    container: undefined,
    seen: 0,
  };
}

function sameComm(t: Tracked, buf: Buffer, start: number, end: number): boolean {
  const len = end - start;
  if (len !== t.commLen) return false;
  for (let i = 0; i < len; i++) if (t.comm[i] !== buf[start + i]) return false;
  return true;
}

function setComm(t: Tracked, buf: Buffer, start: number, end: number): void {
  const len = end - start;
  if (len > t.comm.length) t.comm = Buffer.allocUnsafe(len);
  buf.copy(t.comm, 0, start, end);
  t.commLen = len;
  t.name = buf.toString('utf8', start, end);
}

function parsePid(s: string): number {
  let v = 0;
  if (s.length === 0) return -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // nothing to do
  }
}
