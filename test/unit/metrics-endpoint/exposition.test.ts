// The exposition text of known snapshots, exactly; label escaping; the cap on process groups and
// the counters that stay monotonic while groups move in and out of it; promtool's verdict.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { MetricsAccumulator } from '../../../src/backend/metrics-endpoint/accumulate';
import { escapeLabelValue, renderExposition, type SelfFigures } from '../../../src/backend/metrics-endpoint/exposition';
import type { ProcessSample, Snapshot } from '../../../src/backend/types';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

function proc(pid: number, name: string, cpu: number, rssBytes: number): ProcessSample {
  return { pid, ppid: 1, startTime: T0 - 1000, name, command: name, user: 'u', state: 'S', cpu, rssBytes, threads: 1 };
}

function snapshot(t: number, processes: ProcessSample[], over: { mount?: string } = {}): Snapshot {
  return {
    t,
    system: {
      t,
      cpu: { total: 30, user: 20, system: 5, iowait: 2, idle: 70 },
      cores: [
        { total: 40, user: 30, system: 5, iowait: 4, idle: 60 },
        { total: 20, user: 10, system: 5, iowait: 0, idle: 80 },
      ],
      load: [0.5, 0.25, 0.125],
      mem: { totalBytes: 8_000_000_000, usedBytes: 3_000_000_000, availableBytes: 5_000_000_000, cachedBytes: 1_000_000_000 },
      swap: { totalBytes: 2_000_000_000, usedBytes: 1_000_000 },
      disk: { readBps: 1000, writeBps: 500 },
      net: { rxBps: 300, txBps: 100, interfaces: [{ name: 'eth0', rxBps: 300, txBps: 100 }] },
      filesystems: [{ mount: over.mount ?? '/', fstype: 'ext4', sizeBytes: 100_000, usedBytes: 40_000 }],
    },
    processes,
  };
}

const self: SelfFigures = { cpuSecondsTotal: 1.5, rssBytes: 90_000_000, databaseBytes: 4096, samplesDroppedTotal: 0, lastCheckpointAt: T0 };
const build = { version: '1.2.3', platform: 'linux' };

function render(acc: MetricsAccumulator, s: Snapshot): string {
  const groups = acc.add(s);
  return renderExposition({ snapshot: s, counters: acc.counters, groups, self, build });
}

