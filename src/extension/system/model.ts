// The System view as data: rows for the machine right now and for the recorder. Pure; the provider
// turns each row into a TreeItem.

import type { BackendStatus, Snapshot, StaticInfo } from '../../backend';
import { formatAgo, formatBytes, formatLoad, formatRate, formatWholePercent, percentOf } from '../../shared/format';
import { cpuAgainstLimit, gpuRows, memoryAgainstLimit, sensorRows } from './extraRows';
import { cpuExtraRows, pressureRows } from './pressureRows';

export interface SystemRow {
  /** Stable across refreshes so expansion survives: `cpu`, `cpu/core/3`, `fs//home`… */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  /** Codicon colour, a theme colour id. */
  iconColor?: string;
  /** Command id run on click. */
  command?: string;
  children?: SystemRow[];
  /** Shown expanded the first time. */
  expanded?: boolean;
}

export function usage(used: number, total: number): string {
  return `${formatBytes(used)} of ${formatBytes(total)} (${formatWholePercent(percentOf(used, total))})`;
}

export function machineRows(s: Snapshot, info: StaticInfo | undefined): SystemRow[] {
  const sys = s.system;
  const rows: SystemRow[] = [];
  if (info)
    rows.push({
      id: 'host',
      label: 'Host',
      description: info.hostname,
      tooltip: `${info.hostname}\n${info.os}\n${info.cpuModel} × ${info.cpuCount}\n${formatBytes(info.totalMemBytes)} memory`,
      icon: 'vm',
    });
  // Inside a container with limits, CPU and memory are of its limits first, the host's a row below.
  const cpuLimit = cpuAgainstLimit(sys, info?.cpuCount ?? sys.cores.length);
  const memLimit = memoryAgainstLimit(sys);
  rows.push({
    id: 'cpu',
    label: 'CPU',
    description: cpuLimit?.description ?? formatWholePercent(sys.cpu.total),
    tooltip:
      cpuLimit?.tooltip ??
      `user ${formatWholePercent(sys.cpu.user)} · system ${formatWholePercent(sys.cpu.system)} · I/O wait ${formatWholePercent(sys.cpu.iowait)}`,
    icon: 'pulse',
    children: [
      ...(cpuLimit ? [cpuLimit.host] : []),
      ...cpuExtraRows(sys),
      ...sys.cores.map((c, i) => ({
        id: `cpu/core/${i}`,
        label: `Core ${i}`,
        description: formatWholePercent(c.total),
        tooltip: `user ${formatWholePercent(c.user)} · system ${formatWholePercent(c.system)} · I/O wait ${formatWholePercent(c.iowait)}`,
        icon: 'circuit-board',
      })),
    ],
  });
  rows.push(...pressureRows(sys));
  rows.push({
    id: 'memory',
    label: 'Memory',
    description: memLimit?.description ?? usage(sys.mem.usedBytes, sys.mem.totalBytes),
    ...(memLimit ? { tooltip: memLimit.tooltip } : {}),
    icon: 'server',
    children: [
      ...(memLimit ? [memLimit.host] : []),
      { id: 'memory/available', label: 'Available', description: formatBytes(sys.mem.availableBytes), icon: 'pass' },
      { id: 'memory/cached', label: 'Cached', description: formatBytes(sys.mem.cachedBytes), icon: 'archive' },
    ],
  });
  rows.push({
    id: 'swap',
    label: 'Swap',
    description: sys.swap.totalBytes > 0 ? usage(sys.swap.usedBytes, sys.swap.totalBytes) : 'none',
    icon: 'arrow-swap',
  });
  rows.push({
    id: 'load',
    label: 'Load average',
    description: sys.load.map(formatLoad).join('  '),
    tooltip: '1, 5 and 15 minute load averages',
    icon: 'graph-line',
  });
  rows.push({
    id: 'disk',
    label: 'Disk I/O',
    description: `read ${formatRate(sys.disk.readBps)} · write ${formatRate(sys.disk.writeBps)}`,
    icon: 'database',
  });
  rows.push({
    id: 'network',
    label: 'Network',
    description: `↓ ${formatRate(sys.net.rxBps)} · ↑ ${formatRate(sys.net.txBps)}`,
    icon: 'globe',
    children: sys.net.interfaces.map((i) => ({
      id: `network/${i.name}`,
      label: i.name,
      description: `↓ ${formatRate(i.rxBps)} · ↑ ${formatRate(i.txBps)}`,
      icon: 'plug',
    })),
  });
  rows.push(...gpuRows(sys.gpus), ...sensorRows(sys.sensors));
  if (sys.filesystems.length)
    rows.push({
      id: 'filesystems',
      label: 'File systems',
      description: `${sys.filesystems.length}`,
      icon: 'folder',
      children: sys.filesystems.map((f) => ({
        id: `fs/${f.mount}`,
        label: f.mount,
        description: usage(f.usedBytes, f.sizeBytes),
        tooltip: `${f.mount} (${f.fstype})`,
        icon: 'folder-opened',
        ...(f.sizeBytes > 0 && f.usedBytes / f.sizeBytes >= 0.9 ? { iconColor: 'list.warningForeground' } : {}),
      })),
    });
  return rows;
}

export function recorderLabel(status: BackendStatus): { label: string; icon: string; iconColor?: string } {
  if (status.role === 'viewer') return { label: 'Viewing — recorded by another window', icon: 'eye' };
  if (status.role === 'stopped') return { label: 'Not recording', icon: 'circle-slash', iconColor: 'list.warningForeground' };
  return status.recording ? { label: 'Recording', icon: 'record', iconColor: 'charts.red' } : { label: 'Paused', icon: 'debug-pause' };
}

export function recorderRows(status: BackendStatus, now: number, healthCommand: string): SystemRow[] {
  const state = recorderLabel(status);
  const children: SystemRow[] = [];
  if (status.problem)
    children.push({ id: 'recorder/problem', label: status.problem, icon: 'warning', iconColor: 'list.warningForeground' });
  if (status.role === 'viewer' && status.recorder)
    children.push({
      id: 'recorder/by',
      label: 'Recorder',
      description: `pid ${status.recorder.pid} on ${status.recorder.host}`,
      icon: 'window',
    });
  children.push(
    {
      id: 'recorder/size',
      label: 'Database size',
      // Until the first checkpoint everything recorded lives in memory and the journal beside the file.
      description: status.databaseSizeBytes > 0 ? formatBytes(status.databaseSizeBytes) : 'not written yet',
      tooltip: status.databasePath,
      icon: 'database',
    },
    {
      id: 'recorder/flush',
      label: 'Last flush',
      description: status.lastFlushAt === null ? 'not yet' : formatAgo(status.lastFlushAt, now),
      icon: 'save',
    },
    { id: 'recorder/health', label: 'Show Storage Health…', icon: 'heart', command: healthCommand },
  );
  return [
    {
      id: 'recorder',
      label: state.label,
      description: 'recorder',
      icon: state.icon,
      ...(state.iconColor ? { iconColor: state.iconColor } : {}),
      children,
      expanded: true,
    },
  ];
}
