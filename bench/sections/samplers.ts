// Sampler cost per sample, side by side: Vitals' /proc samplers against systeminformation, `ps`, and
// a bare /proc loop reading the same fields. CPU is user + system time of this process plus the
// children it waited for (ps, df, cat… that systeminformation spawns), per sample, steady state.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import * as si from 'systeminformation';
import { LinuxProcessSampler } from '../../src/backend/sampling/linux/processSampler';
import { LinuxSystemSampler } from '../../src/backend/sampling/linux/systemSampler';
import { cpuWithChildrenUs } from '../lib/cpu';

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** Longer than systeminformation's 500 ms cache. */
const SI_GAP_MS = 600;

export interface SamplerParams {
  rounds: number;
  /** Samples per round for each competitor (cheap ones get more for a stable figure). */
  perRound: Record<string, number>;
}

export interface Competitor {
  name: string;
  sample(): Promise<number>;
  /**
   * Pause before each sample. systeminformation answers from a cache when asked again within
   * 500 ms (processes, networkStats): pausing keeps every call a real one, as at a 2 s interval.
   */
  gapMs?: number;
}

export interface SamplerResult {
  /** competitor → CPU ms per sample, one value per round. */
  cpuMs: Record<string, number[]>;
  /** competitor → wall ms per sample, one value per round. */
  wallMs: Record<string, number[]>;
  /** Processes the Vitals sampler saw. */
  processes: number;
}

/** The floor: readdir + read stat and status of every pid, parse the fields `ps -eo …` shows. */
export function bareProcRead(): number {
  const out: {
    pid: number;
    ppid: number;
    name: string;
    state: string;
    ticks: number;
    start: number;
    rss: number;
    threads: number;
    uid: number;
  }[] = [];
  for (const e of readdirSync('/proc')) {
    const c = e.charCodeAt(0);
    if (c < 48 || c > 57) continue;
    let stat: string;
    let status: string;
    try {
      stat = readFileSync(`/proc/${e}/stat`, 'latin1');
      status = readFileSync(`/proc/${e}/status`, 'latin1');
    } catch {
      continue;
    }
    const close = stat.lastIndexOf(')');
    const f = stat.slice(close + 2).split(' ');
    const uid = /\nUid:\s+(\d+)/.exec(status);
    out.push({
      pid: Number(e),
      name: stat.slice(stat.indexOf('(') + 1, close),
      state: f[0]!,
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]),
      threads: Number(f[17]),
      start: Number(f[19]),
      rss: Number(f[21]),
      uid: uid ? Number(uid[1]) : -1,
    });
  }
  return out.length;
}

async function psRead(): Promise<number> {
  const { stdout } = await run('ps', ['-eo', 'pid,ppid,lstart,user,stat,pcpu,rss,nlwp,comm,args'], { maxBuffer: 64 * 1024 * 1024 });
  const lines = stdout.split('\n');
  let n = 0;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i]!.trim();
    if (!l) continue;
    const parts = l.split(/\s+/);
    // pid ppid lstart(5 words) user stat pcpu rss nlwp comm args…
    if (Number.isFinite(Number(parts[0])) && parts.length >= 13) n++;
  }
  return n;
}

/** Each round runs every competitor once, in a rotating order; returns per-round CPU and wall per sample. */
export async function measureRounds(
  competitors: Competitor[],
  rounds: number,
  perRound: Record<string, number>,
): Promise<{ cpuMs: Record<string, number[]>; wallMs: Record<string, number[]> }> {
  const cpuMs: Record<string, number[]> = {};
  const wallMs: Record<string, number[]> = {};
  for (const c of competitors) {
    cpuMs[c.name] = [];
    wallMs[c.name] = [];
    // Warm up: the first samples open files, fill caches and JIT-compile.
    await c.sample();
    await sleep(c.gapMs ?? 0);
    await c.sample();
  }
  for (let r = 0; r < rounds; r++) {
    const order = competitors.map((_, i) => competitors[(i + r) % competitors.length]!);
    for (const c of order) {
      const n = perRound[c.name] ?? 5;
      const gap = c.gapMs ?? 0;
      const c0 = cpuWithChildrenUs();
      const w0 = performance.now();
      for (let i = 0; i < n; i++) {
        if (gap > 0) await sleep(gap);
        await c.sample();
      }
      const w1 = performance.now();
      const c1 = cpuWithChildrenUs();
      cpuMs[c.name]!.push((c1 - c0) / 1000 / n);
      wallMs[c.name]!.push((w1 - w0) / n - gap);
      // A breather, as between two real sampling intervals.
      await sleep(50);
    }
  }
  return { cpuMs, wallMs };
}

export async function processSamplers(p: SamplerParams): Promise<SamplerResult> {
  const vitals = new LinuxProcessSampler({ commandLine: 'redacted' });
  let processes = 0;
  const competitors: Competitor[] = [
    {
      name: 'vitals',
      sample: async () => {
        processes = (await vitals.sample(Date.now())).length;
        return processes;
      },
    },
    { name: 'bare', sample: async () => bareProcRead() },
    { name: 'ps', sample: psRead },
    { name: 'si', sample: async () => (await si.processes()).list.length, gapMs: SI_GAP_MS },
  ];
  const r = await measureRounds(competitors, p.rounds, p.perRound);
  vitals.dispose();
  return { ...r, processes };
}

export async function systemSamplers(p: SamplerParams): Promise<SamplerResult> {
  const vitals = new LinuxSystemSampler();
  const competitors: Competitor[] = [
    { name: 'vitals', sample: async () => (await vitals.sample(Date.now())).cores.length },
    {
      name: 'si',
      sample: async () => {
        const [load] = await Promise.all([si.currentLoad(), si.mem(), si.fsSize(), si.networkStats('*')]);
        return load.cpus.length;
      },
      gapMs: SI_GAP_MS,
    },
  ];
  const r = await measureRounds(competitors, p.rounds, p.perRound);
  vitals.dispose();
  return { ...r, processes: 0 };
}
