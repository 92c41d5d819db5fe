import { describe, expect, it } from 'vitest';
import type { BackendStatus } from '../../../src/backend/protocol';
import type { Snapshot, StaticInfo } from '../../../src/backend/types';
import { machineRows, recorderRows } from '../../../src/extension/system/model';

const GB = 1024 ** 3;
const snap: Snapshot = {
  t: 0,
  processes: [],
  system: {
    t: 0,
    cpu: { total: 23.4, user: 15, system: 8, iowait: 0.4, idle: 76.6 },
    cores: [
      { total: 10, user: 5, system: 5, iowait: 0, idle: 90 },
      { total: 36.8, user: 25, system: 11, iowait: 0.8, idle: 63.2 },
    ],
    load: [0.52, 0.61, 0.7],
    mem: { totalBytes: 16 * GB, usedBytes: 4 * GB, availableBytes: 12 * GB, cachedBytes: 2 * GB },
    swap: { totalBytes: 0, usedBytes: 0 },
    disk: { readBps: 1024 * 1024, writeBps: 0 },
    net: { rxBps: 2048, txBps: 1024, interfaces: [{ name: 'eth0', rxBps: 2048, txBps: 1024 }] },
    filesystems: [
      { mount: '/', fstype: 'ext4', sizeBytes: 100 * GB, usedBytes: 95 * GB },
      { mount: '/home', fstype: 'ext4', sizeBytes: 100 * GB, usedBytes: 10 * GB },
    ],
  },
};
const info: StaticInfo = { hostname: 'box', platform: 'linux', os: 'Debian 12', cpuModel: 'Xeon', cpuCount: 2, totalMemBytes: 16 * GB };
const status: BackendStatus = {
  role: 'recorder',
  recording: true,
  databasePath: '/db/vitals.sqlite',
  lastFlushAt: 58_000,
  databaseSizeBytes: 3 * 1024 * 1024,
};

