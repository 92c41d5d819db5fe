// The monitor's CPU meter on this machine's real /proc: a worker thread's CPU is its own, not the
// process's (in VS Code the process is the extension host, every extension in it).
import { spawnSync } from 'node:child_process';
import { isMainThread, Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { childrenMicros, currentTid, procThreadMicros, threadCpu } from '../../../src/backend/cost/threadCpu';
import { OwnCostMeter } from '../../../src/backend/cost/ownCost';

const linux = process.platform === 'linux';

// Plain JS run in a worker thread: says its tid, then burns `ms` of its own CPU (measured by CPU, not
// by the clock) when asked, and says so.
const WORKER = `
const { parentPort } = require('node:worker_threads');
const { readFileSync, readlinkSync } = require('node:fs');
const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
const cpuMs = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ')[0]) / 1e6;
parentPort.postMessage({ tid });
parentPort.on('message', (ms) => {
  const start = cpuMs();
  let x = 0;
  while (cpuMs() - start < ms) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
  parentPort.postMessage({ done: x > 0 });
});
`;

function message(w: Worker): Promise<{ tid?: number; done?: boolean }> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
  });
}

describe.runIf(linux)('thread CPU (live /proc)', () => {
  it('names the calling thread and measures it', () => {
    const meter = threadCpu();
    expect(meter.scope).toBe(isMainThread ? 'main-thread' : 'worker-thread');
    expect(meter.tid).toBe(currentTid());
    const before = meter.micros();
    let x = 0;
    while (meter.micros() - before < 50_000) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(meter.micros() - before).toBeGreaterThanOrEqual(50_000);
    // The kept-open file says what a fresh read of the same file says.
    const fresh = procThreadMicros('thread-self')!;
    expect(Math.abs(meter.micros() - fresh)).toBeLessThan(5_000);
  });

  it("sees a busy worker thread's CPU rise while the waiting thread's does not", async () => {
    const w = new Worker(WORKER, { eval: true });
    try {
      const { tid } = await message(w);
      expect(tid).toBeGreaterThan(0);
      expect(tid).not.toBe(currentTid());
      const me = threadCpu();
      const workerBefore = procThreadMicros(tid!)!;
      const mineBefore = me.micros();
      w.postMessage(300);
      expect((await message(w)).done).toBe(true);
      const workerUsed = procThreadMicros(tid!)! - workerBefore;
      const mineUsed = me.micros() - mineBefore;
      expect(workerUsed).toBeGreaterThanOrEqual(300_000);
      // This thread only waited for a message meanwhile.
      expect(mineUsed).toBeLessThan(workerUsed / 3);
    } finally {
      await w.terminate();
    }
  });

  it("counts finished child processes' CPU apart (the systeminformation samplers run ps)", () => {
    const before = childrenMicros();
    const child = spawnSync(process.execPath, ['-e', 'const s = process.cpuUsage(); while (process.cpuUsage(s).user < 200000);']);
    expect(child.status).toBe(0);
    // Clock ticks (10 ms): at least most of the 200 ms the child burnt.
    expect(childrenMicros() - before).toBeGreaterThanOrEqual(150_000);
  });

  it("reports the monitor's own figures labelled by what they measure", () => {
    const meter = new OwnCostMeter();
    const r = meter.report();
    expect(r.cpuScope).toBe(isMainThread ? 'main-thread' : 'worker-thread');
    expect(r.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(r.heapBytes).toBeGreaterThan(1024 * 1024);
    expect(r.rssBytes).toBeGreaterThan(r.heapBytes);
  });
});
