// CPU time of the thread doing the monitor's work, not of the process it lives in: in VS Code the
// backend is a worker thread of the extension host, whose process CPU is every extension's.
//
//   Linux     /proc/thread-self/schedstat (nanoseconds on the CPU), else /proc/thread-self/stat
//             (utime + stime in clock ticks); another thread of this process by its tid under
//             /proc/self/task/<tid>/.
//   Node 23.9+ process.threadCpuUsage() (the calling thread), where /proc is not there.
//   elsewhere process.cpuUsage(): the whole process, and labelled so.
import { readFileSync, readlinkSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';
import { ProcFile } from '../sampling/linux/procfs';

/** Whose CPU a figure is: the backend's worker thread, the main thread (the CLI), or the whole process. */
export type CpuScope = 'worker-thread' | 'main-thread' | 'process';

export interface ThreadCpu {
  readonly scope: CpuScope;
  /** The thread's id on Linux (its /proc/self/task/<tid>), null elsewhere. */
  readonly tid: number | null;
  /** CPU time used so far, in microseconds. */
  micros(): number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on every Linux port in use). */
const USER_HZ = 100;

/** The calling thread's tid on Linux ("<pid>/task/<tid>"), null where /proc/thread-self is not there. */
export function currentTid(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/** CPU microseconds of thread `tid` of this process from /proc; null when it cannot be read. */
export function procThreadMicros(tid: number | 'thread-self'): number | null {
  const dir = tid === 'thread-self' ? '/proc/thread-self' : `/proc/self/task/${tid}`;
  try {
    const ns = Number(readFileSync(`${dir}/schedstat`, 'latin1').split(' ')[0]);
    if (Number.isFinite(ns)) return ns / 1000;
  } catch {
    // Kernels without CONFIG_SCHED_INFO: the tick counts below.
  }
  try {
    const stat = readFileSync(`${dir}/stat`, 'latin1');
    // Fields after the command (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / USER_HZ : null;
  } catch {
    return null;
  }
}

type CpuUsage = () => { user: number; system: number };

/**
 * The calling thread's schedstat, kept open and re-read at offset 0 (procfs regenerates it per
 * read): the monitor reads its own CPU around every sample, and an open, a read, a close and a
 * string each time cost more than the figure is worth. One fd per thread (module state is per
 * thread), opened on the thread itself: /proc/thread-self resolves at open time.
 */
const keptSchedstat = new ProcFile('/proc/thread-self/schedstat', 64);

function keptSchedstatMicros(): number | null {
  // The first field: nanoseconds on the CPU.
  const ns = keptSchedstat.read() > 0 ? keptSchedstat.firstNumber() : -1;
  return ns >= 0 ? ns / 1000 : null;
}

/** The meter for the calling thread, the best this platform and Node version offer. */
export function threadCpu(): ThreadCpu {
  const threadScope: CpuScope = isMainThread ? 'main-thread' : 'worker-thread';
  const tid = currentTid();
  if (tid !== null && keptSchedstatMicros() !== null) return { scope: threadScope, tid, micros: () => keptSchedstatMicros() ?? 0 };
  if (tid !== null && procThreadMicros('thread-self') !== null) {
    // thread-self, not task/<tid>: the same file, without formatting a path on every read.
    return { scope: threadScope, tid, micros: () => procThreadMicros('thread-self') ?? 0 };
  }
  // Not in @types/node 20; Node 23.9 and later have it.
  const perThread = (process as { threadCpuUsage?: CpuUsage }).threadCpuUsage;
  if (typeof perThread === 'function') {
    return { scope: threadScope, tid: null, micros: () => total(perThread.call(process)) };
  }
  return { scope: 'process', tid: null, micros: () => total(process.cpuUsage()) };
}

function total(u: { user: number; system: number }): number {
  return u.user + u.system;
}

/**
 * CPU microseconds of this process's finished child processes (Linux: cutime + cstime of
 * /proc/self/stat), 0 elsewhere. The systeminformation samplers run `ps` and friends: that work is
 * the sampler's cost too, and no thread's.
 */
export function childrenMicros(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[13]) + Number(fields[14]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / USER_HZ : 0;
  } catch {
    return 0;
  }
}
