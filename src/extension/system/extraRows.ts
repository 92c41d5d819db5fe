// The System view's rows for what only some machines have: the limits of the container Vitals runs
// in (shown beside the host's totals, each percentage saying what it is of), temperatures, batteries
// and NVIDIA GPUs. Pure, like model.ts; no rows at all where there is nothing to show.

import type { CgroupLimits, GpuSample, SensorReadings, SystemSample } from '../../backend';
import { formatBytes, formatCelsius, formatWatts, formatWholePercent, MISSING, percentOf } from '../../shared/format';
import type { SystemRow } from './model';

const cores = (n: number): string => `${Number.isInteger(n) ? n : n.toFixed(2).replace(/0+$/, '')} ${n === 1 ? 'core' : 'cores'}`;

/** The memory row's description and host child when the cgroup limits memory; undefined otherwise. */
export function memoryAgainstLimit(sys: SystemSample): { description: string; tooltip: string; host: SystemRow } | undefined {
  const limit = sys.cgroup?.memoryLimitBytes;
  if (limit === null || limit === undefined) return undefined;
  const used = sys.cgroup!.memoryUsedBytes;
  return {
    description:
      used === null
        ? `container limit ${formatBytes(limit)}`
        : `${formatBytes(used)} of container limit ${formatBytes(limit)} (${formatWholePercent(percentOf(used, limit))})`,
    tooltip: `What the container (the cgroup Vitals runs in) uses, of its memory limit (${cgroupFile(sys.cgroup!, 'memory')}). The host's memory is the row below.`,
    host: {
      id: 'memory/host',
      label: 'Host',
      description: `${formatBytes(sys.mem.usedBytes)} of host ${formatBytes(sys.mem.totalBytes)} (${formatWholePercent(percentOf(sys.mem.usedBytes, sys.mem.totalBytes))})`,
      tooltip: 'The whole machine, as /proc/meminfo reports it inside the container too.',
      icon: 'vm',
    },
  };
}

/** The CPU row's description and host child when the cgroup has a CPU quota; undefined otherwise. */
export function cpuAgainstLimit(
  sys: SystemSample,
  hostCores: number,
): { description: string; tooltip: string; host: SystemRow } | undefined {
  const limit = sys.cgroup?.cpuLimitCores;
  if (limit === null || limit === undefined || limit <= 0) return undefined;
  const used = sys.cgroup!.cpuUsedCores;
  return {
    description:
      used === null
        ? `container limit ${cores(limit)}`
        : `${formatWholePercent(Math.min(100, (used / limit) * 100))} of container limit ${cores(limit)}`,
    tooltip: `CPU the container (the cgroup Vitals runs in) used, of its quota (${cgroupFile(sys.cgroup!, 'cpu')}). The host's CPU is the row below.`,
    host: {
      id: 'cpu/host',
      label: 'Host',
      description: `${formatWholePercent(sys.cpu.total)} of host ${cores(hostCores)}`,
      tooltip: `user ${formatWholePercent(sys.cpu.user)} · system ${formatWholePercent(sys.cpu.system)} · I/O wait ${formatWholePercent(sys.cpu.iowait)}`,
      icon: 'vm',
    },
  };
}

function cgroupFile(c: CgroupLimits, what: 'memory' | 'cpu'): string {
  if (what === 'memory') return c.version === 2 ? 'memory.max' : 'memory.limit_in_bytes';
  return c.version === 2 ? 'cpu.max' : 'cpu.cfs_quota_us / cpu.cfs_period_us';
}

export function sensorRows(sensors: SensorReadings | undefined): SystemRow[] {
  if (!sensors) return [];
  const rows: SystemRow[] = [];
  if (sensors.temperatures.length) {
    const hottest = sensors.temperatures.reduce((a, b) => (b.celsius > a.celsius ? b : a));
    rows.push({
      id: 'temperatures',
      label: 'Temperatures',
      description: `${formatCelsius(hottest.celsius)} hottest (${hottest.label})`,
      icon: 'flame',
      ...(nearCritical(hottest) ? { iconColor: 'list.warningForeground' } : {}),
      children: sensors.temperatures.map((t) => ({
        id: `temperatures/${t.key}`,
        label: t.label,
        description: formatCelsius(t.celsius),
        ...(t.criticalCelsius ? { tooltip: `critical at ${formatCelsius(t.criticalCelsius)}` } : {}),
        icon: 'dashboard',
        ...(nearCritical(t) ? { iconColor: 'list.warningForeground' } : {}),
      })),
    });
  }
  for (const b of sensors.batteries) {
    const parts = [b.percent === null ? MISSING : formatWholePercent(b.percent), b.status.toLowerCase()];
    if (b.watts !== null && b.watts > 0) parts.push(formatWatts(b.watts));
    rows.push({
      id: `battery/${b.name}`,
      label: sensors.batteries.length > 1 ? `Battery ${b.name}` : 'Battery',
      description: parts.join(' · '),
      icon: b.status === 'Charging' ? 'plug' : 'zap',
      ...(b.percent !== null && b.percent <= 10 && b.status === 'Discharging' ? { iconColor: 'list.warningForeground' } : {}),
    });
  }
  return rows;
}

function nearCritical(t: { celsius: number; criticalCelsius?: number | undefined }): boolean {
  return t.criticalCelsius !== undefined && t.celsius >= t.criticalCelsius - 10;
}

export function gpuRows(gpus: GpuSample[] | undefined): SystemRow[] {
  return (gpus ?? []).map((g) => {
    const mem =
      g.memoryUsedBytes !== null && g.memoryTotalBytes !== null
        ? `${formatBytes(g.memoryUsedBytes)} of ${formatBytes(g.memoryTotalBytes)}`
        : g.memoryUsedBytes !== null
          ? formatBytes(g.memoryUsedBytes)
          : 'memory unknown';
    const parts = [g.utilization === null ? `${MISSING} busy` : `${formatWholePercent(g.utilization)} busy`, mem];
    if (g.celsius !== null) parts.push(formatCelsius(g.celsius));
    return {
      id: `gpu/${g.index}`,
      label: gpus!.length > 1 ? `GPU ${g.index}` : 'GPU',
      description: parts.join(' · '),
      tooltip: `${g.name} (nvidia-smi)`,
      icon: 'circuit-board',
    };
  });
}
