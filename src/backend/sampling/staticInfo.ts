// Facts about the machine that do not change while we run: read once at start, never per interval.
// systeminformation knows the marketing CPU name and the distribution; the os module answers when it
// fails or takes too long (it spawns helpers such as lsb_release).

import * as os from 'node:os';
import * as si from 'systeminformation';
import type { StaticInfo } from '../types';

const TIMEOUT_MS = 5000;

export async function readStaticInfo(): Promise<StaticInfo> {
  const [cpu, osInfo] = await Promise.all([withTimeout(si.cpu()), withTimeout(si.osInfo())]);
  const cpus = os.cpus();
  const siModel = cpu
    ? [cpu.manufacturer, cpu.brand]
        .filter((s) => s)
        .join(' ')
        .trim()
    : '';
  const siOs = osInfo
    ? [osInfo.distro, osInfo.release]
        .filter((s) => s && s !== 'unknown')
        .join(' ')
        .trim()
    : '';
  return {
    hostname: osInfo?.hostname || os.hostname(),
    platform: process.platform,
    os: siOs || `${os.type()} ${os.release()}`,
    cpuModel: siModel || cpus[0]?.model?.trim() || 'unknown',
    cpuCount: cpus.length || os.availableParallelism(),
    totalMemBytes: os.totalmem(),
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
