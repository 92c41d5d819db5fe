// Per-process sampling straight from /proc. This is the monitor's hot path (every process, every
// interval), so it is built around cost:
// - one readdir of /proc plus one pread of /proc/<pid>/stat per process: the stat file of each process
//   stays open and is re-read at offset 0 (procfs regenerates it per read), no open/close per sample;
// - the stat line is parsed from the bytes, not decoded into a string;
// - the command line, the user and the cgroup (its container) are read once per process identity
//   (pid + start time), not per sample; the command line and cgroup again only when the process
//   exec()s (its comm changes: a runtime moves a container's first process before its exec), the
//   command line also when the command line mode changes.
// - /proc/<pid>/io (storage bytes read and written) like stat: kept open per process identity
//   and pread, parsed from the bytes, and only for processes that ran since it was last read (see
//   IO_REFRESH_MS); a process whose io file we may not read (another user's, unless we are root) is
//   marked once per identity and reported as unknown (null), never as 0;
// - the CPU of finished children is the growth of cutime + cstime, from the same stat read;
// - a single-threaded process that slept through its last interval (most of a machine's processes:
//   every `sleep`, shell and idle daemon) is probed with /proc/<pid>/schedstat instead, kept open like
//   stat: its nanoseconds on the CPU, a file the kernel produces at less than half the cost of stat.
//   Unchanged, the process has not run, so nothing stat says can have changed but its memory
//   (reclaim can shrink a sleeper): its last figures are reported, with 0 % CPU, and stat is read
//   again at least every STAT_REFRESH_MS. Only the leader thread's time is in schedstat, hence single-
//   threaded processes only; children of a process that exited are read in full (they were reparented);
// - the /proc readdir is skipped when no pid was handed out since the last one (the last pid in
//   /proc/loadavg; a fork or a thread takes one), at least every DIR_REFRESH_MS: every process
//   there is then one we track, and an exit shows as a failed read of its kept files.
// When the fd budget runs out (EMFILE) it closes kept fds and falls back to open/read/close.
//
// A process first seen in a sample that is not the sampler's first was born during the interval:
// its I/O and children's CPU counters count from zero, so a short-lived writer is not lost. Processes
// already running at the first sample have no baseline: their I/O is unknown for that one sample.
//
// CPU % is of ONE core, like `top`: 200 means two full cores. A process seen for the first time has no
// baseline yet and reports 0; its real use shows from its second sample on.

import { closeSync, openSync, readdirSync, readlinkSync, readSync } from 'node:fs';
import { uptime } from 'node:os';
import type { CommandLineMode, ContainerRef, Millis, ProcessSample, ProcessSampler } from '../../types';
import { containerOfCgroupFile } from './cgroup';
import { presentCommandLine } from '../redact';
import { isOutOfFds, leadingUint, openFileLimit, ProcFile, readBootTime, readOnce, sysconf } from './procfs';
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
  /** Our pid as `<procRoot>/self` names it (tests); the readdir is skipped only when they agree. */
  selfPid?: number;
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
  childTicks: number;
  lastT: Millis;
  /** Kept-open fd of /proc/<pid>/io, or -1. */
  ioFd: number;
  /** The io file could not be read for this identity: unknown until the pid is someone else's. */
  ioDenied: boolean;
  /** Cumulative read_bytes / write_bytes at the last sample, -1 without a baseline. */
  ioRead: number;
  ioWrite: number;
  /** When the io file was last read. */
  ioReadAt: Millis;
  /** Kept-open fd of /proc/<pid>/schedstat, -1 if not open, -2 if it cannot be (no such file). */
  schedFd: number;
  /** Nanoseconds on the CPU when it was last seen idle; -1 when stat must be read next time. */
  schedNs: number;
  /** When stat was last read, and how long an idle process may go without (spread per pid). */
  statAt: Millis;
  refreshMs: number;
  /** From the last stat read: what an idle process is reported with. */
  ppid: number;
  state: string;
  rssBytes: number;
  threads: number;
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
/**
 * The io file of a process that has not run since it was last read is not read again (it cannot
 * have submitted I/O; most processes sleep through most intervals), except this often: CPU ticks
 * are counted per clock tick, and a process that ran for less than one may show none. Its bytes are
 * then not lost, only reported at the next read.
 */
const IO_REFRESH_MS = 30_000;
/** An idle process's stat is read at least this often (less up to 9 s, by pid, so not all at once). */
const STAT_REFRESH_MS = 30_000;
/** The /proc readdir happens at least this often even when no pid was handed out. */
const DIR_REFRESH_MS = 30_000;
/** Sleeping (S) and idle kernel threads (I): the states an idle process is reported in unread. */
const SLEEPING = 0x53;
const IDLE = 0x49;

