// An append-only file of interval records beside the database. Appending one interval costs the same
// whatever the database size, which is what makes per-interval durability cheap; the periodic
// checkpoint rewrites the whole database and empties the journal.
//
// A journal written to a database that has an id (meta.database_id) starts with a header naming it:
//   ['VTLJ'][u32 version = 1][32 ASCII hex: the database id][u32 crc32 of the 40 bytes before]
// so a journal left beside another file is recognised and not merged into it. A journal without
// the header (written before headers existed, or before the database's first checkpoint with an id)
// is read as before. As a record length 'VTLJ' would be ~1.2 GB, so the two cannot be confused.
//
// Record framing: [u32 payload length][u32 crc32 of payload][payload]. A record whose length runs
// past the end of the file, or whose checksum fails with nothing intact after it (a write torn by a
// crash), ends the journal: it and anything after it are dropped, everything before is kept. A
// record whose checksum fails but whose length leads to an intact record is damaged in place: it
// alone is skipped (counted in `damagedRecords`) and the records after it are kept.
import {
  closeSync,
  fchmodSync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  statSync,
  writeSync,
  existsSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';
import { readFully } from './readFully';

const HEADER = 8;
const MAGIC = 'VTLJ';
const FORMAT_VERSION = 1;
const ID_CHARS = 32;
/** Bytes of the identity header at the start of a journal. */
export const IDENTITY_BYTES = 4 + 4 + ID_CHARS + 4;

export interface JournalContents {
  /** The database the header names; undefined when the journal has no header (the older format). */
  databaseId: string | undefined;
  /** A header is there but its checksum fails: the journal cannot be attributed to a database. */
  badHeader: boolean;
  records: Uint8Array[];
  /** Bytes of intact records (and the header); the file is cut back to this. */
  validBytes: number;
  /** Bytes after the last intact record (a torn write), dropped. */
  droppedBytes: number;
  /** Records skipped in the middle: checksum failed, length intact, an intact record after them. */
  damagedRecords: number;
}

const empty = (): JournalContents => ({
  databaseId: undefined,
  badHeader: false,
  records: [],
  validBytes: 0,
  droppedBytes: 0,
  damagedRecords: 0,
});

export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.byteLength);
  const v = new DataView(out.buffer);
  v.setUint32(0, payload.byteLength, true);
  v.setUint32(4, crc32(payload), true);
  out.set(payload, HEADER);
  return out;
}

function identityHeader(databaseId: string): Uint8Array {
  if (!/^[0-9a-f]{32}$/.test(databaseId)) throw new Error(`not a database id: ${databaseId}`);
  const out = new Uint8Array(IDENTITY_BYTES);
  const v = new DataView(out.buffer);
  out.set(new TextEncoder().encode(MAGIC), 0);
  v.setUint32(4, FORMAT_VERSION, true);
  out.set(new TextEncoder().encode(databaseId), 8);
  v.setUint32(8 + ID_CHARS, crc32(out.subarray(0, 8 + ID_CHARS)), true);
  return out;
}

function startsWithMagic(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.byteLength, 4);
  for (let i = 0; i < n; i++) if (bytes[i] !== MAGIC.charCodeAt(i)) return false;
  return n > 0;
}

/** Whether an intact record starts at `o`. */
function intactAt(bytes: Uint8Array, v: DataView, o: number): boolean {
  if (o + HEADER > bytes.byteLength) return false;
  const len = v.getUint32(o, true);
  if (len === 0 || o + HEADER + len > bytes.byteLength) return false;
  return crc32(bytes.subarray(o + HEADER, o + HEADER + len)) === v.getUint32(o + 4, true);
}

/** Parses a journal, or its part from some record boundary on (`atStart` false: no header there). */
export function parseJournal(bytes: Uint8Array, atStart = true): JournalContents {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = empty();
  let o = 0;
  if (atStart && startsWithMagic(bytes)) {
    // Shorter than a header: its first write is still under way, or was torn by a crash.
    if (bytes.byteLength < IDENTITY_BYTES) return { ...out, droppedBytes: bytes.byteLength };
    if (crc32(bytes.subarray(0, 8 + ID_CHARS)) !== v.getUint32(8 + ID_CHARS, true) || v.getUint32(4, true) !== FORMAT_VERSION)
      return { ...out, badHeader: true };
    out.databaseId = new TextDecoder().decode(bytes.subarray(8, 8 + ID_CHARS));
    o = IDENTITY_BYTES;
  }
  while (o + HEADER <= bytes.byteLength) {
    const len = v.getUint32(o, true);
    const sum = v.getUint32(o + 4, true);
    if (len === 0 || o + HEADER + len > bytes.byteLength) break;
    const payload = bytes.subarray(o + HEADER, o + HEADER + len);
    if (crc32(payload) !== sum) {
      // Damaged in place rather than torn: what follows is intact, so only this record is lost.
      if (!intactAt(bytes, v, o + HEADER + len)) break;
      out.damagedRecords++;
      o += HEADER + len;
      continue;
    }
    out.records.push(payload);
    o += HEADER + len;
  }
  out.validBytes = o;
  out.droppedBytes = bytes.byteLength - o;
  return out;
}

