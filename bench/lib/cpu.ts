// CPU time of this process and of its waited-for children, and a few /proc reads about any process.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { sysconf } from '../../src/backend/sampling/linux/procfs';

/** Fields of /proc/<pid>/stat after the command name; index 0 is field 3 (state). */
function statFields(pid: number | 'self'): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

const ticksToUs = (ticks: number): number => (ticks * 1e6) / sysconf().clkTck;

/**
 * User + system time in µs of this process (every thread) plus its children that have exited and
 * been waited for (`ps`, `df`… that a sampler spawns): what sampling really cost, wherever it ran.
 */
export function cpuWithChildrenUs(): number {
  const u = process.cpuUsage();
  const f = statFields('self');
  return u.user + u.system + ticksToUs(Number(f[13]) + Number(f[14]));
}

function statusKiB(field: 'VmRSS' | 'VmHWM', pid: number | 'self' = 'self'): number {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/status`, 'latin1');
  } catch {
    return NaN; // the process is gone
  }
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

export const rssBytes = (pid: number | 'self' = 'self'): number => statusKiB('VmRSS', pid) * 1024;
export const peakRssBytes = (pid: number | 'self' = 'self'): number => statusKiB('VmHWM', pid) * 1024;

/** Resets this process's peak RSS (VmHWM) to its current RSS, so the next peak is of what follows. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time in µs of another process, read from outside: utime + stime of every thread (live and
 * exited) from /proc/<pid>/stat, plus with `children` the cutime + cstime of the children it waited
 * for (what systeminformation spawns). NaN once the process is gone.
 */
export function processCpuUs(pid: number, children: boolean): number {
  try {
    const f = statFields(pid);
    return ticksToUs(Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0));
  } catch {
    return NaN;
  }
}

/** CPU time in µs of one thread of this process (Linux: /proc/self/task/<tid>/stat); NaN once it has ended. */
export function threadCpuUs(tid: number): number {
  try {
    const text = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return ticksToUs(Number(f[11]) + Number(f[12]));
  } catch {
    return NaN;
  }
}

export function processCount(): number {
  let n = 0;
  for (const e of readdirSync('/proc')) if (/^\d+$/.test(e)) n++;
  return n;
}
