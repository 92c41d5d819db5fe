// Facts about the machine that do not change while we run: read once at start, never per interval.
// On Linux two small files say it all (/proc/cpuinfo's model name, /etc/os-release's NAME and
// VERSION_ID — what systeminformation reads there too); asking systeminformation instead spawned
// helpers (lsb_release, dmidecode…) and loaded its whole library at every start, ~0.1 s of CPU.
// Elsewhere systeminformation knows the marketing CPU name and the OS release, loaded on first use;
// the os module answers when it fails or takes too long.

import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import type { StaticInfo } from '../types';
import { systeminformation } from './fallback/systeminformation';

const TIMEOUT_MS = 5000;

export async function readStaticInfo(platform: NodeJS.Platform = process.platform, root = ''): Promise<StaticInfo> {
  const { cpuModel, osName } = platform === 'linux' ? fromLinuxFiles(root) : await fromSystemInformation();
  const cpus = os.cpus();
  return {
    hostname: os.hostname(),
    platform,
    os: osName || `${os.type()} ${os.release()}`,
    cpuModel: cpuModel || cpus[0]?.model?.trim() || 'unknown',
    cpuCount: cpus.length || os.availableParallelism(),
    totalMemBytes: os.totalmem(),
  };
}

/** Empty strings for what the files do not say (the caller falls back to the os module). */
export function fromLinuxFiles(root = ''): { cpuModel: string; osName: string } {
  const read = (path: string): string => {
    try {
      return readFileSync(`${root}${path}`, 'utf8');
    } catch {
      return '';
    }
  };
  const cpuinfo = read('/proc/cpuinfo');
  // x86 says "model name"; arm64 kernels often say nothing but "Hardware"/"Model" (a board name).
  const model = /^(?:model name|Model|Hardware)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? '';
  const release = read('/etc/os-release') || read('/usr/lib/os-release');
  const field = (key: string): string => {
    const m = new RegExp(`^${key}=(.*)$`, 'm').exec(release);
    return m ? m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2') : '';
  };
  return {
    cpuModel: cleanCpuModel(model),
    osName: [field('NAME'), field('VERSION_ID')].filter(Boolean).join(' '),
  };
}

/**
 * "Intel(R) Core(TM) i7-8550U CPU @ 1.80GHz" → "Intel Core i7-8550U", "AMD EPYC 7B13 64-Core
 * Processor" → "AMD EPYC 7B13": the name, without the trademarks, core count and clock
 * (as systeminformation shortened it).
 */
export function cleanCpuModel(model: string): string {
  return model
    .replace(/\((?:R|TM|tm)\)/g, '')
    .replace(/\s+(?:\d+-Core\s+)?Processor\b/i, '')
    .replace(/\s+CPU\s*@.*$/, '')
    .replace(/\s+@\s*[\d.]+\s*GHz$/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function fromSystemInformation(): Promise<{ cpuModel: string; osName: string }> {
  const si = await systeminformation();
  const [cpu, osInfo] = await Promise.all([withTimeout(si.cpu()), withTimeout(si.osInfo())]);
  return {
    cpuModel: cpu
      ? [cpu.manufacturer, cpu.brand]
          .filter((s) => s)
          .join(' ')
          .trim()
      : '',
    osName: osInfo
      ? [osInfo.distro, osInfo.release]
          .filter((s) => s && s !== 'unknown')
          .join(' ')
          .trim()
      : '',
  };
}

async function withTimeout<T>(p: Promise<T>): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([p.catch(() => null), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
