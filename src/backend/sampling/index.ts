// Picks the samplers for this platform: /proc on Linux (20–100x cheaper than systeminformation, see
// docs/ARCHITECTURE.md), systeminformation elsewhere. VITALS_SAMPLER=fallback forces the
// systeminformation samplers on Linux too: what macOS and Windows users run, and what the cost
// governor (recorder/governor.ts) is there for, can then be measured and tested here.

import type { CommandLineMode, ProcessSampler, SystemSampler } from '../types';
import { FallbackProcessSampler } from './fallback/processSampler';
import { FallbackSystemSampler } from './fallback/systemSampler';
import { LinuxProcessSampler } from './linux/processSampler';
import { LinuxSystemSampler } from './linux/systemSampler';
import { existsSync } from 'node:fs';

export { readStaticInfo } from './staticInfo';

export type SamplerKind = 'procfs' | 'systeminformation';

export interface SamplerOptions {
  /** Defaults to process.platform; anything but 'linux' selects systeminformation (tests force it so). */
  platform?: NodeJS.Platform;
  commandLine: CommandLineMode;
  procRoot?: string;
  /** VITALS_SAMPLER: 'fallback' forces systeminformation. Defaults to process.env.VITALS_SAMPLER. */
  force?: string;
}

export interface Samplers {
  system: SystemSampler;
  processes: ProcessSampler;
  kind: SamplerKind;
}

export function createSamplers(opts: SamplerOptions): Samplers {
  const platform = opts.platform ?? process.platform;
  const procRoot = opts.procRoot ?? '/proc';
  const forced = (opts.force ?? process.env.VITALS_SAMPLER) === 'fallback';
  if (!forced && platform === 'linux' && existsSync(`${procRoot}/stat`)) {
    return {
      system: new LinuxSystemSampler({ procRoot }),
      processes: new LinuxProcessSampler({ procRoot, commandLine: opts.commandLine }),
      kind: 'procfs',
    };
  }
  return {
    system: new FallbackSystemSampler(),
    processes: new FallbackProcessSampler({ commandLine: opts.commandLine }),
    kind: 'systeminformation',
  };
}
