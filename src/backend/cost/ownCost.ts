// The monitor's own cost as Storage Health and the CLI's summary line report it: the CPU of the
// thread doing the work (threadCpu.ts) and that thread's memory (its V8 heap and sql.js's
// WebAssembly memory). The process's RSS is reported too, labelled as the whole process: in VS Code
// that is the extension host, with every other extension in it.
import { getHeapStatistics } from 'node:v8';
import { loadedSqlJs } from '../storage/sqljs';
import type { OwnCost } from '../types';
import { threadCpu, type ThreadCpu } from './threadCpu';

export class OwnCostMeter {
  private readonly cpu: ThreadCpu = threadCpu();
  private readonly startMicros = this.cpu.micros();
  // Real elapsed time, not the monitor's clock (tests fake that one): CPU time is always real.
  private readonly startedAt = performance.now();

  /** CPU microseconds of the monitor's thread (or of the process, where no thread figure exists). */
  cpuMicros(): number {
    return this.cpu.micros();
  }

  get cpuScope(): OwnCost['cpuScope'] {
    return this.cpu.scope;
  }

  /** `extraMs`: time of work done outside the thread on the monitor's behalf (child processes it ran). */
  report(extraMs = 0): OwnCost {
    const elapsedMs = Math.max(1, performance.now() - this.startedAt);
    return {
      cpuPercent: (((this.cpu.micros() - this.startMicros) / 1000 + extraMs) / elapsedMs) * 100,
      cpuScope: this.cpu.scope,
      heapBytes: getHeapStatistics().used_heap_size,
      wasmBytes: loadedSqlJs()?.memory?.buffer.byteLength ?? 0,
      rssBytes: process.memoryUsage.rss(),
    };
  }
}

/** A report about a file nobody records (`vitals health` on a stopped file): no monitor, no cost. */
export function noCost(): OwnCost {
  return { cpuPercent: 0, cpuScope: 'process', heapBytes: 0, wasmBytes: 0, rssBytes: 0 };
}
