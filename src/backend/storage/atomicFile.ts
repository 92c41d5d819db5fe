// Replaces a file so that a crash at any moment leaves either the old complete file or the new one:
// write a temp file in the same directory, fsync it, rename it over the target, fsync the directory.
import { closeSync, copyFileSync, fchmodSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const TEMP_INFIX = '.tmp-';

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}${TEMP_INFIX}${process.pid}`);
}

export function writeFileAtomic(path: string, data: Uint8Array): void {
  const tmp = tempPathFor(path);
  let fd: number | undefined = openSync(tmp, 'w', 0o600);
  try {
    let written = 0;
    while (written < data.byteLength) written += writeSync(fd, data, written, data.byteLength - written);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, path);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDirectory(dirname(path));
}

/** Copies a file with the same guarantee: the target is the old file or a complete copy, never half. */
export function copyFileAtomic(from: string, to: string): void {
  const tmp = tempPathFor(to);
  try {
    copyFileSync(from, tmp);
    const fd = openSync(tmp, 'r+');
    try {
      // A copy of the history is as private as the history (the source may predate 0600 files).
      fchmodSync(fd, 0o600);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, to);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDirectory(dirname(to));
}

/**
 * Removes temp files a crash left behind mid-write (never the target itself). Only the process that
 * owns the target (the lock holder) may call this: another writer's temp could be in progress.
 */
export function removeStaleTemps(path: string): string[] {
  const prefix = `.${basename(path)}${TEMP_INFIX}`;
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return removed;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const full = join(dirname(path), name);
    try {
      rmSync(full, { force: true });
      removed.push(full);
    } catch {
      // Not ours to worry about: it will be tried again at the next open.
    }
  }
  return removed;
}

export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
