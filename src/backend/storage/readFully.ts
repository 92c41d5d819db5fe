// Reads a byte range through an open descriptor until it is full or the file ends (one readSync may
// return less than asked). The journal and the store both read this way so that the bytes belong
// to the descriptor's file even if the path is replaced meanwhile.
import { readSync } from 'node:fs';

/** Fills `into` from `position` on; returns the filled part (shorter when the file ended first). */
export function readFully(fd: number, into: Uint8Array, position: number): Uint8Array {
  let got = 0;
  while (got < into.byteLength) {
    const n = readSync(fd, into, got, into.byteLength - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === into.byteLength ? into : into.subarray(0, got);
}
