// Which file an export may replace. An export is written beside its target and renamed over it, so
// whatever sits at the target is gone afterwards: it must never be the history itself (the database,
// its journal, lock, live feed, backups, the copies set aside) nor any other SQLite file, however the
// path is spelled (`./db`, `dir/../db`, a symlink, a hard link). One check, used by every door (the
// CLI's `export`, the extension's Export History… through the worker). The one SQLite file it may
// replace is an earlier SQLite export, which says so in its header (EXPORT_APPLICATION_ID).
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { backupsDirFor } from '../storage/backup';
import { isSymlink, realPathOf, sameFile } from '../storage/fileIdentity';
import { journalPathFor } from '../storage/store';
import { lockPathFor } from '../storage/lock';
import { looksLikeSqlite } from '../storage/schema';
import { RefusedError } from '../../shared/errors';

/** `PRAGMA application_id` of an SQLite export ('VTLX'; the history database is 'VTLS'). */
export const EXPORT_APPLICATION_ID = 0x56544c58;

/** Whether an SQLite header is an export's: its application id, big-endian at offset 68. */
function isSqliteExport(header: Uint8Array): boolean {
  return header.byteLength >= 72 && new DataView(header.buffer, header.byteOffset).getUint32(68) === EXPORT_APPLICATION_ID;
}

/** A `refused` error on the wire: Export History… shows the same sentence the CLI prints. */
export class ExportTargetError extends RefusedError {
  constructor(target: string, reason: string) {
    super(`Cannot export to ${target}: ${reason}. Nothing was written.`);
  }
}

// Files beside the database that belong to it: `<db>.<id>.sock` (live feed), `<db>.corrupt-…`,
// `<db>.before-restore-…`, `.<db>.tmp-…` (a checkpoint being written), `<db>.lock.stale-…`.
const SIBLING_SUFFIX = /^\.(?:[0-9a-f]{8}\.sock|journal|lock(?:\..*)?|corrupt-.*|before-restore-.*)$/;

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function headerOf(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    const buf = new Uint8Array(100);
    const n = readSync(fd, buf, 0, buf.byteLength, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Why the history of `dbPath` owns `real` (a real path), or undefined when it does not. */
function historyFileReason(real: string, dbPath: string): string | undefined {
  if (sameFile(real, dbPath)) return 'it is the history database itself';
  if (sameFile(real, journalPathFor(dbPath))) return "it is the history database's journal";
  if (sameFile(real, lockPathFor(dbPath))) return "it is the history database's lock";
  const db = realPathOf(dbPath);
  const dbName = basename(db);
  if (dirname(real) === dirname(db)) {
    const name = basename(real);
    if (name.startsWith(`${dbName}.`) && SIBLING_SUFFIX.test(name.slice(dbName.length))) return 'it belongs to the history database';
    if (name.startsWith(`.${dbName}.tmp-`)) return 'it is a checkpoint of the history database being written';
  }
  if (real.startsWith(`${realPathOf(backupsDirFor(dbPath))}${sep}`)) return 'it is in the backups folder of the history database';
  return undefined;
}

/**
 * Checks that an export may be written to `outPath` for the database at `dbPath`, and returns the
 * real path to write (through a symlink to an ordinary file, its target). Throws ExportTargetError.
 */
export function exportTargetFor(outPath: string, dbPath: string): string {
  const real = realPathOf(outPath);
  let st: Stats | undefined;
  try {
    st = statOrUndefined(real);
  } catch (e) {
    throw new ExportTargetError(outPath, `it cannot be looked at (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!st) {
    if (isSymlink(real)) throw new ExportTargetError(outPath, 'it is a symbolic link to a file that does not exist');
    const folder = statOrUndefined(dirname(real));
    if (!folder) throw new ExportTargetError(outPath, `the folder ${dirname(outPath)} does not exist`);
    if (!folder.isDirectory()) throw new ExportTargetError(outPath, `${dirname(outPath)} is not a folder`);
  } else if (st.isDirectory()) throw new ExportTargetError(outPath, 'it is a folder');
  else if (!st.isFile()) throw new ExportTargetError(outPath, 'it is not a regular file');
  const owned = historyFileReason(real, dbPath);
  if (owned) throw new ExportTargetError(outPath, owned);
  if (st && st.size > 0) {
    let header: Uint8Array;
    try {
      header = headerOf(real);
    } catch (e) {
      throw new ExportTargetError(outPath, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
    }
    if (looksLikeSqlite(header) && !isSqliteExport(header))
      throw new ExportTargetError(outPath, 'it is an SQLite database, which an export must not replace');
  }
  return real;
}

/** A temp file beside the target: the rename at the end is atomic only within one folder. */
export function exportTempPathFor(real: string, unique: string): string {
  return join(dirname(real), `.${basename(real)}.export-${unique}.tmp`);
}
