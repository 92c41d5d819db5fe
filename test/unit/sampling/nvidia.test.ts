// nvidia-smi's output parsed from real runs kept as fixtures (test/fixtures/nvidia-smi/README.md),
// the sampler against a stand-in executable (a script that prints a fixture: execFile, no shell),
// and its absence: nothing spawned.

import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseComputeApps, parseGpuQuery } from '../../../src/backend/sampling/gpu/nvidiaSmi';
import { findOnPath, NvidiaSampler } from '../../../src/backend/sampling/gpu/nvidiaSampler';

const FIXTURES = join(__dirname, '../../fixtures/nvidia-smi');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const MIB = 1024 * 1024;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('parseGpuQuery', () => {
  it('two GPUs', () => {
    expect(parseGpuQuery(fixture('gpu-two.csv'))).toEqual([
      { index: 0, name: 'GeForce GTX 1080 Ti', utilization: 36, memoryUsedBytes: 2856 * MIB, memoryTotalBytes: 11175 * MIB, celsius: 60 },
      { index: 1, name: 'GeForce GTX 1060 6GB', utilization: 0, memoryUsedBytes: 4 * MIB, memoryTotalBytes: 6078 * MIB, celsius: 49 },
    ]);
    expect(parseGpuQuery(fixture('gpu-rtx2060.csv'))[0]).toMatchObject({ name: 'GeForce RTX 2060', utilization: 20, celsius: 36 });
  });

  it('[N/A] and [Not Supported] are unknown, not 0', () => {
    expect(parseGpuQuery(fixture('gpu-gb10-na.csv'))).toEqual([
      { index: 0, name: 'NVIDIA GB10', utilization: 0, memoryUsedBytes: null, memoryTotalBytes: null, celsius: 41 },
    ]);
    expect(parseGpuQuery(fixture('gpu-not-supported.csv'))[0]).toMatchObject({ utilization: null, memoryUsedBytes: 0, celsius: 44 });
  });

  it('a name with a comma, CRLF line ends, and lines that are not GPUs', () => {
    const text = '0, NVIDIA A100-SXM4-40GB, MIG, 3, 100, 40960, 30\r\nNo devices were found\r\n\r\n';
    expect(parseGpuQuery(text)).toEqual([
      {
        index: 0,
        name: 'NVIDIA A100-SXM4-40GB, MIG',
        utilization: 3,
        memoryUsedBytes: 100 * MIB,
        memoryTotalBytes: 40960 * MIB,
        celsius: 30,
      },
    ]);
  });
});

describe('parseComputeApps', () => {
  it('pid → bytes, summed over GPUs, unknown memory left out', () => {
    expect(parseComputeApps(fixture('apps-two.csv'))).toEqual(
      new Map([
        [59963, 649 * MIB],
        [69081, 12693 * MIB],
      ]),
    );
    expect(parseComputeApps(fixture('apps-gb10.csv'))).toEqual(new Map([[114687, 19135 * MIB]]));
    expect(parseComputeApps(fixture('apps-na.csv')).size).toBe(0);
    expect(parseComputeApps(fixture('apps-none.csv')).size).toBe(0);
    expect(parseComputeApps('10, 100\n10, 50\n').get(10)).toBe(150 * MIB);
  });
});

/** A stand-in nvidia-smi: prints the GPU fixture or the apps fixture depending on its first argument. */
function fakeSmi(gpuFixture: string, appsFixture: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-smi-'));
  dirs.push(dir);
  const exe = join(dir, 'nvidia-smi');
  writeFileSync(
    exe,
    `#!/bin/sh\ncase "$1" in --query-gpu=*) cat '${join(FIXTURES, gpuFixture)}' ;; --query-compute-apps=*) cat '${join(FIXTURES, appsFixture)}' ;; *) exit 2 ;; esac\n`,
  );
  chmodSync(exe, 0o755);
  return exe;
}

describe('NvidiaSampler', () => {
  it('no nvidia-smi: not available, spawns nothing', () => {
    const s = new NvidiaSampler({ executable: null });
    expect(s.available).toBe(false);
    expect(s.latest(0)).toBeUndefined();
    expect(s.spawns).toBe(0);
    expect(findOnPath('nvidia-smi-surely-not-installed')).toBeNull();
  });

  it('finds an executable on PATH without running it', () => {
    const exe = fakeSmi('gpu-two.csv', 'apps-two.csv');
    expect(findOnPath('nvidia-smi', { PATH: `/nonexistent:${join(exe, '..')}` }, 'linux')).toBe(exe);
  });

  it('reads in the background at its own interval, with GPU memory per pid, and counts its cost', async () => {
    const s = new NvidiaSampler({ executable: fakeSmi('gpu-two.csv', 'apps-two.csv'), intervalMs: 10_000 });
    expect(s.latest(1_000)).toBeUndefined(); // started, not answered yet
    await s.settled();
    const r = s.latest(2_000);
    expect(r?.gpus.map((g) => g.name)).toEqual(['GeForce GTX 1080 Ti', 'GeForce GTX 1060 6GB']);
    expect(r?.processes.get(69081)).toBe(12693 * MIB);
    expect(s.spawns).toBe(2);
    expect(s.spentMs).toBeGreaterThanOrEqual(0); // CPU in clock ticks: a cat may cost none
    expect(s.wallMs).toBeGreaterThan(0);
    expect(s.latest(5_000)).toBe(r);
    expect(s.spawns).toBe(2); // not due yet
    s.latest(11_000);
    await s.settled();
    expect(s.spawns).toBe(4);
  });

  it('gives up after failing again and again (the driver went away)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-smi-'));
    dirs.push(dir);
    const exe = join(dir, 'nvidia-smi');
    writeFileSync(exe, '#!/bin/sh\necho "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver." >&2\nexit 9\n');
    chmodSync(exe, 0o755);
    const s = new NvidiaSampler({ executable: exe, intervalMs: 1 });
    for (let t = 0; t < 10 && s.available; t++) {
      s.latest(t * 10);
      await s.settled();
    }
    expect(s.available).toBe(false);
    expect(s.spawns).toBe(5);
  });
});
