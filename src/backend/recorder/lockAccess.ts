// Taking the recording lock (storage/lock.ts) and asking, before each write, whether this process
// still holds it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BackendSink } from '../service';
import type { LockOwner, RecorderLock } from '../storage/lock';
import { errorText } from '../../shared/errors';

/** A lock unchanged for this long is stale: a few intervals, and never less than 10 s. */
export function staleAfterMs(sampleIntervalMs: number): number {
  return Math.max(3 * sampleIntervalMs, 10_000);
}

export class RecorderBusyError extends Error {
  constructor(
    readonly dbPath: string,
    readonly owner: LockOwner | undefined,
  ) {
    super(
      `${dbPath} is being recorded by another process${owner ? ` (pid ${owner.pid} on ${owner.host})` : ''}. ` +
        'Stop that one first, or wait for it with --wait.',
    );
    this.name = 'RecorderBusyError';
  }
}

/** Whether this process records from the start: it took the lock, or the lock cannot even be made. */
export function acquireAtStart(lock: RecorderLock, dbPath: string, log: BackendSink['log']): boolean {
  try {
    mkdirSync(dirname(dbPath), { recursive: true, mode: 0o700 });
    return lock.tryAcquire();
  } catch (e) {
    // The folder refuses even the lock file (read-only disk, permissions): record into memory
    // and write nothing until the lock can be taken.
    log('warn', `Could not take the recording lock ${lock.path}: ${errorText(e)}`);
    return true;
  }
}

/**
 * Before a write: 'ours' when this process may write, 'theirs' when another one holds the lock
 * now, or the error that keeps the lock from being taken (the lock could not be made at start,
 * e.g. on a read-only disk: it is taken before the first write).
 */
export type LockState = 'ours' | 'theirs' | Error;

export function lockState(lock: RecorderLock): LockState {
  if (lock.held) return lock.verify() ? 'ours' : 'theirs';
  try {
    return lock.tryAcquire() ? 'ours' : 'theirs';
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}
