// CPU and memory by extension and by VS Code role, on a real sql.js store that has rolled its raw
// frames into minute rollups: an extension's load survives them (VS Code's processes keep places
// beside each bucket's top N), the raw and rolled-up tiers agree, gaps are gaps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { loadByGroup } from '../../../src/backend/queries/loadByGroup';
import { Store } from '../../../src/backend/storage/store';
import { runTool } from '../../../src/backend/tools/run';
import { snapshotAt } from '../../support/synthetic';
import type { LoadGroup, Snapshot } from '../../../src/backend/types';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const STEP = 2000;
const MINUTE = 60_000;
const MB = 1024 * 1024;
let dir: string;
let store: Store;

/** Processes 5..12 have roles (test/support/synthetic.ts); these get steady loads. */
const CPU: Record<number, number> = { 5: 1, 6: 2, 7: 0.7, 8: 0.5, 9: 0.5, 10: 0.6 };
function snapshot(t: number): Snapshot {
  const s = snapshotAt(t, STEP, { processes: 30, vscode: true });
  for (const [i, cpu] of Object.entries(CPU)) s.processes[Number(i)]!.cpu = cpu;
  return s;
}
const rssOf = (i: number): number => (10 + (i % 40) * 5) * MB;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-bygroup-'));
  // A small top N: the extensions' processes are neither among the busiest nor the largest.
  const retention = { ...defaultMonitorConfig().retention, topNMinute: 8, rawProcessMinutes: 30 };
  let now = T0;
  store = await Store.open({ path: join(dir, 'vitals.sqlite'), retention, now: () => now });
  for (let t = T0; t < T0 + 70 * MINUTE; t += STEP) {
    now = t;
    store.record(snapshot(t));
  }
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const group = (groups: LoadGroup[], key: string): LoadGroup => {
  const g = groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key} in ${groups.map((x) => x.key).join(', ')}`);
  return g;
};

describe('loadByGroup', () => {
  it('sums each extension’s processes from the minute rollups, with their display names', () => {
    const r = loadByGroup(store, { from: T0, to: T0 + 60 * MINUTE, by: 'extension', maxPoints: 60, limit: 10 }, STEP);
    expect(r.tier).toBe('1m');
    expect(r.bucketMs).toBe(MINUTE);
    expect(r.t.length).toBe(60);
    expect(r.groups.map((g) => g.key)).toEqual(['a.alpha', 'b.beta', 'c.gamma']);
    const alpha = group(r.groups, 'a.alpha');
    expect(alpha.label).toBe('Alpha');
    expect(alpha.cpuAvg).toBeCloseTo(2.7, 4);
    expect(alpha.processes).toBe(2);
    expect(alpha.rssMaxBytes).toBe(rssOf(6) + rssOf(7));
    expect(alpha.cpu.avg.every((v) => v !== null && Math.abs(v - 2.7) < 1e-4)).toBe(true);
    // Beta's two quiet processes would have been folded into "other" without their places.
    expect(group(r.groups, 'b.beta').cpuAvg).toBeCloseTo(1, 4);
    expect(group(r.groups, 'b.beta').rssBytes.max.every((v) => v === rssOf(8) + rssOf(9))).toBe(true);
    expect(group(r.groups, 'c.gamma').cpuAvg).toBeCloseTo(0.6, 4);
  });

  it('agrees with the raw tier where both exist', () => {
    const from = T0 + 50 * MINUTE;
    const raw = loadByGroup(store, { from, to: from + 10 * MINUTE, by: 'extension', maxPoints: 1000, limit: 10 }, STEP);
    expect(raw.tier).toBe('raw');
    const rolled = loadByGroup(store, { from, to: from + 10 * MINUTE, by: 'extension', maxPoints: 10, limit: 10 }, STEP);
    expect(rolled.tier).toBe('1m');
    for (const key of ['a.alpha', 'b.beta']) {
      expect(group(raw.groups, key).cpuAvg).toBeCloseTo(group(rolled.groups, key).cpuAvg, 4);
      expect(group(raw.groups, key).rssMaxBytes).toBe(group(rolled.groups, key).rssMaxBytes);
    }
  });

  it('groups by role, sums what is past the limit as "other", and leaves gaps null', () => {
    const byRole = loadByGroup(store, { from: T0, to: T0 + 60 * MINUTE, by: 'role', maxPoints: 60, limit: 10 }, STEP);
    expect(group(byRole.groups, 'extension').cpuAvg).toBeCloseTo(4.3, 4);
    expect(group(byRole.groups, 'extension').processes).toBe(5);
    expect(group(byRole.groups, 'extension-host').cpuAvg).toBeCloseTo(1, 4);
    // The raw tier has every process; the quiet pty host and terminal got no place in the rollups
    // (the extensions' processes, busier, took the N/2).
    const raw = loadByGroup(store, { from: T0 + 60 * MINUTE, to: T0 + 70 * MINUTE, by: 'role', maxPoints: 1000, limit: 10 }, STEP);
    expect(raw.groups.map((g) => g.key)).toEqual(expect.arrayContaining(['pty-host', 'terminal']));

    const top1 = loadByGroup(store, { from: T0, to: T0 + 60 * MINUTE, by: 'extension', maxPoints: 60, limit: 1 }, STEP);
    expect(top1.groups.map((g) => g.key)).toEqual(['a.alpha', 'other']);
    expect(group(top1.groups, 'other').cpuAvg).toBeCloseTo(1.6, 4);
    expect(group(top1.groups, 'other').processes).toBe(3);

    // An hour before recording started: no intervals there, so null, not 0.
    const early = loadByGroup(store, { from: T0 - 60 * MINUTE, to: T0 + 60 * MINUTE, by: 'extension', maxPoints: 120, limit: 10 }, STEP);
    const alpha = group(early.groups, 'a.alpha');
    expect(alpha.cpu.avg.slice(0, 60).every((v) => v === null)).toBe(true);
    expect(alpha.cpu.avg.slice(60).every((v) => v !== null)).toBe(true);
    expect(alpha.cpuAvg).toBeCloseTo(2.7, 4);
  });

  it('answers an empty range, or a database with no roles, with no groups', () => {
    const r = loadByGroup(store, { from: T0 + 600 * MINUTE, to: T0 + 601 * MINUTE, by: 'extension', maxPoints: 10, limit: 10 }, STEP);
    expect(r.groups).toEqual([]);
  });

  it('answers the agent tool vitals_load_by_group with names, figures and the tier', async () => {
    const ctx = () =>
      Promise.resolve({ store, sampleIntervalMs: STEP, now: T0 + 70 * MINUTE, health: () => Promise.reject(new Error('unused')) });
    const r = await runTool('vitals_load_by_group', { from: '-70m', limit: 2 }, ctx);
    expect(r.isError).toBe(false);
    const lines = r.text.split('\n');
    expect(lines[0]).toMatch(/^CPU and memory by extension, .* from 1-minute rollups:$/);
    expect(lines[1]).toMatch(/^1\. Alpha \(a\.alpha\): CPU avg 2\.7% max 2\.7% of one core, memory max 85(\.0)? MB, 2 processes$/);
    expect(lines[3]).toMatch(/^3\. other: CPU avg /);
    const byRole = await runTool('vitals_load_by_group', { from: '-70m', by: 'role' }, ctx);
    expect(byRole.text).toMatch(/\bextension-host: CPU avg 1(\.0)?% /);
    expect((await runTool('vitals_load_by_group', { by: 'user' }, ctx)).isError).toBe(true);
    const none = await runTool('vitals_load_by_group', { from: '-1d', to: '-20h' }, ctx);
    expect(none).toMatchObject({ isError: true, text: expect.stringMatching(/no processes attributed to an extension between/) });
  });
});
