// The procfs process sampler against the real /proc, with real child processes. No timing asserts:
// waits only give the kernel something to count.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { setPriority, userInfo } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { LinuxProcessSampler } from '../../../src/backend/sampling/linux/processSampler';
import type { ProcessSample } from '../../../src/backend/types';

const children: ChildProcess[] = [];
const samplers: LinuxProcessSampler[] = [];

afterEach(async () => {
  for (const s of samplers.splice(0)) s.dispose();
  await Promise.all(children.splice(0).map((c) => kill(c)));
});

function sampler(commandLine: 'off' | 'redacted' | 'full' = 'redacted'): LinuxProcessSampler {
  const s = new LinuxProcessSampler({ commandLine });
  samplers.push(s);
  return s;
}

function nodeChild(code: string, args: string[]): ChildProcess {
  const c = spawn(process.execPath, ['-e', code, '--', ...args], { stdio: 'ignore' });
  children.push(c);
  return c;
}

async function spawned(c: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    c.once('spawn', resolve);
    c.once('error', reject);
  });
}

async function kill(c: ChildProcess): Promise<void> {
  if (c.exitCode !== null || c.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
  c.kill('SIGKILL');
  await exited;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const find = (list: ProcessSample[], pid: number | undefined): ProcessSample | undefined => list.find((p) => p.pid === pid);

/** Time the process spent on a CPU, in ns (/proc/<pid>/schedstat), when the kernel provides it. */
function runNs(pid: number): number | undefined {
  try {
    const v = Number(readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')[0]);
    return Number.isFinite(v) && v > 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Samples until `pred` holds for the child (a freshly spawned node may still be exec'ing). */
async function sampleUntil(s: LinuxProcessSampler, pid: number, pred: (p: ProcessSample) => boolean): Promise<ProcessSample> {
  let last: ProcessSample | undefined;
  for (let i = 0; i < 50; i++) {
    last = find(await s.sample(Date.now()), pid);
    if (last && pred(last)) return last;
    await sleep(50);
  }
  throw new Error(`process ${pid} never matched: ${JSON.stringify(last)}`);
}

describe('LinuxProcessSampler on the real /proc', () => {
  it('sees a child with its ppid, name, command line, start time, memory and user', async () => {
    const marker = `--vitals-test-marker=${randomUUID()}`;
    const spawnedAt = Date.now();
    const child = nodeChild('setInterval(() => {}, 1e6)', [marker]);
    await spawned(child);
    const s = sampler('full');
    const p = await sampleUntil(s, child.pid!, (x) => x.command.includes(marker));
    expect(p.ppid).toBe(process.pid);
    expect(p.name).toBe('node');
    expect(p.command).toBe(`${process.execPath} -e setInterval(() => {}, 1e6) -- ${marker}`);
    // Boot time has a resolution of one second, hence "a few seconds".
    expect(Math.abs(p.startTime - spawnedAt)).toBeLessThan(3_000);
    expect(p.rssBytes).toBeGreaterThan(0);
    expect(p.threads).toBeGreaterThanOrEqual(1);
    expect(p.user).toBe(userInfo().username);
    expect(['R', 'S']).toContain(p.state);
  });

  it('lists this process too, and every entry is well formed', async () => {
    const list = await sampler().sample(Date.now());
    const self = find(list, process.pid)!;
    expect(self.ppid).toBe(process.ppid);
    expect(self.rssBytes).toBeGreaterThan(0);
    expect(list.length).toBeGreaterThan(5);
    for (const p of list) {
      expect(p.pid).toBeGreaterThan(0);
      expect(p.startTime).toBeGreaterThan(0);
      expect(p.cpu).toBeGreaterThanOrEqual(0);
      expect(p.state).toMatch(/^[A-Za-z]$/);
      expect(p.name.length + p.command.length).toBeGreaterThan(0);
    }
    // Kernel threads have no command line: shown as [name], like ps does.
    const kthreadd = list.find((p) => p.pid === 2 && p.name === 'kthreadd');
    if (kthreadd) expect(kthreadd.command).toBe('[kthreadd]');
  });

  it('masks secrets in a real command line when redacted', async () => {
    const marker = `--vitals-test-marker=${randomUUID()}`;
    const child = nodeChild('setInterval(() => {}, 1e6)', [marker, '--password=hunter2']);
    await spawned(child);
    const p = await sampleUntil(sampler('redacted'), child.pid!, (x) => x.command.includes(marker));
    expect(p.command.endsWith(`${marker} --password=***`)).toBe(true);
  });

  it('shows a busy child above 50 % of a core, then loses it once killed', async () => {
    const child = nodeChild('for (;;) {}', ['--vitals-test-marker=busy']);
    await spawned(child);
    try {
      // Where allowed (root), keep other load on a shared machine from starving the child below 50 %.
      setPriority(child.pid!, -10);
    } catch {
      // not permitted: fine on an idle machine
    }
    const s = sampler();
    await sampleUntil(s, child.pid!, (x) => x.name === 'node');
    const t0 = Date.now();
    const first = find(await s.sample(t0), child.pid)!;
    const run0 = runNs(child.pid!);
    await sleep(1_000);
    const t1 = Date.now();
    const second = find(await s.sample(t1), child.pid)!;
    const run1 = runNs(child.pid!);
    expect(second.startTime).toBe(first.startTime);
    // The kernel's nanosecond run time over about the same window is an independent measure. The
    // windows differ by how long this process waits between reading stat and schedstat, which on a
    // loaded machine is tens of ms, hence the loose tolerance: it catches a wrong unit (share of the
    // machine instead of a core, ticks taken for ms); the exact arithmetic is tested on a fake /proc.
    const actual = run0 !== undefined && run1 !== undefined ? (run1 - run0) / 1e4 / (t1 - t0) : undefined;
    // (CI on a saturated 2-core machine showed windows skewed by up to ~14 points.)
    if (actual !== undefined) expect(Math.abs(second.cpu - actual)).toBeLessThan(Math.max(20, actual * 0.4));
    expect(second.cpu).toBeGreaterThan(5);
    // A busy loop gets most of a core, unless other work saturates this (shared) machine: then the
    // kernel's own figure says so and the check above is what proves the sampler right.
    if (actual === undefined || actual > 55) expect(second.cpu).toBeGreaterThan(50);
    await kill(child);
    const after = await s.sample(Date.now());
    expect(after.some((p) => p.pid === first.pid && p.startTime === first.startTime)).toBe(false);
  });

  it('probes a real sleeper without reading its stat, and shows its CPU once it wakes and works', async () => {
    // A shell blocked in `read`: one thread, asleep until we write a line, then a busy loop.
    const c = spawn('/bin/sh', ['-c', 'read x; i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; read y'], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(c);
    await spawned(c);
    const s = sampler();
    await sampleUntil(s, c.pid!, (p) => p.name === 'sh' && p.state === 'S');
    await sleep(50);
    await s.sample(Date.now()); // asleep since: the probe's baseline
    const probes = s.counters.schedReads;
    const asleep = find(await s.sample(Date.now()), c.pid);
    expect(asleep).toMatchObject({ name: 'sh', state: 'S', cpu: 0, threads: 1 });
    expect(s.counters.schedReads).toBeGreaterThan(probes);
    const t0 = runNs(c.pid!);
    c.stdin!.write('go\n');
    // Its CPU shows from the sample after it started running, whichever interval that lands in.
    let seen = 0;
    for (let i = 0; i < 40 && seen === 0; i++) {
      await sleep(100);
      seen = find(await s.sample(Date.now()), c.pid)?.cpu ?? 0;
    }
    if (t0 !== undefined) expect(runNs(c.pid!)! - t0).toBeGreaterThan(10_000_000);
    expect(seen).toBeGreaterThan(0);
  });

  it('skips processes that vanish while it samples, without throwing', async () => {
    const s = sampler();
    const seen = new Set<number>();
    const batches: Promise<unknown>[] = [];
    for (let round = 0; round < 15; round++) {
      // A burst of short-lived children, some of which exit while the sampler is reading /proc.
      for (let i = 0; i < 8; i++) {
        const c = spawn('/bin/sh', ['-c', 'exit 0'], { stdio: 'ignore' });
        batches.push(new Promise((resolve) => c.once('close', resolve)));
        if (c.pid) seen.add(c.pid);
      }
      const list = await s.sample(Date.now());
      for (const p of list) expect(p.pid).toBeGreaterThan(0);
    }
    await Promise.all(batches);
    const final = await s.sample(Date.now());
    expect(final.filter((p) => seen.has(p.pid) && p.ppid === process.pid)).toEqual([]);
    // Every kept fd belongs to a process still listed (its stat, io and schedstat files).
    expect(s.openFds).toBeLessThanOrEqual(3 * final.length);
  });
});
