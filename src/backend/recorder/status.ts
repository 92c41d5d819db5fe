// The status a window shows: its role, whether it records, the file and its last flush. A viewer
// reads the last two off the files, since the flushes are the recorder's.
import { statSync } from 'node:fs';
import type { BackendStatus } from '../protocol';
import { journalPathFor } from '../storage/store';
import type { Millis } from '../types';
import type { RecorderState } from './state';

export function statusOf(s: RecorderState): BackendStatus {
  if (s.role === 'viewer') {
    const owner = s.lock.owner();
    return {
      role: 'viewer',
      recording: false,
      databasePath: s.dbPath,
      recorder: owner ? { pid: owner.pid, host: owner.host } : undefined,
      // Every flush appends to the journal: its modification time is the recorder's last flush.
      lastFlushAt: mtimeOf(journalPathFor(s.dbPath)),
      databaseSizeBytes: sizeOf(s.dbPath),
    };
  }
  return {
    role: s.role,
    recording: s.recording,
    databasePath: s.dbPath,
    lastFlushAt: s.store?.lastFlush?.at ?? null,
    databaseSizeBytes: s.store?.fileSizeBytes ?? 0,
    problem: s.refusal,
  };
}

function mtimeOf(path: string): Millis | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
