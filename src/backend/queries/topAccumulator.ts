// Sums per process over many frames for "top processes": the hot loop of a 24-hour ranking (an hour
// of raw frames is ~540,000 entries at 300 processes). Entries are read straight from the frame
// bytes, and a process is found by its position in the previous frame before falling back to a Map:
// consecutive frames list almost the same processes in the same order (sorted by id), so nearly
// every entry skips the lookup. Layouts are those of ../storage/frames.ts.
import { OTHER_PROC_ID, PROC_AGG_SIZE, PROC_RAW_SIZE } from '../storage/frames';

export interface TopTotals {
  id: number;
  cpuWeighted: number;
  cpuMax: number;
  rssWeighted: number;
  rssMax: number;
  samples: number;
}

export class TopAccumulator {
  private readonly slotOf = new Map<number, number>();
  private readonly ids: number[] = [];
  private readonly cpuW: number[] = [];
  private readonly cpuMax: number[] = [];
  private readonly rssW: number[] = [];
  private readonly rssMax: number[] = [];
  private readonly samples: number[] = [];
  private prevIds = new Int32Array(512);
  private prevSlots = new Int32Array(512);
  private prevLen = 0;
  private curIds = new Int32Array(512);
  private curSlots = new Int32Array(512);

  private slot(id: number): number {
    let s = this.slotOf.get(id);
    if (s === undefined) {
      s = this.ids.length;
      this.slotOf.set(id, s);
      this.ids.push(id);
      this.cpuW.push(0);
      this.cpuMax.push(-Infinity);
      this.rssW.push(0);
      this.rssMax.push(-Infinity);
      this.samples.push(0);
    }
    return s;
  }

  private ensure(n: number): void {
    if (this.curIds.length >= n) return;
    this.curIds = new Int32Array(n * 2);
    this.curSlots = new Int32Array(n * 2);
  }

  private swap(n: number): void {
    [this.prevIds, this.curIds] = [this.curIds, this.prevIds];
    [this.prevSlots, this.curSlots] = [this.curSlots, this.prevSlots];
    this.prevLen = n;
  }

  /** One raw frame (one interval): [u32 id][f32 cpu][u32 rssKiB][u16 threads] per entry. */
  addRaw(frame: Uint8Array): void {
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const n = Math.floor(frame.byteLength / PROC_RAW_SIZE);
    this.ensure(n);
    const { prevIds, prevSlots, prevLen, curIds, curSlots, cpuW, cpuMax, rssW, rssMax, samples } = this;
    for (let i = 0, o = 0; i < n; i++, o += PROC_RAW_SIZE) {
      const id = v.getUint32(o, true);
      const s = i < prevLen && prevIds[i] === id ? prevSlots[i]! : this.slot(id);
      curIds[i] = id;
      curSlots[i] = s;
      const cpu = v.getFloat32(o + 4, true);
      const rss = v.getUint32(o + 8, true);
      cpuW[s]! += cpu;
      rssW[s]! += rss;
      if (cpu > cpuMax[s]!) cpuMax[s] = cpu;
      if (rss > rssMax[s]!) rssMax[s] = rss;
      samples[s]!++;
    }
    this.swap(n);
  }

  /** One rollup frame of `n` intervals: [u32 id][f32 cpuAvg][f32 cpuMax][u32 rssAvg][u32 rssMax][u16 samples]. */
  addRollup(frame: Uint8Array, n: number): void {
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const count = Math.floor(frame.byteLength / PROC_AGG_SIZE);
    this.ensure(count);
    const { prevIds, prevSlots, prevLen, curIds, curSlots, cpuW, cpuMax, rssW, rssMax, samples } = this;
    for (let i = 0, o = 0; i < count; i++, o += PROC_AGG_SIZE) {
      const id = v.getUint32(o, true);
      const s = i < prevLen && prevIds[i] === id ? prevSlots[i]! : this.slot(id);
      curIds[i] = id;
      curSlots[i] = s;
      const cm = v.getFloat32(o + 8, true);
      const rm = v.getUint32(o + 16, true);
      cpuW[s]! += v.getFloat32(o + 4, true) * n;
      rssW[s]! += v.getUint32(o + 12, true) * n;
      if (cm > cpuMax[s]!) cpuMax[s] = cm;
      if (rm > rssMax[s]!) rssMax[s] = rm;
      samples[s]! += v.getUint16(o + 20, true);
    }
    this.swap(count);
  }

  /** Every process but "other", best first by the key, ties by id. */
  top(by: 'cpu' | 'memory', limit: number): TopTotals[] {
    const key = by === 'cpu' ? this.cpuW : this.rssMax;
    const order: number[] = [];
    for (let s = 0; s < this.ids.length; s++) if (this.ids[s] !== OTHER_PROC_ID) order.push(s);
    order.sort((a, b) => key[b]! - key[a]! || this.ids[a]! - this.ids[b]!);
    return order.slice(0, limit).map((s) => ({
      id: this.ids[s]!,
      cpuWeighted: this.cpuW[s]!,
      cpuMax: this.cpuMax[s]!,
      rssWeighted: this.rssW[s]!,
      rssMax: this.rssMax[s]!,
      samples: this.samples[s]!,
    }));
  }
}
