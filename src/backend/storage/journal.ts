// An append-only file of interval records beside the database. Appending one interval costs the same
// whatever the database size, which is what makes per-interval durability cheap; the periodic
// checkpoint rewrites the whole database and empties the journal.
//
// Record framing: [u32 payload length][u32 crc32 of payload][payload]. On open, a record whose length
// runs past the end of the file or whose checksum fails (a write torn by a crash) ends the journal:
// it and anything after it are dropped, everything before is kept.
import { closeSync, fchmodSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, statSync, writeSync, existsSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { readFully } from './readFully';

const HEADER = 8;

export interface JournalContents {
  records: Uint8Array[];
  /** Bytes of intact records; the file is cut back to this. */
  validBytes: number;
  /** Bytes after the last intact record (a torn write), dropped. */
  droppedBytes: number;
}

export function frameRecord(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + payload.byteLength);
  const v = new DataView(out.buffer);
  v.setUint32(0, payload.byteLength, true);
  v.setUint32(4, crc32(payload), true);
  out.set(payload, HEADER);
  return out;
}

export function parseJournal(bytes: Uint8Array): JournalContents {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: Uint8Array[] = [];
  let o = 0;
  while (o + HEADER <= bytes.byteLength) {
    const len = v.getUint32(o, true);
    const sum = v.getUint32(o + 4, true);
    if (len === 0 || o + HEADER + len > bytes.byteLength) break;
    const payload = bytes.subarray(o + HEADER, o + HEADER + len);
    if (crc32(payload) !== sum) break;
    records.push(payload);
    o += HEADER + len;
  }
  return { records, validBytes: o, droppedBytes: bytes.byteLength - o };
}

export class Journal {
  private fd: number | undefined;
  /** A torn tail that could not be cut at open (read-only disk): cut before appending. */
  private cutTo: number | undefined;

  constructor(readonly path: string) {}

  /** Reads every intact record and cuts a torn tail off the file. */
  read(options: { repair: boolean } = { repair: true }): JournalContents {
    if (!existsSync(this.path)) return { records: [], validBytes: 0, droppedBytes: 0 };
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
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0, droppedBytes: 0, size: 0 };
      throw e;
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= offset) return { records: [], validBytes: 0, droppedBytes: 0, size };
      return { ...parseJournal(readFully(fd, new Uint8Array(size - offset), offset)), size };
    } finally {
      closeSync(fd);
    }
  }

  /** Appends records and makes them durable. Throws on I/O errors; the caller keeps the records. */
  append(payloads: readonly Uint8Array[]): number {
    if (payloads.length === 0) return 0;
    const framed = payloads.map(frameRecord);
    const total = framed.reduce((n, f) => n + f.byteLength, 0);
    const buf = new Uint8Array(total);
    let o = 0;
    for (const f of framed) {
      buf.set(f, o);
      o += f.byteLength;
    }
    const fd = this.open();
    if (this.cutTo !== undefined) {
      ftruncateSync(fd, this.cutTo);
      this.cutTo = undefined;
    }
    const before = fstatSync(fd).size;
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
