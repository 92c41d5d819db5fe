// The cost governor in a real Monitor (real sql.js, real thread CPU meter, fake clock): an expensive
// process sampler is sampled less often, the system every interval, the store records each process
// sample once, Storage Health says why, and the log says it once.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { procThreadMicros } from '../../../src/backend/cost/threadCpu';
import { Monitor } from '../../../src/backend/monitor';
import type { Samplers } from '../../../src/backend/sampling';
import { healthText } from '../../../src/shared/healthText';
import { processesAt, systemAt } from '../../support/synthetic';
import { INFO, manualClock, recordingSink, removeDir, tempDir } from '../durability/support/harness';

let dir: string;
beforeEach(() => (dir = tempDir('governor')));
afterEach(() => removeDir(dir));

/** Burns `ms` of this thread's CPU (measured by CPU, not by the clock: the machine may be loaded). */
function burn(ms: number): void {
  const start = procThreadMicros('thread-self') ?? 0;
  let x = 0;
  while ((procThreadMicros('thread-self') ?? 0) - start < ms * 1000) for (let i = 0; i < 1e4; i++) x += Math.sqrt(i);
  if (x < 0) throw new Error('unreachable');
}

function expensiveSamplers(costMs: () => number): Samplers & { processSamples: number } {
  const s = {
    processSamples: 0,
    kind: 'procfs' as const,
    system: { sample: (t: number) => Promise.resolve(systemAt(t)), dispose: () => undefined },
    processes: {
      sample: (t: number) => {
        s.processSamples++;
        burn(costMs());
        return Promise.resolve(processesAt(t, 2000, { processes: 10 }));
      },
      setCommandLineMode: () => undefined,
      dispose: () => undefined,
    },
  };
  return s;
}

describe.runIf(process.platform === 'linux')('the cost governor in a Monitor', () => {
  it('samples an expensive process sampler less often, says why, and comes back when it is cheap', async () => {
    const clock = manualClock(1_800_000_000_000);
    const sink = recordingSink();
    let cost = 60;
    const samplers = expensiveSamplers(() => cost);
    const monitor = await Monitor.open({
      dbPath: join(dir, 'vitals.sqlite'),
      config: defaultMonitorConfig({ sampleIntervalMs: 2000, flushIntervalMs: 2000, governorMaxCpuPercent: 1, backupsKept: 0 }),
      sink,
      clock,
      samplers,
      info: INFO,
      autoStart: false,
    });
    try {
      for (let i = 0; i < 30; i++) {
        clock.advance(2000);
        await monitor.tick();
      }
      const h = monitor.health();
      // 60 ms per process sample: 3 % of a core at 2 s; 1 % allows one every 6 s or slower.
      expect(h.sampling).toMatchObject({ intervalMs: 2000, budgetPercent: 1, governed: true });
      expect(h.sampling!.processIntervalMs).toBeGreaterThanOrEqual(6000);
      expect(h.sampling!.costPercent).toBeGreaterThan(2);
      expect(samplers.processSamples).toBeLessThan(15);
      // Every tick published a snapshot; those between process samples say how old their list is.
      const snaps = sink.snapshots.slice(-10);
      expect(snaps.every((s) => s.processes.length > 0)).toBe(true);
      expect(snaps.some((s) => s.processesAt !== undefined && s.processesAt < s.t)).toBe(true);
      // The store: a system frame every interval, a process frame only per process sample.
      const rows = h.rowCounts;
      expect(rows.sys_raw).toBe(30);
      expect(rows.proc_raw).toBe(samplers.processSamples);
      expect(healthText(h)).toMatch(/System every 2 s, processes every \d+ s to stay under 1\.0% of one core/);
      const said = sink.logs.filter((l) => l.message.startsWith('Processes sampled every'));
      expect(said).toHaveLength(1);
      expect(said[0]!.level).toBe('info');

      // Cheap again: back to every interval after the step held a while.
      cost = 0;
      for (let i = 0; i < 120 && monitor.health().sampling!.governed; i++) {
        clock.advance(2000);
        await monitor.tick();
      }
      expect(monitor.health().sampling).toMatchObject({ processIntervalMs: 2000, governed: false });
      // Once per change (it may step back through a middle step), never per tick.
      const back = sink.logs.filter((l) => l.message.startsWith('Processes sampled every'));
      expect(back.length).toBeLessThanOrEqual(4);
      expect(back.at(-1)!.message).toMatch(/^Processes sampled every 2 s again/);
    } finally {
      await monitor.close();
    }
  });
});
