// What `nvidia-smi` prints for the two queries Vitals asks, parsed. Pure: the sampler (nvidiaSampler.ts)
// spawns it. With `--format=csv,noheader,nounits` every line is one GPU (or one compute process),
// fields separated by ", ", memory in MiB; a value the GPU does not report reads `[N/A]` (or, from
// older drivers, `[Not Supported]`), and becomes null here, never a fake 0.

import type { GpuSample } from '../../types';

export const GPU_QUERY = [
  '--query-gpu=index,name,utilization.gpu,memory.used,memory.total,temperature.gpu',
  '--format=csv,noheader,nounits',
];
export const APPS_QUERY = ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'];

const MIB = 1024 * 1024;

/** A number, or null for `[N/A]`, `[Not Supported]`, `N/A`, `[Unknown Error]`, '' and the like. */
function value(field: string | undefined): number | null {
  if (field === undefined) return null;
  const t = field.trim();
  if (t === '' || t.startsWith('[') || /^n\/a$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

function fields(line: string): string[] {
  return line.split(',').map((f) => f.trim());
}

export function parseGpuQuery(text: string): GpuSample[] {
  const out: GpuSample[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const f = fields(line);
    if (f.length < 6) continue;
    // A GPU name may hold a comma: the five numbers are the first one and the last four.
    const index = value(f[0]);
    if (index === null) continue;
    const tail = f.slice(-4);
    const used = value(tail[1]);
    const total = value(tail[2]);
    out.push({
      index,
      name: f.slice(1, -4).join(', '),
      utilization: value(tail[0]),
      memoryUsedBytes: used === null ? null : used * MIB,
      memoryTotalBytes: total === null ? null : total * MIB,
      celsius: value(tail[3]),
    });
  }
  return out;
}

/** pid → GPU memory in bytes, summed over GPUs (a process may use several). Unknown memory is left out. */
export function parseComputeApps(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of text.split(/\r?\n/)) {
    const f = fields(line);
    if (f.length < 2) continue;
    const pid = value(f[0]);
    const mib = value(f[1]);
    if (pid === null || mib === null || !Number.isInteger(pid) || pid <= 0) continue;
    out.set(pid, (out.get(pid) ?? 0) + mib * MIB);
  }
  return out;
}
