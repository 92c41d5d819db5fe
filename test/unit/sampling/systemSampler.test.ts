// The procfs system sampler against the real /proc, checked against what /proc and Node say.

import { existsSync, readFileSync, statfsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { selectMounts } from '../../../src/backend/sampling/linux/filesystems';
import { LinuxSystemSampler } from '../../../src/backend/sampling/linux/systemSampler';
import { flattenSystem } from '../../../src/backend/metrics';
import type { CpuShare } from '../../../src/backend/types';

const samplers: LinuxSystemSampler[] = [];
afterEach(() => {
  for (const s of samplers.splice(0)) s.dispose();
});
function sampler(): LinuxSystemSampler {
  const s = new LinuxSystemSampler();
  samplers.push(s);
  return s;
}

function meminfoKb(key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'));
  return Number(m![1]);
}

function expectShare(c: CpuShare): void {
  for (const v of [c.total, c.user, c.system, c.iowait, c.idle]) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(100);
  }
  expect(c.total + c.idle).toBeCloseTo(100, 1);
  expect(c.user + c.system + c.iowait).toBeLessThanOrEqual(c.total + 0.05);
}

describe('LinuxSystemSampler on the real /proc', () => {
  it('reports sane CPU, memory, swap and load values consistent with /proc', async () => {
    const s = sampler();
    const first = await s.sample(1_000);
    // The first sample's shares are averages since boot.
    expectShare(first.cpu);
    expect(first.cores.length).toBe(cpus().length);
    await new Promise((r) => setTimeout(r, 300));
    const x = await s.sample(1_300);
    expect(x.t).toBe(1_300);
    expectShare(x.cpu);
    x.cores.forEach(expectShare);
    expect(x.cores.length).toBe(cpus().length);

    expect(x.mem.totalBytes).toBe(meminfoKb('MemTotal') * 1024);
    expect(x.mem.usedBytes + x.mem.availableBytes).toBe(x.mem.totalBytes);
    expect(x.mem.availableBytes).toBeGreaterThan(0);
    expect(x.mem.cachedBytes).toBeGreaterThanOrEqual(meminfoKb('Cached') * 1024 * 0.5);
    expect(x.swap.totalBytes).toBe(meminfoKb('SwapTotal') * 1024);
    expect(x.swap.usedBytes).toBeGreaterThanOrEqual(0);
    expect(x.swap.usedBytes).toBeLessThanOrEqual(x.swap.totalBytes);

    const os = loadavg();
    x.load.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(Math.abs(v - os[i]!)).toBeLessThan(2);
    });
  });

  it('reports rates of 0 at first and >= 0 afterwards, and no loopback interface', async () => {
    const s = sampler();
    const first = await s.sample(10_000);
    expect(first.disk).toEqual({ readBps: 0, writeBps: 0 });
    expect(first.net.rxBps).toBe(0);
    expect(first.net.txBps).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    const second = await s.sample(10_200);
    for (const v of [second.disk.readBps, second.disk.writeBps, second.net.rxBps, second.net.txBps]) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    expect(second.net.interfaces.map((i) => i.name)).not.toContain('lo');
    const devNames = readFileSync('/proc/net/dev', 'utf8')
      .split('\n')
      .slice(2)
      .map((l) => l.split(':')[0]!.trim())
      .filter((n) => n !== '' && n !== 'lo');
    expect(second.net.interfaces.map((i) => i.name).sort()).toEqual(devNames.sort());
    expect(second.net.rxBps).toBe(second.net.interfaces.reduce((a, i) => a + i.rxBps, 0));
  });

  it('lists the root filesystem with used <= size, and only real filesystems', async () => {
    const x = await sampler().sample(1_000);
    const root = x.filesystems.find((f) => f.mount === '/');
    expect(root).toBeDefined();
    expect(root!.usedBytes).toBeGreaterThan(0);
    expect(root!.usedBytes).toBeLessThanOrEqual(root!.sizeBytes);
    const st = statfsSync('/');
    expect(root!.sizeBytes).toBe(st.blocks * st.bsize);
    for (const f of x.filesystems) expect(['tmpfs', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devtmpfs', 'devpts']).not.toContain(f.fstype);
    expect(new Set(x.filesystems.map((f) => f.mount)).size).toBe(x.filesystems.length);
  });

  it('reuses the filesystem list between refreshes', async () => {
    const s = sampler();
    const a = await s.sample(1_000);
    const b = await s.sample(3_000);
    expect(b.filesystems).toBe(a.filesystems);
    const c = await s.sample(40_000);
    expect(c.filesystems).not.toBe(a.filesystems);
  });

  it('counts disk traffic of whole disks only', async () => {
    const { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync, fsyncSync, openSync, closeSync } = await import('node:fs');
    const wholeDisks = readdirSync('/sys/block').filter((n) => !readlinkSync(`/sys/block/${n}`).includes('/virtual/'));
    const TMPFS_MAGIC = 0x01021994;
    // Nothing to measure without a real disk under /var/tmp (e.g. a container with tmpfs there).
    if (wholeDisks.length === 0 || statfsSync('/var/tmp').type === TMPFS_MAGIC) return;
    const s = sampler();
    await s.sample(1_000);
    // Write and sync 8 MB so the disk's write counter moves.
    const dir = mkdtempSync('/var/tmp/vitals-disk-');
    try {
      const fd = openSync(`${dir}/f`, 'w');
      writeFileSync(fd, Buffer.alloc(8 << 20, 1));
      fsyncSync(fd);
      closeSync(fd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const x = await s.sample(2_000);
    // Over one (fake) second: at least the 8 MB written.
    expect(x.disk.writeBps).toBeGreaterThanOrEqual(8 << 20);
  });
});

describe.runIf(existsSync('/proc/pressure/io'))('pressure and tasks on the real /proc', () => {
  it('reads PSI some/full avg10 of cpu, memory and io, and runnable / blocked tasks', async () => {
    const s = sampler();
    const x = await s.sample(Date.now());
    expect(x.pressure).toBeDefined();
    for (const res of ['cpu', 'memory', 'io'] as const) {
      const p = x.pressure![res];
      expect(p.some).toBeGreaterThanOrEqual(0);
      expect(p.some).toBeLessThanOrEqual(100);
      // `full` is never above `some`: all tasks stalled is a part of some stalled. (Both are read
      // from one file, one read: no race between them.)
      if (p.full !== undefined) expect(p.full).toBeLessThanOrEqual(p.some);
    }
    // This test is running: at least one task is runnable.
    expect(x.tasks!.running).toBeGreaterThanOrEqual(1);
    expect(x.tasks!.blocked).toBeGreaterThanOrEqual(0);
    expect(x.cpu.steal).toBeGreaterThanOrEqual(0);
    expect([...flattenSystem(x).keys()]).toEqual(
      expect.arrayContaining([
        'psi.cpu.some',
        'psi.memory.full',
        'psi.io.some',
        'psi.io.full',
        'tasks.running',
        'tasks.blocked',
        'cpu.steal',
      ]),
    );
  });
});

describe('LinuxSystemSampler on a fake /proc and /sys', () => {
  it('computes exact shares and rates, counting whole disks only and skipping loopback', async () => {
    const { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const root = mkdtempSync(`${tmpdir()}/vitals-fakesys-`);
    try {
      const proc = `${root}/proc`;
      const sys = `${root}/sys`;
      mkdirSync(`${proc}/net`, { recursive: true });
      mkdirSync(`${proc}/self`, { recursive: true });
      mkdirSync(`${sys}/block`, { recursive: true });
      mkdirSync(`${proc}/pressure`, { recursive: true });
      // Linux 5.13+ layout; cpu's full line is absent on older kernels (see the second fake below).
      writeFileSync(
        `${proc}/pressure/cpu`,
        'some avg10=12.50 avg60=3.00 avg300=1.00 total=123\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
      );
      writeFileSync(`${proc}/pressure/memory`, 'some avg10=1.25 avg60=0 avg300=0 total=1\nfull avg10=0.50 avg60=0 avg300=0 total=1\n');
      writeFileSync(`${proc}/pressure/io`, 'some avg10=40.00 avg60=0 avg300=0 total=1\nfull avg10=30.10 avg60=0 avg300=0 total=1\n');
      symlinkSync('../devices/pci0000:00/0000:00:01.0/block/sda', `${sys}/block/sda`);
      symlinkSync('../devices/virtual/block/loop0', `${sys}/block/loop0`);
      symlinkSync('../devices/virtual/block/zram0', `${sys}/block/zram0`);
      symlinkSync('../devices/virtual/block/dm-0', `${sys}/block/dm-0`);
      writeFileSync(`${proc}/loadavg`, '0.50 0.25 0.10 1/100 1234\n');
      writeFileSync(
        `${proc}/meminfo`,
        'MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 400 kB\nBuffers: 10 kB\nCached: 200 kB\nSReclaimable: 5 kB\nSwapTotal: 50 kB\nSwapFree: 20 kB\n',
      );
      writeFileSync(`${proc}/self/mounts`, '');
      const write = (cpu: number[], core: number[], sectors: number, rx: number): void => {
        writeFileSync(
          `${proc}/stat`,
          `cpu  ${cpu.join(' ')} 0 0\ncpu0 ${core.join(' ')} 0 0\nintr 1 2 3\nbtime 1700000000\nprocesses 99\nprocs_running 3\nprocs_blocked 2\n`,
        );
        const disk = (name: string, r: number, w: number): string => `   8       0 ${name} 1 0 ${r} 0 1 0 ${w} 0 0 0 0 0 0 0 0 0 0`;
        writeFileSync(
          `${proc}/diskstats`,
          [
            disk('sda', sectors, sectors * 2),
            disk('sda1', sectors, sectors * 2),
            disk('loop0', 999 * sectors, 0),
            disk('zram0', 0, 7 * sectors),
            disk('dm-0', sectors, sectors),
          ].join('\n') + '\n',
        );
        writeFileSync(
          `${proc}/net/dev`,
          `Inter-|   Receive |  Transmit\n face |bytes packets errs drop fifo frame compressed multicast|bytes packets\n    lo: ${rx * 9} 0 0 0 0 0 0 0 ${rx * 9} 0 0 0 0 0 0 0\n  eth0: ${rx} 0 0 0 0 0 0 0 ${rx / 2} 0 0 0 0 0 0 0\n`,
        );
      };
      //           user nice system idle iowait irq softirq steal
      write([100, 0, 50, 800, 50, 0, 0, 0], [100, 0, 50, 800, 50, 0, 0, 0], 1000, 10_000);
      const s = new LinuxSystemSampler({ procRoot: proc, sysRoot: sys });
      samplers.push(s);
      const a = await s.sample(5_000);
      expect(a.cpu).toEqual({ total: 20, user: 10, system: 5, iowait: 5, steal: 0, idle: 80 });
      expect(a.tasks).toEqual({ running: 3, blocked: 2 });
      expect(a.pressure).toEqual({ cpu: { some: 12.5, full: 0 }, memory: { some: 1.25, full: 0.5 }, io: { some: 40, full: 30.1 } });
      const flat = flattenSystem(a);
      expect([flat.get('psi.io.full'), flat.get('psi.cpu.some'), flat.get('tasks.blocked'), flat.get('cpu.steal')]).toEqual([
        30.1, 12.5, 2, 0,
      ]);
      expect(a.load).toEqual([0.5, 0.25, 0.1]);
      expect(a.mem).toEqual({ totalBytes: 1000 * 1024, usedBytes: 600 * 1024, availableBytes: 400 * 1024, cachedBytes: 215 * 1024 });
      expect(a.swap).toEqual({ totalBytes: 50 * 1024, usedBytes: 30 * 1024 });
      // Over 2 s: 100 more ticks of which 60 user (+ 10 nice), 10 irq, 20 idle; 4000 more sectors read.
      write([160, 10, 50, 820, 50, 10, 0, 0], [160, 10, 50, 820, 50, 10, 0, 0], 5000, 30_000);
      const b = await s.sample(7_000);
      expect(b.cpu).toEqual({ total: 80, user: 70, system: 10, iowait: 0, steal: 0, idle: 20 });
      expect(b.cores).toEqual([b.cpu]);
      expect(b.disk).toEqual({ readBps: (4000 * 512) / 2, writeBps: (8000 * 512) / 2 });
      expect(b.net).toEqual({ rxBps: 10_000, txBps: 5_000, interfaces: [{ name: 'eth0', rxBps: 10_000, txBps: 5_000 }] });
      // A VM whose hypervisor gave its time to someone else: 50 ticks of steal, nothing else.
      write([160, 10, 50, 820, 50, 10, 0, 50], [160, 10, 50, 820, 50, 10, 0, 50], 5000, 30_000);
      expect((await s.sample(9_000)).cpu).toEqual({ total: 100, user: 0, system: 0, iowait: 0, steal: 100, idle: 0 });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('selectMounts', () => {
  it('keeps real filesystems and the root, one mount per device, decoding escapes', () => {
    const mounts = [
      'overlay / overlay rw,relatime 0 0',
      'proc /proc proc rw 0 0',
      'tmpfs /dev/shm tmpfs rw 0 0',
      '/dev/sda1 /home ext4 rw 0 0',
      '/dev/sda1 /home/alice/bind ext4 rw 0 0',
      '/dev/sdb1 /mnt/my\\040disk vfat rw 0 0',
      'server:/export /mnt/nfs nfs4 rw 0 0',
      '/dev/nvme0n1p2 /data btrfs rw,subvol=/data 0 0',
      '/dev/nvme0n1p2 /data/snap btrfs rw,subvol=/snap 0 0',
      'cgroup2 /sys/fs/cgroup cgroup2 rw 0 0',
    ].join('\n');
    expect(selectMounts(mounts)).toEqual([
      { device: 'overlay', mount: '/', fstype: 'overlay' },
      { device: '/dev/nvme0n1p2', mount: '/data', fstype: 'btrfs' },
      { device: '/dev/sda1', mount: '/home', fstype: 'ext4' },
      { device: '/dev/sdb1', mount: '/mnt/my disk', fstype: 'vfat' },
    ]);
  });

  it('lets a later mount on the same path hide an earlier one', () => {
    expect(selectMounts('rootfs / rootfs rw 0 0\n/dev/vda / ext4 rw 0 0\n/dev/vdb /srv xfs rw 0 0\ntmpfs /srv tmpfs rw 0 0\n')).toEqual([
      { device: '/dev/vda', mount: '/', fstype: 'ext4' },
    ]);
  });
});
