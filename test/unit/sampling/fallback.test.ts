// The systeminformation samplers are for macOS and Windows; on Linux they run only here, forced, to
// show they produce a sane sample. Also the sampler choice and the static facts.

import { spawn } from 'node:child_process';
import { cpus, hostname, totalmem } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { createSamplers, readStaticInfo, type Samplers } from '../../../src/backend/sampling';
import { parseStarted } from '../../../src/backend/sampling/fallback/processSampler';
import { IO_REFRESH_MS } from '../../../src/backend/sampling/fallback/systemSampler';

const made: Samplers[] = [];
afterEach(() => {
  for (const s of made.splice(0)) {
    s.system.dispose();
    s.processes.dispose();
  }
});
function create(...args: Parameters<typeof createSamplers>): Samplers {
  const s = createSamplers(...args);
  made.push(s);
  return s;
}

describe('createSamplers', () => {
  it('reads /proc on Linux', () => {
    expect(create({ commandLine: 'redacted' }).kind).toBe(process.platform === 'linux' ? 'procfs' : 'systeminformation');
  });

  it('uses systeminformation on other platforms, or when /proc is not there', () => {
    expect(create({ platform: 'darwin', commandLine: 'redacted' }).kind).toBe('systeminformation');
    expect(create({ platform: 'win32', commandLine: 'redacted' }).kind).toBe('systeminformation');
    expect(create({ platform: 'linux', commandLine: 'redacted', procRoot: '/nonexistent-proc' }).kind).toBe('systeminformation');
  });
});

describe('systeminformation fallback, forced', () => {
  it('produces a sane system sample', async () => {
    const { system } = create({ platform: 'darwin', commandLine: 'redacted' });
    await system.sample(1_000);
    const x = await system.sample(2_000);
    expect(x.t).toBe(2_000);
    expect(x.cores.length).toBe(cpus().length);
    for (const c of [x.cpu, ...x.cores]) {
      expect(c.total).toBeGreaterThanOrEqual(0);
      expect(c.total).toBeLessThanOrEqual(100);
      expect(c.total + c.idle).toBeCloseTo(100, 1);
    }
    expect(x.mem.totalBytes).toBe(totalmem());
    expect(x.mem.usedBytes).toBeLessThanOrEqual(x.mem.totalBytes);
    expect(x.swap.usedBytes).toBeLessThanOrEqual(x.swap.totalBytes);
    for (const v of [x.disk.readBps, x.disk.writeBps, x.net.rxBps, x.net.txBps]) expect(v).toBeGreaterThanOrEqual(0);
    expect(x.net.interfaces.map((i) => i.name)).not.toContain('lo');
    const root = x.filesystems.find((f) => f.mount === '/');
    expect(root).toBeDefined();
    expect(root!.usedBytes).toBeLessThanOrEqual(root!.sizeBytes);
  });

  it('measures CPU in-process between samples, and reads the helper-spawning network and disk rates only every 30 s', async () => {
    const { system } = create({ platform: 'darwin', commandLine: 'redacted' });
    const first = await system.sample(10_000);
    // This thread keeps one core busy: at least half of this 2-core machine (less a margin for the spin's own gaps).
    const end = Date.now() + 400;
    while (Date.now() < end);
    const busy = await system.sample(12_000);
    expect(busy.cpu.total).toBeGreaterThanOrEqual(100 / cpus().length - 15);
    expect(Math.max(...busy.cores.map((c) => c.total))).toBeGreaterThanOrEqual(70);
    // Within 30 s of the last read the rates are the same reading; after, a new one.
    expect(busy.net).toBe(first.net);
    expect(busy.disk).toBe(first.disk);
    const later = await system.sample(10_000 + IO_REFRESH_MS);
    expect(later.net).not.toBe(first.net);
  });

  it('produces a sane process sample, with a child we spawned in it', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e6)', '--', '--vitals-test-marker=fallback', '--token=abc'], {
      stdio: 'ignore',
    });
    try {
      await new Promise((resolve) => child.once('spawn', resolve));
      const { processes } = create({ platform: 'darwin', commandLine: 'redacted' });
      const list = await processes.sample(Date.now());
      const p = list.find((x) => x.pid === child.pid);
      expect(p).toBeDefined();
      expect(p!.ppid).toBe(process.pid);
      expect(p!.name).toBe('node');
      expect(p!.command).toContain('--vitals-test-marker=fallback --token=***');
      expect(p!.rssBytes).toBeGreaterThan(0);
      expect(Math.abs(p!.startTime - Date.now())).toBeLessThan(60_000);
      for (const q of list) {
        expect(q.cpu).toBeGreaterThanOrEqual(0);
        expect(q.state).toMatch(/^[A-Z?]$/);
      }
      processes.setCommandLineMode('off');
      const again = await processes.sample(Date.now());
      expect(again.find((x) => x.pid === child.pid)?.command).toBe('');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('parses systeminformation start times as local time', () => {
    expect(parseStarted('2024-03-05 07:08:09')).toBe(new Date(2024, 2, 5, 7, 8, 9).getTime());
    expect(parseStarted('')).toBe(0);
  });
});

describe('readStaticInfo', () => {
  it('names the machine, its OS and CPU', async () => {
    const info = await readStaticInfo();
    expect(info.hostname).toBe(hostname());
    expect(info.platform).toBe(process.platform);
    expect(info.cpuCount).toBe(cpus().length);
    expect(info.totalMemBytes).toBe(totalmem());
    expect(info.os.length).toBeGreaterThan(0);
    expect(info.cpuModel.length).toBeGreaterThan(0);
  });
});
