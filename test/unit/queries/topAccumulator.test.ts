// The fast top-processes accumulator must sum exactly what a plain per-entry Map would, whether
// consecutive frames list the same processes in the same places or not.
import { describe, expect, it } from 'vitest';
import { encodeProcAgg, encodeProcRaw, OTHER_PROC_ID, type ProcValue } from '../../../src/backend/storage/frames';
import { TopAccumulator } from '../../../src/backend/queries/topAccumulator';

function reference(frames: ProcValue[][]): Map<number, { cpu: number; cpuMax: number; rss: number; rssMax: number; samples: number }> {
  const m = new Map<number, { cpu: number; cpuMax: number; rss: number; rssMax: number; samples: number }>();
  for (const f of frames)
    for (const e of f) {
      const rss = Math.round(e.rssKiB);
      const cpu = Math.fround(e.cpu);
      const a = m.get(e.id) ?? { cpu: 0, cpuMax: -Infinity, rss: 0, rssMax: -Infinity, samples: 0 };
      a.cpu += cpu;
      a.rss += rss;
      a.cpuMax = Math.max(a.cpuMax, cpu);
      a.rssMax = Math.max(a.rssMax, rss);
      a.samples++;
      m.set(e.id, a);
    }
  return m;
}

describe('TopAccumulator', () => {
  it('sums raw frames whose processes come, go and shift position', () => {
    const frames: ProcValue[][] = [];
    for (let k = 0; k < 40; k++) {
      const f: ProcValue[] = [];
      for (let id = 1; id <= 50; id++) {
        // Some processes exit for a while (entries after them shift), a few start late.
        if ((id % 7 === 0 && k % 5 < 2) || (id > 45 && k < 10)) continue;
        f.push({ id, cpu: ((id * 13 + k * 7) % 100) / 3, rssKiB: 1000 + id * 10 + k, threads: 1 });
      }
      frames.push(f);
    }
    const acc = new TopAccumulator();
    for (const f of frames) acc.addRaw(encodeProcRaw(f));
    const ref = reference(frames);
    const all = acc.top('cpu', 1000);
    expect(all).toHaveLength(ref.size);
    for (const t of all) {
      const r = ref.get(t.id)!;
      expect(t.cpuWeighted).toBeCloseTo(r.cpu, 3);
      expect(t.rssWeighted).toBe(r.rss);
      expect(t.cpuMax).toBeCloseTo(r.cpuMax, 5);
      expect(t.rssMax).toBe(r.rssMax);
      expect(t.samples).toBe(r.samples);
    }
    // Best first, by CPU then by peak memory.
    const byCpu = [...ref]
      .sort((a, b) => b[1].cpu - a[1].cpu || a[0] - b[0])
      .slice(0, 5)
      .map(([id]) => id);
    expect(acc.top('cpu', 5).map((t) => t.id)).toEqual(byCpu);
    const byMem = [...ref]
      .sort((a, b) => b[1].rssMax - a[1].rssMax || a[0] - b[0])
      .slice(0, 5)
      .map(([id]) => id);
    expect(acc.top('memory', 5).map((t) => t.id)).toEqual(byMem);
  });

  it('weights rollup frames by their intervals and leaves "other" out of the ranking', () => {
    const acc = new TopAccumulator();
    acc.addRollup(
      encodeProcAgg([
        { id: OTHER_PROC_ID, cpuAvg: 90, cpuMax: 95, rssAvgKiB: 9e6, rssMaxKiB: 9e6, samples: 100 },
        { id: 5, cpuAvg: 10, cpuMax: 20, rssAvgKiB: 500, rssMaxKiB: 600, samples: 30 },
      ]),
      30,
    );
    acc.addRollup(encodeProcAgg([{ id: 5, cpuAvg: 4, cpuMax: 8, rssAvgKiB: 700, rssMaxKiB: 900, samples: 15 }]), 30);
    const [top, ...rest] = acc.top('cpu', 10);
    expect(rest).toHaveLength(0);
    expect(top).toMatchObject({
      id: 5,
      cpuWeighted: 10 * 30 + 4 * 30,
      cpuMax: 20,
      rssWeighted: 500 * 30 + 700 * 30,
      rssMax: 900,
      samples: 45,
    });
  });
});
