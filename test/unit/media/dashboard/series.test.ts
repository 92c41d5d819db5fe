import { describe, expect, it } from 'vitest';
import {
  coreIndexes,
  filesystemMounts,
  gapThreshold,
  LiveTable,
  maxOf,
  median,
  percentOf,
  sameChoice,
  shapeGaps,
  sumMatching,
} from '../../../../media/dashboard/series';

describe('shapeGaps', () => {
  it('keeps evenly spaced samples as they are', () => {
    const t = [0, 2000, 4000, 6000];
    const out = shapeGaps(t, [[1, 2, 3, 4]], 2000);
    expect(out.t).toEqual(t);
    expect(out.cols).toEqual([[1, 2, 3, 4]]);
  });

  it('puts one null between samples far apart (the monitor was not running)', () => {
    const t = [0, 2000, 4000, 60_000, 62_000];
    const out = shapeGaps(
      t,
      [
        [1, 2, 3, 4, 5],
        [9, 9, 9, 9, 9],
      ],
      2000,
    );
    expect(out.t).toEqual([0, 2000, 4000, 32_000, 60_000, 62_000]);
    expect(out.cols[0]).toEqual([1, 2, 3, null, 4, 5]);
    expect(out.cols[1]).toEqual([9, 9, 9, null, 9, 9]);
  });

  it('collapses a run of empty buckets into one gap', () => {
    const t = [0, 60_000, 120_000, 180_000, 240_000, 300_000];
    const out = shapeGaps(t, [[1, 2, null, null, null, 6]], 60_000);
    expect(out.cols[0]).toEqual([1, 2, null, 6]);
    expect(out.t[2]).toBe(180_000);
  });

  it('drops empty buckets finer than the sampling interval instead of breaking every line', () => {
    // 750 ms buckets, one sample every 2 s: most buckets are empty but nothing is missing.
    const t: number[] = [];
    const v: (number | null)[] = [];
    for (let i = 0; i < 40; i++) {
      t.push(i * 750);
      v.push(i % 8 === 0 || i % 8 === 3 || i % 8 === 5 ? i : null);
    }
    const out = shapeGaps(t, [v], 750);
    expect(out.cols[0]!.includes(null)).toBe(false);
    expect(out.t.length).toBe(v.filter((x) => x !== null).length);
  });

  it('keeps rows where only some series are empty', () => {
    const out = shapeGaps(
      [0, 1000, 2000],
      [
        [1, null, 3],
        [4, 5, 6],
      ],
      1000,
    );
    expect(out.cols).toEqual([
      [1, null, 3],
      [4, 5, 6],
    ]);
  });

  it('returns nothing for nothing', () => {
    expect(shapeGaps([0, 1], [[null, null]], 1)).toEqual({ t: [], cols: [[]] });
  });

  it('has a threshold of at least one and a half buckets', () => {
    expect(gapThreshold([], 60_000)).toBe(90_000);
    expect(gapThreshold([2000, 2000, 2000], 1000)).toBe(5000);
    // Many long steps do not hide the short one that is the real interval.
    expect(gapThreshold([2000, 50_000, 60_000], 1000)).toBe(5000);
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });
});