describe('machineRows', () => {
  const rows = machineRows(snap, info);
  const row = (id: string) => rows.find((r) => r.id === id)!;

  it('names the host and shows CPU with a row per core', () => {
    expect(row('host').description).toBe('box');
    expect(row('cpu').description).toBe('23%');
    expect(row('cpu').children!.map((c) => [c.id, c.description])).toEqual([
      ['cpu/core/0', '10%'],
      ['cpu/core/1', '37%'],
    ]);
  });

  it('shows pressure, steal and tasks where the sample has them, nothing where not', () => {
    expect(row('pressure')).toBeUndefined();
    expect(row('cpu').children!.some((c) => c.id === 'cpu/steal' || c.id === 'cpu/tasks')).toBe(false);
    const deeper: Snapshot = {
      ...snap,
      system: {
        ...snap.system,
        cpu: { ...snap.system.cpu, steal: 3.2 },
        pressure: { cpu: { some: 12.5, full: 0 }, memory: { some: 0.25, full: 0.1 }, io: { some: 4, full: 2.5 } },
        tasks: { running: 3, blocked: 1 },
      },
    };
    const r = machineRows(deeper, info);
    const pressure = r.find((x) => x.id === 'pressure')!;
    expect(pressure.description).toBe('CPU 12.5% · Memory 0.3% · I/O 4.0%');
    expect(pressure.children!.map((c) => [c.id, c.description])).toEqual([
      ['pressure/cpu', 'some 12.5% · full 0.0%'],
      ['pressure/memory', 'some 0.3% · full 0.1%'],
      ['pressure/io', 'some 4.0% · full 2.5%'],
    ]);
    const cpu = r.find((x) => x.id === 'cpu')!.children!;
    expect(cpu.find((c) => c.id === 'cpu/steal')!.description).toBe('3%');
    expect(cpu.find((c) => c.id === 'cpu/tasks')!.description).toBe('3 running · 1 blocked');
  });

  it('shows memory, swap, load, disk and network right now', () => {
    expect(row('memory').description).toBe('4.0 GB of 16.0 GB (25%)');
    expect(row('swap').description).toBe('none');
    expect(row('load').description).toBe('0.52  0.61  0.70');
    expect(row('disk').description).toBe('read 1.0 MB/s · write 0 B/s');
    expect(row('network').description).toBe('↓ 2.0 KB/s · ↑ 1.0 KB/s');
    expect(row('network').children![0]!.id).toBe('network/eth0');
  });

  it('flags nearly full file systems', () => {
    const fs = row('filesystems').children!;
    expect(fs.map((f) => f.id)).toEqual(['fs//', 'fs//home']);
    expect(fs[0]!.iconColor).toBe('list.warningForeground');
    expect(fs[1]!.iconColor).toBeUndefined();
  });

  it('has unique ids, so expansion survives refreshes', () => {
    const ids: string[] = [];
    const walk = (rs: typeof rows) => rs.forEach((r) => (ids.push(r.id), walk(r.children ?? [])));
    walk([...rows, ...recorderRows(status, 60_000, 'x')]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('recorderRows', () => {
  it('shows recording, database size, last flush and a Storage Health link', () => {
    const [r] = recorderRows(status, 60_000, 'vitals.showStorageHealth');
    expect(r!.label).toBe('Recording');
    expect(r!.children!.map((c) => [c.label, c.description ?? ''])).toEqual([
      ['Database size', '3.0 MB'],
      ['Last flush', '2 s ago'],
      ['Show Storage Health…', ''],
    ]);
    expect(r!.children!.at(-1)!.command).toBe('vitals.showStorageHealth');
  });

  it('says when paused, when another window records, and why recording is impossible', () => {
    expect(recorderRows({ ...status, recording: false }, 0, 'x')[0]!.label).toBe('Paused');
    const viewer = recorderRows({ ...status, role: 'viewer', recorder: { pid: 77, host: 'box' } }, 0, 'x')[0]!;
    expect(viewer.label).toBe('Viewing — recorded by another window');
    expect(viewer.children![0]!.description).toBe('pid 77 on box');
    const stopped = recorderRows(
      { ...status, role: 'stopped', recording: false, problem: 'The database was written by a newer Vitals.', lastFlushAt: null },
      0,
      'x',
    )[0]!;
    expect(stopped.label).toBe('Not recording');
    expect(stopped.children![0]!.label).toBe('The database was written by a newer Vitals.');
    expect(stopped.children!.find((c) => c.label === 'Last flush')!.description).toBe('not yet');
    expect(recorderRows({ ...status, databaseSizeBytes: 0 }, 0, 'x')[0]!.children!.find((c) => c.id === 'recorder/size')!.description).toBe(
      'not written yet',
    );
  });
});

describe('machineRows: container limits, sensors, GPUs', () => {
  const limited: Snapshot = {
    ...snap,
    system: {
      ...snap.system,
      cgroup: { version: 2, memoryLimitBytes: 2 * GB, memoryUsedBytes: GB, cpuLimitCores: 1.5, cpuUsedCores: 0.75 },
      sensors: {
        t: 0,
        temperatures: [
          { key: 'coretemp/Package id 0', label: 'coretemp Package id 0', celsius: 92.4, criticalCelsius: 100 },
          { key: 'nvme/Composite', label: 'nvme Composite', celsius: 38.85 },
        ],
        batteries: [{ name: 'BAT0', percent: 76, status: 'Discharging', watts: 8.73 }],
      },
      gpus: [{ index: 0, name: 'NVIDIA GB10', utilization: 12, memoryUsedBytes: null, memoryTotalBytes: null, celsius: 41 }],
    },
  };
  const rows = machineRows(limited, info);
  const row = (id: string) => rows.find((r) => r.id === id)!;

  it('says which percentages are of the container limit and which of the host', () => {
    expect(row('memory').description).toBe('1.0 GB of container limit 2.0 GB (50%)');
    expect(row('memory').children![0]).toMatchObject({ id: 'memory/host', description: '4.0 GB of host 16.0 GB (25%)' });
    expect(row('cpu').description).toBe('50% of container limit 1.5 cores');
    expect(row('cpu').children![0]).toMatchObject({ id: 'cpu/host', description: '23% of host 2 cores' });
    expect(row('cpu').children![1]!.id).toBe('cpu/core/0');
  });

  it('temperatures (hottest first, warned near critical), battery and GPU rows where present', () => {
    expect(row('temperatures').description).toBe('92 °C hottest (coretemp Package id 0)');
    expect(row('temperatures').iconColor).toBe('list.warningForeground');
    expect(row('temperatures').children!.map((c) => c.description)).toEqual(['92 °C', '39 °C']);
    expect(row('battery/BAT0').description).toBe('76% · discharging · 8.7 W');
    expect(row('gpu/0').description).toBe('12% busy · memory unknown · 41 °C');
    expect(row('gpu/0').tooltip).toContain('NVIDIA GB10');
  });

  it('none of these rows on a machine without them', () => {
    const plain = machineRows(snap, info);
    expect(plain.map((r) => r.id)).not.toEqual(expect.arrayContaining(['temperatures']));
    expect(plain.some((r) => r.id.startsWith('gpu/') || r.id.startsWith('battery/') || r.id === 'temperatures')).toBe(false);
    expect(plain.find((r) => r.id === 'memory')!.description).toBe('4.0 GB of 16.0 GB (25%)');
  });
});
