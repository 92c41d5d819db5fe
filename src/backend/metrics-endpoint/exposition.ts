// The Prometheus text exposition (format 0.0.4, which Prometheus, VictoriaMetrics, Grafana Agent and
// the OpenTelemetry Collector all scrape, and node_exporter's textfile collector reads) of one
// snapshot. Pure: the same input gives the same text, so it is rendered once per snapshot and every
// scrape serves that string.
//
// Names follow node_exporter's shapes with a `vitals_` prefix, base units (bytes, seconds), `_total`
// on counters, ratios 0–1. Processes appear only as groups by name (a pid label would make the series
// count unbounded).
import type { Snapshot } from '../types';
import { CPU_MODES, type Counters, type GroupRow } from './accumulate';

/** The monitor's own figures at the moment of the snapshot. */
export interface SelfFigures {
  cpuSecondsTotal: number;
  rssBytes: number;
  databaseBytes: number;
  samplesDroppedTotal: number;
  /** ms since epoch; null before the first checkpoint. */
  lastCheckpointAt: number | null;
}

export interface BuildInfo {
  version: string;
  platform: string;
}

export interface ExpositionInput {
  snapshot: Snapshot;
  counters: Counters;
  groups: GroupRow[];
  self: SelfFigures;
  build: BuildInfo;
}

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

type Labels = Record<string, string>;
type Sample = [Labels, number];

/** Label values: backslash, double quote and line feed are escaped, as the format requires. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text: backslash and line feed escaped. */
function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/**
 * A sample value as the format spells it. Machine text, not something a person reads, so not
 * src/shared/format.ts: integers exactly, the rest to 6 decimals in JavaScript's shortest form.
 */
function value(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  // Microseconds and bytes are as fine as anything here is measured; the rest is float noise.
  // (Past 1e9 the scaling itself would lose precision, and there are no noisy decimals to hide.)
  return Number.isInteger(v) || Math.abs(v) >= 1e9 ? String(v) : String(Math.round(v * 1e6) / 1e6);
}

class Writer {
  private readonly parts: string[] = [];

  family(name: string, type: 'counter' | 'gauge', help: string, samples: Sample[]): void {
    this.parts.push(`# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`);
    for (const [labels, v] of samples) {
      const keys = Object.keys(labels);
      const l = keys.length === 0 ? '' : `{${keys.map((k) => `${k}="${escapeLabelValue(labels[k]!)}"`).join(',')}}`;
      this.parts.push(`${name}${l} ${value(v)}\n`);
    }
  }

  text(): string {
    return this.parts.join('');
  }
}

const none: Labels = {};