describe('LiveTable', () => {
  const sample = (cpu: number | null, mem?: number) => (k: string) => (k === 'cpu' ? cpu : mem);

  it('appends live samples after the seeded history and ignores old ones', () => {
    const live = new LiveTable(['cpu', 'mem'], 1000);
    live.seed({
      t: [0, 2000, 4000],
      cols: [
        [1, 2, 3],
        [10, 20, 30],
      ],
    });
    expect(live.append(4000, sample(99, 99))).toBe(false);
    expect(live.append(6000, sample(4, 40))).toBe(true);
    expect(live.table()).toEqual({
      t: [0, 2000, 4000, 6000],
      cols: [
        [1, 2, 3, 4],
        [10, 20, 30, 40],
      ],
    });
  });

  it('averages samples that fall into the same bucket', () => {
    const live = new LiveTable(['cpu'], 10_000);
    live.append(100_000, sample(10));
    live.append(102_000, sample(20));
    live.append(104_000, sample(30));
    live.append(110_000, sample(50));
    expect(live.table()).toEqual({ t: [100_000, 110_000], cols: [[20, 50]] });
  });

  it('does not average a missing value as zero', () => {
    const live = new LiveTable(['cpu'], 10_000);
    live.append(100_000, sample(10));
    live.append(101_000, sample(null));
    expect(live.column('cpu')).toEqual([10]);
  });

  it('breaks the line when samples stop for a while', () => {
    const live = new LiveTable(['cpu'], 500);
    for (let t = 0; t <= 10_000; t += 2000) live.append(t, sample(1));
    live.append(60_000, sample(2));
    const { t, cols } = live.table();
    expect(cols[0]).toEqual([1, 1, 1, 1, 1, 1, null, 2]);
    expect(t[6]).toBeGreaterThan(10_000);
    expect(t[6]).toBeLessThan(60_000);
  });

  it('slides: rows before the window go, and a leading gap row with them', () => {
    const live = new LiveTable(['cpu'], 500);
    for (let t = 0; t <= 10_000; t += 2000) live.append(t, sample(1));
    live.append(60_000, sample(2));
    live.append(62_000, sample(3));
    live.trim(20_000);
    expect(live.table()).toEqual({ t: [60_000, 62_000], cols: [[2, 3]] });
    expect(live.lastT).toBe(62_000);
  });

  it('never merges into a seeded (already aggregated) row', () => {
    const live = new LiveTable(['cpu'], 60_000);
    live.seed({ t: [0], cols: [[5]] });
    live.append(1000, sample(7));
    expect(live.table()).toEqual({ t: [0, 1000], cols: [[5, 7]] });
  });
});

describe('derived series', () => {
  it('computes filesystem percent, null where unknown', () => {
    expect(percentOf([50, null, 10, 5], [100, 100, 0, null])).toEqual([50, null, null, null]);
  });

  it('finds mounts and cores in metric names', () => {
    const names = [
      'cpu.total',
      'core.10.total',
      'core.2.total',
      'fs./.used',
      'fs./.size',
      'fs./mnt/a.b.used',
      'fs./mnt/a.b.size',
      'fs./x.used',
    ];
    expect(filesystemMounts(names)).toEqual(['/', '/mnt/a.b']);
    expect(coreIndexes(names)).toEqual([2, 10]);
  });

  it('sums the processes a choice matches', () => {
    const procs = [
      { pid: 1, startTime: 100, name: 'node', cpu: 10, rssBytes: 1000, readBytes: 4096, writeBytes: null },
      { pid: 2, startTime: 200, name: 'node', cpu: 5, rssBytes: 500, readBytes: 100, writeBytes: null },
      { pid: 1, startTime: 999, name: 'bash', cpu: 1, rssBytes: 10 },
    ];
    // I/O sums the readable ones; where none was readable it is unknown (null), not 0.
    expect(sumMatching(procs, { kind: 'name', name: 'node' })).toEqual({
      cpu: 15,
      rssBytes: 1500,
      readBytes: 4196,
      writeBytes: null,
      count: 2,
    });
    // Same pid, other start time: another process.
    expect(sumMatching(procs, { kind: 'process', pid: 1, startTime: 100, name: 'node' })).toEqual({
      cpu: 10,
      rssBytes: 1000,
      readBytes: 4096,
      writeBytes: null,
      count: 1,
    });
    const none = { cpu: null, rssBytes: null, readBytes: null, writeBytes: null, count: 0 };
    expect(sumMatching(procs, { kind: 'process', pid: 3, startTime: 100, name: 'x' })).toEqual(none);
  });

  it('compares choices by identity', () => {
    expect(sameChoice({ kind: 'process', pid: 1, startTime: 2, name: 'a' }, { kind: 'process', pid: 1, startTime: 2, name: 'b' })).toBe(
      true,
    );
    expect(sameChoice({ kind: 'process', pid: 1, startTime: 2, name: 'a' }, { kind: 'process', pid: 1, startTime: 3, name: 'a' })).toBe(
      false,
    );
    expect(sameChoice({ kind: 'name', name: 'a' }, { kind: 'process', pid: 1, startTime: 2, name: 'a' })).toBe(false);
    expect(sameChoice(null, null)).toBe(true);
  });

  it('finds the largest value', () => {
    expect(maxOf([1, null, 7], [3])).toBe(7);
    expect(maxOf([null])).toBe(0);
  });
});