export class LinuxProcessSampler implements ProcessSampler {
  /** Read counts, for tests and for the monitor's own health figures. */
  readonly counters = {
    statOpens: 0,
    statReads: 0,
    schedReads: 0,
    dirReads: 0,
    cmdlineReads: 0,
    statusReads: 0,
    cgroupReads: 0,
    ioOpens: 0,
    ioReads: 0,
  };

  private readonly procRoot: string;
  private readonly clkTck: number;
  private readonly pageSize: number;
  private readonly bootMs: number;
  private readonly users: UserNames;
  private readonly tracked = new Map<number, Tracked>();
  private readonly statBuf = Buffer.allocUnsafe(1024);
  private readonly ioBuf = Buffer.allocUnsafe(512);
  /** read_bytes and write_bytes of the last readIo. */
  private readonly io = [0, 0];
  /** The previous sample's time, 0 before the first. */
  private prevNow: Millis = 0;
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
  private readonly schedBuf = Buffer.allocUnsafe(128);
  /** The pids to read this sample (reused). */
  private readonly pids: number[] = [];
  /** Pids of processes that ended during this sample (their children were reparented). */
  private readonly gone: number[] = [];
  /** /proc/loadavg, null when the readdir must never be skipped (see ownLoadavg()). */
  private readonly loadavg: ProcFile | null;
  /** The last pid handed out as of the last readdir; -1 forces the next one. */
  private dirLastPid = -1;
  private dirAt: Millis = 0;

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
    this.loadavg = ownLoadavg(this.procRoot, opts.selfPid ?? process.pid);
  }

  /** How many stat and io files are kept open right now. */
  get openFds(): number {
    return this.keptFds;
  }

  setCommandLineMode(mode: CommandLineMode): void {
    // Command lines are not kept raw, so each process's is read again at its next sample.
    this.mode = mode;
    for (const t of this.tracked.values()) t.schedNs = -1;
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
    this.gone.length = 0;
    const out: ProcessSample[] = [];
    const f = this.fields;
    for (const pid of this.listPids(now)) {
      let t = this.tracked.get(pid);
      let probedNs = -1;
      if (t !== undefined && t.schedNs >= 0 && now - t.statAt < t.refreshMs) {
        probedNs = this.readSched(pid, t);
        if (probedNs === t.schedNs) {
          // Slept through the interval: nothing to read.
          t.lastT = now;
          t.seen = gen;
          out.push(sampleOf(pid, t, 0, 0, t.ioDenied || t.ioRead < 0 ? null : 0));
          continue;
        }
      }
      const len = this.readStat(pid, t);
      if (t) t.fd = this.pendingFd;
      if (len <= 0 || !parseStat(this.statBuf, len, f)) {
        if (t) this.forget(pid, t);
        else if (this.pendingFd >= 0) this.closeKept(this.pendingFd);
        // Usually gone; if not (out of fds for a moment), untracked it would not be listed again
        // until a pid is handed out: the next sample reads /proc.
        this.dirLastPid = -1;
        continue;
      }

      let cpu = 0;
      let childrenCpu = 0;
      // Whether the counters have a baseline: false for a process already running at the first sample.
      let baseline = true;
      const fresh = t === undefined || t.startTicks !== f.startTicks;
      if (t === undefined || t.startTicks !== f.startTicks) {
        // A new process, or a new one that got a recycled pid: no CPU baseline yet.
        if (t === undefined) {
          t = newTracked(this.pendingFd, pid);
          this.tracked.set(pid, t);
        } else {
          if (t.ioFd >= 0) this.closeKept(t.ioFd);
          t.ioFd = -1;
          if (t.schedFd >= 0) this.closeKept(t.schedFd);
          t.schedFd = -1;
          probedNs = -1;
        }
        // Not there at the previous sample: everything its counters hold happened since.
        baseline = this.prevNow > 0;
        t.ioDenied = false;
        t.ioReadAt = 0;
        t.ioRead = baseline ? 0 : -1;
        t.ioWrite = baseline ? 0 : -1;
        t.childTicks = baseline ? 0 : f.childTicks;
        t.lastT = this.prevNow;
        t.startTicks = f.startTicks;
        t.startTime = this.bootMs + Math.round((f.startTicks * 1000) / this.clkTck);
        t.commLen = -1;
        t.commandMode = null;
        t.user = '';
      } else {
        const dt = now - t.lastT;
        if (dt > 0 && f.cpuTicks > t.cpuTicks) cpu = this.percent(f.cpuTicks - t.cpuTicks, dt);
      }
      // Whether it ran since its io file was last read: a process that did not run submitted no I/O.
      const ran = fresh || f.cpuTicks !== t.cpuTicks || f.childTicks !== t.childTicks || now - t.ioReadAt >= IO_REFRESH_MS;
      const slept = !fresh && f.cpuTicks === t.cpuTicks && f.childTicks === t.childTicks;
      if (baseline && f.childTicks > t.childTicks && now > t.lastT) childrenCpu = this.percent(f.childTicks - t.childTicks, now - t.lastT);
      t.childTicks = f.childTicks;
      t.cpuTicks = f.cpuTicks;
      let readBytes: number | null = null;
      let writeBytes: number | null = null;
      if (t.ioDenied) {
        // unknown
      } else if (!ran && t.ioRead >= 0) {
        readBytes = 0;
        writeBytes = 0;
      } else if (this.readIo(pid, t)) {
        if (t.ioRead >= 0) {
          readBytes = Math.max(0, this.io[0]! - t.ioRead);
          writeBytes = Math.max(0, this.io[1]! - t.ioWrite);
        }
        t.ioRead = this.io[0]!;
        t.ioWrite = this.io[1]!;
        t.ioReadAt = now;
      }
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

      t.statAt = now;
      t.ppid = f.ppid;
      if (t.state.charCodeAt(0) !== f.state) t.state = String.fromCharCode(f.state);
      t.rssBytes = f.rssPages * this.pageSize;
      t.threads = f.threads;
      // Idle and single-threaded, with everything read once: probe it next time.
      const probe = slept && f.threads === 1 && (f.state === SLEEPING || f.state === IDLE) && t.user !== '' && t.commandMode === this.mode;
      t.schedNs = probe ? (probedNs >= 0 ? probedNs : this.readSched(pid, t)) : -1;
      out.push(sampleOf(pid, t, cpu, childrenCpu, readBytes, writeBytes));
    }
    for (const [pid, t] of this.tracked) if (t.seen !== gen) this.forget(pid, t);
    // Reparented (to init or a subreaper) without running: read in full next time.
    if (this.gone.length > 0) for (const t of this.tracked.values()) if (this.gone.includes(t.ppid)) t.schedNs = -1;
    this.prevNow = now;
    return out;
  }

  /**
   * Every pid in /proc, or, when no pid was handed out since the last readdir, the ones tracked (a
   * process that exited since fails its next read and is forgotten then).
   */
  private listPids(now: Millis): number[] {
    const pids = this.pids;
    pids.length = 0;
    // The last pid the kernel handed out: loadavg's last field.
    const last = this.loadavg && this.loadavg.read() > 0 ? this.loadavg.lastNumber() : -1;
    if (last >= 0 && last === this.dirLastPid && now - this.dirAt < DIR_REFRESH_MS) {
      for (const pid of this.tracked.keys()) pids.push(pid);
      return pids;
    }
    this.counters.dirReads++;
    let entries: string[];
    try {
      entries = readdirSync(this.procRoot);
    } catch {
      entries = [];
    }
    for (const entry of entries) {
      const pid = parsePid(entry);
      if (pid >= 0) pids.push(pid);
    }
    // Read before the readdir: a process created after it changes the last pid again.
    this.dirLastPid = last;
    this.dirAt = now;
    return pids;
  }

  /** Nanoseconds on the CPU from /proc/<pid>/schedstat (kept open), -1 when it cannot be read. */
  private readSched(pid: number, t: Tracked): number {
    this.counters.schedReads++;
    if (t.schedFd === -1) {
      if (this.keptFds >= this.fdBudget) return -1;
      try {
        t.schedFd = openSync(`${this.procRoot}/${pid}/schedstat`, 'r');
        this.keptFds++;
      } catch (err) {
        if (isOutOfFds(err)) this.shrinkFdBudget();
        else t.schedFd = -2; // a kernel without CONFIG_SCHED_INFO, or the process is gone
        return -1;
      }
    }
    if (t.schedFd < 0) return -1;
    let n: number;
    try {
      n = readSync(t.schedFd, this.schedBuf, 0, this.schedBuf.length, 0);
    } catch {
      n = 0; // ESRCH: it exited
    }
    const ns = leadingUint(this.schedBuf, n);
    if (ns >= 0) return ns;
    this.closeKept(t.schedFd);
    t.schedFd = -1;
    return -1;
  }

  private percent(ticks: number, dt: Millis): number {
    return Math.round((ticks * 100_000 * 100) / (this.clkTck * dt)) / 100;
  }

  /**
   * Reads read_bytes and write_bytes of /proc/<pid>/io into `this.io`; false when it cannot be read
   * now. A refusal (EACCES: not ours) marks the identity so it is not asked again.
   */
  private readIo(pid: number, t: Tracked): boolean {
    this.counters.ioReads++;
    let n: number;
    if (t.ioFd >= 0) {
      let kept = -1;
      try {
        kept = readSync(t.ioFd, this.ioBuf, 0, this.ioBuf.length, 0);
      } catch {
        // The process behind the fd exited.
      }
      if (kept > 0) return parseIo(this.ioBuf, kept, this.io);
      this.closeKept(t.ioFd);
      t.ioFd = -1;
    }
    let fd: number;
    try {
      this.counters.ioOpens++;
      fd = openSync(`${this.procRoot}/${pid}/io`, 'r');
    } catch (err) {
      if (isOutOfFds(err)) this.shrinkFdBudget();
      else t.ioDenied = true; // EACCES (another user's), ENOENT (a kernel without task I/O accounting)
      return false;
    }
    try {
      n = readSync(fd, this.ioBuf, 0, this.ioBuf.length, 0);
    } catch {
      // EACCES at read time: the ptrace access check of a process that is not ours.
      t.ioDenied = true;
      n = -1;
    }
    if (n > 0 && this.keptFds < this.fdBudget) {
      this.keptFds++;
      t.ioFd = fd;
    } else closeQuietly(fd);
    return n > 0 && parseIo(this.ioBuf, n, this.io);
  }

  dispose(): void {
    for (const [pid, t] of this.tracked) this.forget(pid, t);
    this.loadavg?.close();
  }

  /** Reads /proc/<pid>/stat into statBuf; returns its length, or -1 if the process is gone. */
  private readStat(pid: number, t: Tracked | undefined): number {
    this.pendingFd = -1;
    this.counters.statReads++;
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
      if (t.ioFd >= 0) {
        this.closeKept(t.ioFd);
        t.ioFd = -1;
      }
      if (t.schedFd >= 0) {
        this.closeKept(t.schedFd);
        t.schedFd = -1;
        t.schedNs = -1;
      }
    }
  }

  private closeKept(fd: number): void {
    closeQuietly(fd);
    this.keptFds--;
  }

  private forget(pid: number, t: Tracked): void {
    if (t.fd >= 0) this.closeKept(t.fd);
    if (t.ioFd >= 0) this.closeKept(t.ioFd);
    if (t.schedFd >= 0) this.closeKept(t.schedFd);
    t.fd = -1;
    t.ioFd = -1;
    t.schedFd = -1;
    this.tracked.delete(pid);
    this.gone.push(pid);
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

/** The sample of one process from what `t` holds (its last stat read). */
function sampleOf(
  pid: number,
  t: Tracked,
  cpu: number,
  childrenCpu: number,
  readBytes: number | null,
  writeBytes: number | null = readBytes,
): ProcessSample {
  return {
    pid,
    ppid: t.ppid,
    startTime: t.startTime,
    name: t.name,
    command: t.command,
    user: t.user,
    state: t.state,
    cpu,
    rssBytes: t.rssBytes,
    threads: t.threads,
    readBytes,
    writeBytes,
    childrenCpu,
    ...(t.container ? { container: t.container } : {}),
  };
}

/**
 * The /proc/loadavg whose last pid lets a sample skip the readdir, or null: only when that /proc is
 * of our own pid namespace (its `self` is our pid), since the last pid is our namespace's.
 */
function ownLoadavg(procRoot: string, selfPid: number): ProcFile | null {
  try {
    return readlinkSync(`${procRoot}/self`) === String(selfPid) ? new ProcFile(`${procRoot}/loadavg`, 128) : null;
  } catch {
    return null;
  }
}

function newTracked(fd: number, pid: number): Tracked {
  return {
    fd,
    startTicks: -1,
    startTime: 0,
    comm: Buffer.allocUnsafe(32),
    commLen: -1,
    name: '',
    cpuTicks: 0,
    childTicks: 0,
    lastT: 0,
    ioFd: -1,
    ioDenied: false,
    ioRead: -1,
    ioWrite: -1,
    ioReadAt: 0,
    schedFd: -1,
    schedNs: -1,
    statAt: 0,
    refreshMs: STAT_REFRESH_MS - (pid % 10) * 1000,
    ppid: 0,
    state: '',
    rssBytes: 0,
    threads: 0,
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

/**
 * read_bytes and write_bytes (the 5th and 6th `name: value` lines of /proc/<pid>/io, an order the
 * kernel has kept since 2.6.20) into out[0], out[1]; false if the text is cut short.
 */
export function parseIo(buf: Buffer, len: number, out: number[]): boolean {
  let line = 0;
  for (let i = 0; i < len; i++) {
    if (buf[i] !== 0x3a) continue; // ':'
    let v = 0;
    i++;
    while (i < len && buf[i] === SPACE) i++;
    while (i < len && buf[i]! >= 0x30 && buf[i]! <= 0x39) v = v * 10 + (buf[i++]! - 0x30);
    if (line === 4) out[0] = v;
    else if (line === 5) {
      out[1] = v;
      return true;
    }
    line++;
  }
  return false;
}

const SPACE = 0x20;

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
