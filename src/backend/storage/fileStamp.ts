// What identifies one version of the database file: a checkpoint or a restore replaces the inode.
// A viewer keeps the stamp of the file it loaded and reloads when the file at the path has another.
import { closeSync, fstatSync, openSync, statSync, type Stats } from 'node:fs';
import { readFully } from './readFully';

export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

function stampOf(st: Stats): FileStamp {
  return { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
}

export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a?.ino === b?.ino && a?.size === b?.size && a?.mtimeMs === b?.mtimeMs;
}

export function currentStamp(path: string): FileStamp | undefined {
  try {
    return stampOf(statSync(path));
  } catch {
    return undefined;
  }
}

/** Reads a whole file through one descriptor, so the bytes and their stamp belong together. */
export function readWithStamp(path: string): { bytes: Uint8Array; stamp: FileStamp } {
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    // A Buffer, not `new Uint8Array`: with the latter, opening a 64 MB database left the process at
    // 218 MB RSS instead of 140 MB (measured; the memory of a second copy stays with the process).
    return { bytes: readFully(fd, Buffer.allocUnsafe(st.size), 0), stamp: stampOf(st) };
  } finally {
    closeSync(fd);
  }
}
