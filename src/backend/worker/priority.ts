// The backend's work (sampling, recording, checkpoints) must never compete with the editor for a
// core. On Linux each thread has its own nice value, so the worker thread lowers its own: the
// extension host's main thread keeps its priority, and on a busy machine the scheduler runs it first.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { errorText } from '../../shared/errors';

/** Nice value of the backend thread (0 is normal, 19 the lowest priority). */
export const BACKEND_NICE = 10;

export type PriorityOutcome = { lowered: true; tid: number; nice: number } | { lowered: false; reason: string };

/** Lowers the priority of the calling thread only; never touches the process's main thread. */
export function lowerThreadPriority(nice = BACKEND_NICE): PriorityOutcome {
  if (process.platform !== 'linux') return { lowered: false, reason: `per-thread priorities are not supported on ${process.platform}` };
  let tid: number;
  try {
    // "<pid>/task/<tid>" for the calling thread.
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch (e) {
    return { lowered: false, reason: `/proc/thread-self is not readable (${errorText(e)})` };
  }
  // The main thread's tid is the pid: lowering it would slow the whole extension host.
  if (!Number.isInteger(tid) || tid <= 0 || tid === process.pid) return { lowered: false, reason: 'not running in a thread of its own' };
  try {
    if (getPriority(tid) < nice) setPriority(tid, nice);
    return { lowered: true, tid, nice: getPriority(tid) };
  } catch (e) {
    return { lowered: false, reason: errorText(e) };
  }
}