export class Journal {
  private fd: number | undefined;
  /** A torn tail that could not be cut at open (read-only disk): cut before appending. */
  private cutTo: number | undefined;
  /** The database id a fresh journal's header names; none: the journal is written without one. */
  identity: string | undefined;

  constructor(readonly path: string) {}

  /** Reads every intact record and cuts a torn tail off the file. */
  read(options: { repair: boolean } = { repair: true }): JournalContents {
    if (!existsSync(this.path)) return empty();
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path);
    } catch (e) {
      // Node's own message ("File size … is greater than 2 GiB") names no file.
      if ((e as NodeJS.ErrnoException).code === 'ERR_FS_FILE_TOO_LARGE')
        throw new Error(`The journal ${this.path} is too large to read (${statSync(this.path).size} bytes; at most 2 GiB).`, { cause: e });
      throw e;
    }
    const contents = parseJournal(bytes);
    if (contents.droppedBytes > 0 && options.repair) {
      try {
        const fd = openSync(this.path, 'r+');
        try {
          ftruncateSync(fd, contents.validBytes);
          fdatasyncSync(fd);
        } finally {
          closeSync(fd);
        }
      } catch {
        // A read-only or full disk: cut the tail before the next append instead.
        this.cutTo = contents.validBytes;
      }
    }
    return contents;
  }

  /**
   * Reads the intact records from byte `offset` on, without repairing anything: what a viewer does
   * to follow the recorder. A record still being written simply ends the read (it is picked up next
   * time); `size` below `offset` means the journal was emptied by a checkpoint.
   */
  readFrom(offset: number): JournalContents & { size: number } {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ...empty(), size: 0 };
      throw e;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return { ...empty(), size };
      return { ...parseJournal(readFully(fd, new Uint8Array(size - offset), offset), offset === 0), size };
    } finally {
      closeSync(fd);
    }
  }

  /** Appends records and makes them durable. Throws on I/O errors; the caller keeps the records. */
  append(payloads: readonly Uint8Array[]): number {
    if (payloads.length === 0) return 0;
    const fd = this.open();
    if (this.cutTo !== undefined) {
      ftruncateSync(fd, this.cutTo);
      this.cutTo = undefined;
    }
    const before = fstatSync(fd).size;
    // A fresh journal names its database first (in the same write as its first records).
    const framed =
      before === 0 && this.identity !== undefined
        ? [identityHeader(this.identity), ...payloads.map(frameRecord)]
        : payloads.map(frameRecord);
    const total = framed.reduce((n, f) => n + f.byteLength, 0);
    const buf = new Uint8Array(total);
    let o = 0;
    for (const f of framed) {
      buf.set(f, o);
      o += f.byteLength;
    }
    try {
      let written = 0;
      while (written < total) written += writeSync(fd, buf, written, total - written, before + written);
      fdatasyncSync(fd);
    } catch (e) {
      // Leave no half record behind: a later append would otherwise follow garbage.
      try {
        ftruncateSync(fd, before);
      } catch {
        // The next open() drops the torn tail by its checksum anyway.
      }
      throw e;
    }
    return total;
  }

  /** Empties the journal once a checkpoint holds everything in it. */
  truncate(): void {
    const fd = this.open();
    ftruncateSync(fd, 0);
    fdatasyncSync(fd);
  }

  size(): number {
    if (this.fd !== undefined) return fstatSync(this.fd).size;
    // Not opened for appending just to look: on a read-only disk that open fails.
    try {
      return statSync(this.path).size;
    } catch {
      return 0;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    if (this.fd === undefined) {
      // 0600 whatever the umask, and also for a journal an older version created 0644: it holds
      // command lines.
      const fd = openSync(this.path, 'a+', 0o600);
      try {
        fchmodSync(fd, 0o600);
      } catch {
        // A filesystem without modes (FAT, some network drives): nothing to tighten there.
      }
      this.fd = fd;
    }
    return this.fd;
  }
}
