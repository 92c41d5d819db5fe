// The System view's rows for the kernel's own starvation signals: pressure stall information
// (/proc/pressure, where the kernel has PSI), CPU steal (VMs) and running/blocked tasks
// (/proc/stat). Pure, like model.ts; nothing shown where the sample has none of them.

import type { PressureShare, SystemSample } from '../../backend';
import { formatCount, formatPercent, formatWholePercent } from '../../shared/format';
import type { SystemRow } from './model';

const RESOURCES = [
  ['cpu', 'CPU'],
  ['memory', 'Memory'],
  ['io', 'I/O'],
] as const;

/** "some 1.2% · full 0.4%": PSI avg10 is often a fraction of a percent, so one decimal. */
function shares(p: PressureShare): string {
  return p.full === undefined ? `some ${formatPercent(p.some)}` : `some ${formatPercent(p.some)} · full ${formatPercent(p.full)}`;
}

/** One Pressure row ("some" of CPU, memory, I/O) with a child per resource; [] without PSI. */
export function pressureRows(sys: SystemSample): SystemRow[] {
  const psi = sys.pressure;
  if (!psi) return [];
  return [
    {
      id: 'pressure',
      label: 'Pressure',
      description: RESOURCES.map(([key, label]) => `${label} ${formatPercent(psi[key].some)}`).join(' · '),
      tooltip:
        'Share of the last 10 s in which some task (some) or every task (full) waited for the resource (/proc/pressure). Above a few percent the machine is starved, whatever the usage figures say.',
      icon: 'dashboard',
      children: RESOURCES.map(([key, label]) => ({
        id: `pressure/${key}`,
        label,
        description: shares(psi[key]),
        icon: key === 'cpu' ? 'pulse' : key === 'memory' ? 'server' : 'database',
      })),
    },
  ];
}

/** Children of the CPU row: steal where measured, tasks running and blocked where known. */
export function cpuExtraRows(sys: SystemSample): SystemRow[] {
  const rows: SystemRow[] = [];
  if (sys.cpu.steal !== undefined)
    rows.push({
      id: 'cpu/steal',
      label: 'Steal',
      description: formatWholePercent(sys.cpu.steal),
      tooltip: 'Time the hypervisor ran something else while this machine wanted the CPU (VMs, cloud dev boxes).',
      icon: 'cloud',
    });
  if (sys.tasks)
    rows.push({
      id: 'cpu/tasks',
      label: 'Tasks',
      description: `${formatCount(sys.tasks.running)} running · ${formatCount(sys.tasks.blocked)} blocked`,
      tooltip: 'Runnable tasks, and tasks in uninterruptible wait (usually disk I/O), from /proc/stat.',
      icon: 'list-ordered',
    });
  return rows;
}
