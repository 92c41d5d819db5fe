// Picks the samplers for this platform: /proc on Linux (20–100x cheaper than systeminformation, see
// docs/ARCHITECTURE.md), systeminformation elsewhere.

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
}

export interface Samplers {
  system: SystemSampler;
  processes: ProcessSampler;
  kind: SamplerKind;
  /** The procfs the process sampler reads, where the VS Code role tracker may read too (src/backend/vscode/). */
  procRoot?: string | undefined;
}

export function createSamplers(opts: SamplerOptions): Samplers {
  const platform = opts.platform ?? process.platform;
  const procRoot = opts.procRoot ?? '/proc';
  if (platform === 'linux' && existsSync(`${procRoot}/stat`)) {
    return {
      system: new LinuxSystemSampler({ procRoot }),
      processes: new LinuxProcessSampler({ procRoot, commandLine: opts.commandLine }),
      kind: 'procfs',
      procRoot,
    };
  }
  return {
    system: new FallbackSystemSampler(),
    processes: new FallbackProcessSampler({ commandLine: opts.commandLine }),
    kind: 'systeminformation',
  };
}
