// The `x` column of process frames (schema 4): per-process figures beside the fixed entries of `v`,
// in the same order (entry i of `x` describes entry i of `v`), so a reader that found a process in
// `v` by binary search reads its extras at the same index. Kept apart from `v` so frames written
// before schema 4 (x NULL) and readers that do not need the extras stay as they were.
//
// All little-endian. A header says how wide each entry is, so later fields can be appended to an
// entry: a reader reads the fields it knows that fit inside the stride, and treats the rest as absent.
//   header          [u8 format = 1][u8 stride]
//   raw entry       [u8 state][f32 readBytes][f32 writeBytes][f16 childCpu%]                11 bytes
//   rollup entry    [u8 state][f32 readBytes][f32 writeBytes][f16 readPeak MiB/s][f16 writePeak MiB/s]
//                   [f16 childCpuAvg%]                                                      15 bytes
// readBytes / writeBytes: bytes sent to / fetched from storage (/proc/<pid>/io) during the interval
// (raw) or the bucket (rollup). NaN = unknown (the file was not readable to us), never a fake 0.
// state: the one-letter /proc state as a char code (the last one seen in a rollup bucket), 0 = unknown.
// childCpu: CPU of children that finished during the interval (growth of cutime + cstime), % of one core.
// Peaks are of per-interval rates; MiB/s in f16 spans 64 B/s to 64 GB/s at 0.05 % precision.
import { f16At, setF16 } from './f16';

const FORMAT = 1;
const HEADER = 2;
export const EXTRA_RAW_STRIDE = 11;
export const EXTRA_AGG_STRIDE = 15;
const MIB = 1024 * 1024;

export interface ProcExtraRaw {
  state: number;
  readBytes: number;
  writeBytes: number;
  childCpu: number;
}

export interface ProcExtraAgg extends ProcExtraRaw {
  /** Peak per-interval rates, bytes/s (NaN unknown). */
  readPeakBps: number;
  writePeakBps: number;
}

function header(count: number, stride: number): { out: Uint8Array; v: DataView } {
  const out = new Uint8Array(HEADER + count * stride);
  const v = new DataView(out.buffer);
  v.setUint8(0, FORMAT);
  v.setUint8(1, stride);
  return { out, v };
}

/** Entries in the order of the frame's `v` entries (sorted by process id). */
export function encodeExtrasRaw(entries: ProcExtraRaw[]): Uint8Array {
  const { out, v } = header(entries.length, EXTRA_RAW_STRIDE);
  entries.forEach((e, i) => {
    const o = HEADER + i * EXTRA_RAW_STRIDE;
    v.setUint8(o, e.state & 0xff);
    v.setFloat32(o + 1, e.readBytes, true);
    v.setFloat32(o + 5, e.writeBytes, true);
    setF16(v, o + 9, e.childCpu);
  });
  return out;
}

export function encodeExtrasAgg(entries: ProcExtraAgg[]): Uint8Array {
  const { out, v } = header(entries.length, EXTRA_AGG_STRIDE);
  entries.forEach((e, i) => {
    const o = HEADER + i * EXTRA_AGG_STRIDE;
    v.setUint8(o, e.state & 0xff);
    v.setFloat32(o + 1, e.readBytes, true);
    v.setFloat32(o + 5, e.writeBytes, true);
    setF16(v, o + 9, e.readPeakBps / MIB);
    setF16(v, o + 11, e.writePeakBps / MIB);
    setF16(v, o + 13, e.childCpu);
  });
  return out;
}

/**
 * Reads the extras of one frame by entry index. A frame without extras (written before schema 4:
 * NULL) answers unknown (NaN, state '') for every index.
 */
export class ExtrasReader {
  private readonly v: DataView | undefined;
  private readonly stride: number;
  private readonly count: number;
  readonly rollup: boolean;

  constructor(x: Uint8Array | null | undefined, rollup: boolean) {
    this.rollup = rollup;
    if (x && x.byteLength >= HEADER && x[0] === FORMAT && x[1]! > 0) {
      this.v = new DataView(x.buffer, x.byteOffset, x.byteLength);
      this.stride = x[1]!;
      this.count = Math.floor((x.byteLength - HEADER) / this.stride);
    } else {
      this.v = undefined;
      this.stride = 0;
      this.count = 0;
    }
  }

  get present(): boolean {
    return this.v !== undefined;
  }

  private at(i: number, field: number, size: number): number {
    return this.v && i < this.count && field + size <= this.stride ? HEADER + i * this.stride + field : -1;
  }

  state(i: number): string {
    const o = this.at(i, 0, 1);
    const c = o < 0 ? 0 : this.v!.getUint8(o);
    return c === 0 ? '' : String.fromCharCode(c);
  }

  readBytes(i: number): number {
    const o = this.at(i, 1, 4);
    return o < 0 ? NaN : this.v!.getFloat32(o, true);
  }

  writeBytes(i: number): number {
    const o = this.at(i, 5, 4);
    return o < 0 ? NaN : this.v!.getFloat32(o, true);
  }

  childCpu(i: number): number {
    const o = this.at(i, this.rollup ? 13 : 9, 2);
    return o < 0 ? NaN : f16At(this.v!, o);
  }

  /** Rollups only (NaN in raw frames: a raw entry's rate is its bytes over the interval). */
  readPeakBps(i: number): number {
    const o = this.rollup ? this.at(i, 9, 2) : -1;
    return o < 0 ? NaN : f16At(this.v!, o) * MIB;
  }

  writePeakBps(i: number): number {
    const o = this.rollup ? this.at(i, 11, 2) : -1;
    return o < 0 ? NaN : f16At(this.v!, o) * MIB;
  }

  /** All of entry i. */
  entry(i: number): ProcExtraAgg {
    return {
      state: this.state(i).charCodeAt(0) || 0,
      readBytes: this.readBytes(i),
      writeBytes: this.writeBytes(i),
      childCpu: this.childCpu(i),
      readPeakBps: this.readPeakBps(i),
      writePeakBps: this.writePeakBps(i),
    };
  }
}