const EXPECTED = `# HELP vitals_build_info Always 1; the labels say which Vitals and platform recorded.
# TYPE vitals_build_info gauge
vitals_build_info{version="1.2.3",platform="linux"} 1
# HELP vitals_snapshot_timestamp_seconds When the snapshot these values come from was taken (Unix time).
# TYPE vitals_snapshot_timestamp_seconds gauge
vitals_snapshot_timestamp_seconds 1767607202
# HELP vitals_cpu_seconds_total Seconds each CPU spent in each mode since the recorder started, summed from Vitals' /proc/stat samples (user includes nice, system includes irq and softirq, steal is the rest of the busy time).
# TYPE vitals_cpu_seconds_total counter
vitals_cpu_seconds_total{cpu="0",mode="user"} 0.6
vitals_cpu_seconds_total{cpu="0",mode="system"} 0.1
vitals_cpu_seconds_total{cpu="0",mode="iowait"} 0.08
vitals_cpu_seconds_total{cpu="0",mode="idle"} 1.2
vitals_cpu_seconds_total{cpu="0",mode="steal"} 0.02
vitals_cpu_seconds_total{cpu="1",mode="user"} 0.2
vitals_cpu_seconds_total{cpu="1",mode="system"} 0.1
vitals_cpu_seconds_total{cpu="1",mode="iowait"} 0
vitals_cpu_seconds_total{cpu="1",mode="idle"} 1.6
vitals_cpu_seconds_total{cpu="1",mode="steal"} 0.1
# HELP vitals_cpu_usage_ratio Share of all CPUs that was busy (not idle) over the last sampling interval, 0-1.
# TYPE vitals_cpu_usage_ratio gauge
vitals_cpu_usage_ratio 0.3
# HELP vitals_load1 1-minute load average.
# TYPE vitals_load1 gauge
vitals_load1 0.5
# HELP vitals_load5 5-minute load average.
# TYPE vitals_load5 gauge
vitals_load5 0.25
# HELP vitals_load15 15-minute load average.
# TYPE vitals_load15 gauge
vitals_load15 0.125
# HELP vitals_memory_total_bytes Physical memory (MemTotal).
# TYPE vitals_memory_total_bytes gauge
vitals_memory_total_bytes 8000000000
# HELP vitals_memory_available_bytes Memory available for new work without swapping (MemAvailable).
# TYPE vitals_memory_available_bytes gauge
vitals_memory_available_bytes 5000000000
# HELP vitals_memory_cached_bytes Buffers, page cache and reclaimable slab (what free calls buff/cache).
# TYPE vitals_memory_cached_bytes gauge
vitals_memory_cached_bytes 1000000000
# HELP vitals_swap_total_bytes Swap space.
# TYPE vitals_swap_total_bytes gauge
vitals_swap_total_bytes 2000000000
# HELP vitals_swap_used_bytes Swap space in use.
# TYPE vitals_swap_used_bytes gauge
vitals_swap_used_bytes 1000000
# HELP vitals_disk_read_bytes_total Bytes read from whole disks since the recorder started.
# TYPE vitals_disk_read_bytes_total counter
vitals_disk_read_bytes_total 2000
# HELP vitals_disk_written_bytes_total Bytes written to whole disks since the recorder started.
# TYPE vitals_disk_written_bytes_total counter
vitals_disk_written_bytes_total 1000
# HELP vitals_network_receive_bytes_total Bytes received per network device (loopback excluded) since the recorder started.
# TYPE vitals_network_receive_bytes_total counter
vitals_network_receive_bytes_total{device="eth0"} 600
# HELP vitals_network_transmit_bytes_total Bytes sent per network device (loopback excluded) since the recorder started.
# TYPE vitals_network_transmit_bytes_total counter
vitals_network_transmit_bytes_total{device="eth0"} 200
# HELP vitals_filesystem_size_bytes Size of each mounted filesystem.
# TYPE vitals_filesystem_size_bytes gauge
vitals_filesystem_size_bytes{mountpoint="/",fstype="ext4"} 100000
# HELP vitals_filesystem_free_bytes Free space of each mounted filesystem (including blocks reserved for root).
# TYPE vitals_filesystem_free_bytes gauge
vitals_filesystem_free_bytes{mountpoint="/",fstype="ext4"} 60000
# HELP vitals_process_group_cpu_seconds_total CPU seconds of the processes of each name group since the group was last among the top groups; "other" sums every process outside them.
# TYPE vitals_process_group_cpu_seconds_total counter
vitals_process_group_cpu_seconds_total{group="node"} 1.5
vitals_process_group_cpu_seconds_total{group="bash"} 0.02
vitals_process_group_cpu_seconds_total{group="other"} 0
# HELP vitals_process_group_resident_memory_bytes Resident memory summed over the processes of each name group (top groups by CPU and by memory, the rest in "other").
# TYPE vitals_process_group_resident_memory_bytes gauge
vitals_process_group_resident_memory_bytes{group="node"} 3000
vitals_process_group_resident_memory_bytes{group="bash"} 500
vitals_process_group_resident_memory_bytes{group="other"} 0
# HELP vitals_process_group_processes Processes in each name group.
# TYPE vitals_process_group_processes gauge
vitals_process_group_processes{group="node"} 2
vitals_process_group_processes{group="bash"} 1
vitals_process_group_processes{group="other"} 0
# HELP vitals_monitor_cpu_seconds_total CPU seconds used by the Vitals recorder: the whole process for the CLI, its sampling and recording work in a VS Code window.
# TYPE vitals_monitor_cpu_seconds_total counter
vitals_monitor_cpu_seconds_total 1.5
# HELP vitals_monitor_resident_memory_bytes Resident memory of the process the Vitals recorder runs in (in VS Code, the extension host).
# TYPE vitals_monitor_resident_memory_bytes gauge
vitals_monitor_resident_memory_bytes 90000000
# HELP vitals_monitor_database_bytes Size of the history database file and its journal on disk.
# TYPE vitals_monitor_database_bytes gauge
vitals_monitor_database_bytes 4096
# HELP vitals_monitor_samples_dropped_total Samples dropped from the write queue while the disk refused writes (they reach the file with the next checkpoint).
# TYPE vitals_monitor_samples_dropped_total counter
vitals_monitor_samples_dropped_total 0
# HELP vitals_monitor_last_checkpoint_timestamp_seconds When the database file was last rewritten completely (Unix time).
# TYPE vitals_monitor_last_checkpoint_timestamp_seconds gauge
vitals_monitor_last_checkpoint_timestamp_seconds 1767607200
`;

