// System samples flattened to named metrics. Storage keeps one value per metric per interval (and
// min/max/avg per rollup bucket); queries and charts ask for metrics by these names.
//
//   cpu.total cpu.user cpu.system cpu.iowait      percent of all cores (0..100)
//   cpu.steal                                     percent of all cores, taken by the hypervisor
//   psi.<cpu|memory|io>.<some|full>               pressure: % of the last 10 s tasks stalled
//   tasks.running tasks.blocked                   runnable tasks, tasks in uninterruptible (I/O) wait
//   core.<i>.total                                percent of one core (0..100)
//   load.1 load.5 load.15
//   mem.used mem.available mem.cached mem.total   bytes
//   swap.used swap.total                          bytes
//   disk.read disk.write                          bytes/s
//   net.rx net.tx                                 bytes/s, all interfaces but loopback
//   net.<iface>.rx net.<iface>.tx                 bytes/s
//   fs.<mount>.used fs.<mount>.size               bytes
//   cgroup.mem.used cgroup.mem.limit              bytes, Vitals' own cgroup when it has a limit
//   cgroup.cpu                                    percent of the cgroup's CPU limit
//   temp.<chip>/<label>                           °C, where the machine has sensors
//   battery.<name>                                percent charged; battery.<name>.watts
//   gpu.<i>.util                                  percent; gpu.<i>.mem.used gpu.<i>.mem.total bytes; gpu.<i>.temp °C

import type { SystemSample } from './types';
import type { ValueUnit } from '../shared/format';

export const CORE_METRICS = [
  'cpu.total',
  'cpu.user',
  'cpu.system',
  'cpu.iowait',
  'load.1',
  'load.5',
  'load.15',
  'mem.used',
  'mem.available',
  'mem.cached',
  'mem.total',
  'swap.used',
  'swap.total',
  'disk.read',
  'disk.write',
  'net.rx',
  'net.tx',
] as const;

export function flattenSystem(s: SystemSample): Map<string, number> {
  const m = new Map<string, number>([
    ['cpu.total', s.cpu.total],
    ['cpu.user', s.cpu.user],
    ['cpu.system', s.cpu.system],
    ['cpu.iowait', s.cpu.iowait],
    ['load.1', s.load[0]],
    ['load.5', s.load[1]],
    ['load.15', s.load[2]],
    ['mem.used', s.mem.usedBytes],
    ['mem.available', s.mem.availableBytes],
    ['mem.cached', s.mem.cachedBytes],
    ['mem.total', s.mem.totalBytes],
    ['swap.used', s.swap.usedBytes],
    ['swap.total', s.swap.totalBytes],
    ['disk.read', s.disk.readBps],
    ['disk.write', s.disk.writeBps],
    ['net.rx', s.net.rxBps],
    ['net.tx', s.net.txBps],
  ]);
  if (s.cpu.steal !== undefined) m.set('cpu.steal', s.cpu.steal);
  if (s.pressure)
    for (const [res, p] of Object.entries(s.pressure)) {
      m.set(`psi.${res}.some`, p.some);
      if (p.full !== undefined) m.set(`psi.${res}.full`, p.full);
    }
  if (s.tasks) {
    m.set('tasks.running', s.tasks.running);
    m.set('tasks.blocked', s.tasks.blocked);
  }
  s.cores.forEach((c, i) => m.set(`core.${i}.total`, c.total));
  for (const i of s.net.interfaces) {
    m.set(`net.${i.name}.rx`, i.rxBps);
    m.set(`net.${i.name}.tx`, i.txBps);
  }
  for (const f of s.filesystems) {
    m.set(`fs.${f.mount}.used`, f.usedBytes);
    m.set(`fs.${f.mount}.size`, f.sizeBytes);
  }
  flattenExtras(s, m);
  return m;
}

/** Cgroup limits, sensors and GPUs: present only where the machine has them; unknown values are left out. */
function flattenExtras(s: SystemSample, m: Map<string, number>): void {
  const set = (name: string, v: number | null | undefined): void => {
    if (v !== null && v !== undefined && Number.isFinite(v)) m.set(name, v);
  };
  if (s.cgroup) {
    set('cgroup.mem.used', s.cgroup.memoryLimitBytes !== null ? s.cgroup.memoryUsedBytes : null);
    set('cgroup.mem.limit', s.cgroup.memoryLimitBytes);
    const { cpuLimitCores: limit, cpuUsedCores: used } = s.cgroup;
    set('cgroup.cpu', limit && used !== null ? Math.min(100, (used / limit) * 100) : null);
  }
  for (const t of s.sensors?.temperatures ?? []) set(`temp.${t.key}`, t.celsius);
  for (const b of s.sensors?.batteries ?? []) {
    set(`battery.${b.name}`, b.percent);
    set(`battery.${b.name}.watts`, b.watts);
  }
  for (const g of s.gpus ?? []) {
    set(`gpu.${g.index}.util`, g.utilization);
    set(`gpu.${g.index}.mem.used`, g.memoryUsedBytes);
    set(`gpu.${g.index}.mem.total`, g.memoryTotalBytes);
    set(`gpu.${g.index}.temp`, g.celsius);
  }
}

/** The unit of a metric by its name: what formats it for people and rounds it in exports. */
export function metricUnit(name: string): ValueUnit {
  if (name.startsWith('cpu.') || name.startsWith('core.') || name.startsWith('psi.')) return 'percent';
  if (name.startsWith('temp.') || (name.startsWith('gpu.') && name.endsWith('.temp'))) return 'celsius';
  if (name.startsWith('battery.') && name.endsWith('.watts')) return 'watts';
  if (name === 'cgroup.cpu' || name.startsWith('battery.') || (name.startsWith('gpu.') && name.endsWith('.util'))) return 'percent';
  if (name.startsWith('load.') || name.startsWith('tasks.')) return 'load';
  if (name.startsWith('disk.') || name.startsWith('net.')) return 'rate';
  return 'bytes';
}