export function renderExposition(input: ExpositionInput): string {
  const { snapshot, counters, groups, self, build } = input;
  const s = snapshot.system;
  const w = new Writer();
  w.family('vitals_build_info', 'gauge', 'Always 1; the labels say which Vitals and platform recorded.', [
    [{ version: build.version, platform: build.platform }, 1],
  ]);
  w.family('vitals_snapshot_timestamp_seconds', 'gauge', 'When the snapshot these values come from was taken (Unix time).', [
    [none, snapshot.t / 1000],
  ]);

  const cpu: Sample[] = [];
  for (const [id, totals] of counters.cpuSeconds) CPU_MODES.forEach((mode, m) => cpu.push([{ cpu: id, mode }, totals[m]!]));
  w.family(
    'vitals_cpu_seconds_total',
    'counter',
    "Seconds each CPU spent in each mode since the recorder started, summed from Vitals' /proc/stat samples (user includes nice, system includes irq and softirq, steal is the rest of the busy time).",
    cpu,
  );
  w.family('vitals_cpu_usage_ratio', 'gauge', 'Share of all CPUs that was busy (not idle) over the last sampling interval, 0-1.', [
    [none, s.cpu.total / 100],
  ]);
  w.family('vitals_load1', 'gauge', '1-minute load average.', [[none, s.load[0]]]);
  w.family('vitals_load5', 'gauge', '5-minute load average.', [[none, s.load[1]]]);
  w.family('vitals_load15', 'gauge', '15-minute load average.', [[none, s.load[2]]]);
  w.family('vitals_memory_total_bytes', 'gauge', 'Physical memory (MemTotal).', [[none, s.mem.totalBytes]]);
  w.family('vitals_memory_available_bytes', 'gauge', 'Memory available for new work without swapping (MemAvailable).', [
    [none, s.mem.availableBytes],
  ]);
  w.family('vitals_memory_cached_bytes', 'gauge', 'Buffers, page cache and reclaimable slab (what free calls buff/cache).', [
    [none, s.mem.cachedBytes],
  ]);
  w.family('vitals_swap_total_bytes', 'gauge', 'Swap space.', [[none, s.swap.totalBytes]]);
  w.family('vitals_swap_used_bytes', 'gauge', 'Swap space in use.', [[none, s.swap.usedBytes]]);
  w.family('vitals_disk_read_bytes_total', 'counter', 'Bytes read from whole disks since the recorder started.', [
    [none, Math.round(counters.diskReadBytes)],
  ]);
  w.family('vitals_disk_written_bytes_total', 'counter', 'Bytes written to whole disks since the recorder started.', [
    [none, Math.round(counters.diskWrittenBytes)],
  ]);
  const rx: Sample[] = [];
  const tx: Sample[] = [];
  for (const [device, [r, t]] of counters.network) {
    rx.push([{ device }, Math.round(r)]);
    tx.push([{ device }, Math.round(t)]);
  }
  w.family(
    'vitals_network_receive_bytes_total',
    'counter',
    'Bytes received per network device (loopback excluded) since the recorder started.',
    rx,
  );
  w.family(
    'vitals_network_transmit_bytes_total',
    'counter',
    'Bytes sent per network device (loopback excluded) since the recorder started.',
    tx,
  );
  const fsLabels = (f: Snapshot['system']['filesystems'][number]): Labels => ({ mountpoint: f.mount, fstype: f.fstype });
  w.family(
    'vitals_filesystem_size_bytes',
    'gauge',
    'Size of each mounted filesystem.',
    s.filesystems.map((f) => [fsLabels(f), f.sizeBytes]),
  );
  w.family(
    'vitals_filesystem_free_bytes',
    'gauge',
    'Free space of each mounted filesystem (including blocks reserved for root).',
    s.filesystems.map((f) => [fsLabels(f), Math.max(0, f.sizeBytes - f.usedBytes)]),
  );

  w.family(
    'vitals_process_group_cpu_seconds_total',
    'counter',
    'CPU seconds of the processes of each name group since the group was last among the top groups; "other" sums every process outside them.',
    groups.map((g) => [{ group: g.name }, g.cpuSecondsTotal]),
  );
  w.family(
    'vitals_process_group_resident_memory_bytes',
    'gauge',
    'Resident memory summed over the processes of each name group (top groups by CPU and by memory, the rest in "other").',
    groups.map((g) => [{ group: g.name }, g.rssBytes]),
  );
  w.family(
    'vitals_process_group_processes',
    'gauge',
    'Processes in each name group.',
    groups.map((g) => [{ group: g.name }, g.processes]),
  );

  w.family(
    'vitals_monitor_cpu_seconds_total',
    'counter',
    'CPU seconds used by the Vitals recorder: the whole process for the CLI, its sampling and recording work in a VS Code window.',
    [[none, self.cpuSecondsTotal]],
  );
  w.family(
    'vitals_monitor_resident_memory_bytes',
    'gauge',
    'Resident memory of the process the Vitals recorder runs in (in VS Code, the extension host).',
    [[none, self.rssBytes]],
  );
  w.family('vitals_monitor_database_bytes', 'gauge', 'Size of the history database file and its journal on disk.', [
    [none, self.databaseBytes],
  ]);
  w.family(
    'vitals_monitor_samples_dropped_total',
    'counter',
    'Samples dropped from the write queue while the disk refused writes (they reach the file with the next checkpoint).',
    [[none, self.samplesDroppedTotal]],
  );
  if (self.lastCheckpointAt !== null)
    w.family(
      'vitals_monitor_last_checkpoint_timestamp_seconds',
      'gauge',
      'When the database file was last rewritten completely (Unix time).',
      [[none, self.lastCheckpointAt / 1000]],
    );
  return w.text();
}