const promtool = spawnSync('promtool', ['--version']).status === 0;

function promtoolCheck(text: string): { status: number | null; output: string } {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('exposition', () => {
  it('renders a known pair of snapshots exactly: counters over the 2 s between them, gauges of the last', () => {
    const acc = new MetricsAccumulator(10);
    const procs = [proc(10, 'node', 50, 1000), proc(11, 'node', 25, 2000), proc(12, 'bash', 1, 500)];
    // The first snapshot has no interval before it: it adds nothing to the counters.
    render(acc, snapshot(T0, procs));
    expect(render(acc, snapshot(T0 + 2000, procs))).toBe(EXPECTED);
  });

  it('escapes backslashes, quotes and line feeds in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const acc = new MetricsAccumulator(10);
    const text = render(acc, snapshot(T0, [proc(1, 'we"ird\\na\nme', 1, 1)], { mount: '/mnt/"x"\n' }));
    expect(text).toContain('vitals_process_group_processes{group="we\\"ird\\\\na\\nme"} 1\n');
    expect(text).toContain('vitals_filesystem_size_bytes{mountpoint="/mnt/\\"x\\"\\n",fstype="ext4"} 100000\n');
    if (promtool) expect(promtoolCheck(text)).toEqual({ status: 0, output: '' });
  });

  it('keeps the top N groups by CPU and by memory and sums the rest into "other"', () => {
    const acc = new MetricsAccumulator(2);
    const procs = [
      proc(1, 'cpu-a', 90, 10),
      proc(2, 'cpu-b', 80, 10),
      proc(3, 'mem-a', 0, 9000),
      proc(4, 'mem-b', 0, 8000),
      proc(5, 'quiet', 5, 100),
      proc(6, 'quiet', 5, 100),
      proc(7, 'other', 1, 1),
    ];
    acc.add(snapshot(T0, procs));
    const groups = acc.add(snapshot(T0 + 1000, procs));
    expect(groups.map((g) => g.name)).toEqual(['cpu-a', 'cpu-b', 'mem-a', 'mem-b', 'other']);
    // "quiet" ×2 and the process really named "other" are in the `other` group.
    expect(groups.at(-1)).toEqual({ name: 'other', cpuSecondsTotal: 0.11, rssBytes: 201, processes: 3 });
  });

  it('keeps every group counter monotonic while groups move in and out of the cap', () => {
    const acc = new MetricsAccumulator(1);
    const seen = new Map<string, number>();
    let t = T0;
    for (let i = 0; i < 20; i++) {
      // Two groups take turns being the busiest.
      const [a, b] = i % 2 === 0 ? [60, 10] : [10, 60];
      const groups = acc.add(snapshot((t += 1000), [proc(1, 'a', a, a), proc(2, 'b', b, b)]));
      expect(groups.length).toBe(2);
      const other = groups.find((g) => g.name === 'other')!;
      expect(other.cpuSecondsTotal).toBeGreaterThanOrEqual(seen.get('other') ?? 0);
      seen.set('other', other.cpuSecondsTotal);
    }
    // The quieter group's 0.1 s of each of the 19 intervals went to other, never counted twice.
    expect(seen.get('other')).toBeCloseTo(19 * 0.1, 6);
  });

  it.skipIf(!promtool)('passes promtool check metrics with nothing to say', () => {
    const acc = new MetricsAccumulator(10);
    const procs = [proc(10, 'node', 50, 1000), proc(12, 'bash', 1, 500)];
    render(acc, snapshot(T0, procs));
    expect(promtoolCheck(render(acc, snapshot(T0 + 2000, procs)))).toEqual({ status: 0, output: '' });
  });
});
