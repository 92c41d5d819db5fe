// Low-level procfs reading shared by the Linux samplers.

import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

export function isOutOfFds(err: unknown): boolean {
  const code = errCode(err);
  return code === 'EMFILE' || code === 'ENFILE';
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
}

/**
 * A procfs file kept open and re-read with pread at offset 0: procfs regenerates the content on every
 * read, so one open serves the sampler's whole life instead of open/read/close per sample. The buffer
 * grows until the file fits and is reused after that; `text()` decodes only what was read.
 */
export class ProcFile {
  private fd = -1;
  private buf: Buffer;
  private len = 0;

  constructor(
    readonly path: string,
    initialSize = 4096,
  ) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Reads the whole file; returns its length, or -1 when it cannot be read. */
  read(): number {
    try {
      if (this.fd < 0) this.fd = openSync(this.path, 'r');
      let off = 0;
      for (;;) {
        const n = readSync(this.fd, this.buf, off, this.buf.length - off, off);
        off += n;
        // procfs fills a read as far as it can, so a short read is the end of the file.
        if (off < this.buf.length) break;
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        this.buf.copy(bigger, 0, 0, off);
        this.buf = bigger;
      }
      this.len = off;
      return off;
    } catch {
      this.close();
      this.len = 0;
      return -1;
    }
  }

  /** The content of the last read (latin1: procfs numbers and names of devices are ASCII). */
  text(): string {
    return this.buf.toString('latin1', 0, this.len);
  }

  /** The number the last read starts with (schedstat's nanoseconds), -1 if none. */
  firstNumber(): number {
    return leadingUint(this.buf, this.len);
  }

  /** The number the last read ends with, before its newline (loadavg's last pid), -1 if none. */
  lastNumber(): number {
    const b = this.buf;
    let end = this.len;
    while (end > 0 && !isDigit(b[end - 1]!)) end--;
    let start = end;
    while (start > 0 && isDigit(b[start - 1]!)) start--;
    return start === end ? -1 : leadingUint(b.subarray(start, end), end - start);
  }

  close(): void {
    if (this.fd >= 0) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = -1;
    }
  }
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;

/** The unsigned decimal at the start of `buf[0..len)`, without decoding it; -1 if it starts otherwise. */
export function leadingUint(buf: Buffer, len: number): number {
  let v = 0;
  let i = 0;
  for (; i < len && isDigit(buf[i]!); i++) v = v * 10 + (buf[i]! - 0x30);
  return i > 0 ? v : -1;
}

/**
 * open/read/close of a small file into `scratch`, growing it when needed (the caller keeps the grown
 * buffer via the returned object). Returns -1 when the file is gone or unreadable.
 */
export function readOnce(path: string, scratch: { buf: Buffer }): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if (isOutOfFds(err)) throw err;
    return -1;
  }
  try {
    let off = 0;
    for (;;) {
      const n = readSync(fd, scratch.buf, off, scratch.buf.length - off, off);
      if (n === 0) return off;
      off += n;
      if (off === scratch.buf.length) {
        const bigger = Buffer.allocUnsafe(scratch.buf.length * 2);
        scratch.buf.copy(bigger, 0, 0, off);
        scratch.buf = bigger;
      }
    }
  } catch (err) {
    if (isOutOfFds(err)) throw err;
    return -1;
  } finally {
    closeSync(fd);
  }
}

let sysconfCache: { clkTck: number; pageSize: number } | undefined;

/** CLK_TCK and the page size, asked of `getconf` once per process (Node has no sysconf). */
export function sysconf(): { clkTck: number; pageSize: number } {
  if (!sysconfCache) sysconfCache = { clkTck: getconf('CLK_TCK', 100), pageSize: getconf('PAGESIZE', 4096) };
  return sysconfCache;
}

function getconf(name: string, fallback: number): number {
  try {
    const v = Number(execFileSync('getconf', [name], { encoding: 'utf8', timeout: 2000, stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isFinite(v) && v > 0 ? v : fallback;
  } catch {
    return fallback;
  }
}

/** Boot time in seconds since the epoch, from the `btime` line of /proc/stat. */
export function readBootTime(procRoot: string): number | undefined {
  try {
    const m = /^btime\s+(\d+)/m.exec(readFileSync(`${procRoot}/stat`, 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** The soft limit on open files of this process, from /proc/self/limits. */
export function openFileLimit(): number | undefined {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'latin1'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}
