// Per-process sampling through systeminformation, for macOS and Windows where there is no /proc. It
// spawns `ps` (or PowerShell) per call, so it costs far more than the procfs sampler; that is why Linux
// never uses it.

import { cpus } from 'node:os';
import { systeminformation } from './systeminformation';
import type { CommandLineMode, Millis, ProcessSample, ProcessSampler } from '../../types';
import { processKeyString } from '../../types';
import { presentCommandLine } from '../redact';

const STATES: Record<string, string> = {
  running: 'R',
  sleeping: 'S',
  blocked: 'D',
  zombie: 'Z',
  stopped: 'T',
  idle: 'I',
};

export class FallbackProcessSampler implements ProcessSampler {
  private mode: CommandLineMode;
  /** Command line as presented under `mode`, per process identity: redaction runs once per process. */
  private commands = new Map<string, string>();
  private disposed = false;

  constructor(opts: { commandLine: CommandLineMode }) {
    this.mode = opts.commandLine;
  }

  setCommandLineMode(mode: CommandLineMode): void {
    if (mode !== this.mode) this.commands.clear();
    this.mode = mode;
  }

  async sample(_now: Millis): Promise<ProcessSample[]> {
    const si = await systeminformation();
    const data = await si.processes();
    if (this.disposed) return [];
    // systeminformation reports a share of the whole machine except on macOS, where it passes on
    // ps's per-core figure; ProcessSample.cpu is per core like `top`.
    const scale = process.platform === 'darwin' ? 1 : Math.max(1, cpus().length);
    const next = new Map<string, string>();
    const out: ProcessSample[] = [];
    for (const p of data.list) {
      const startTime = parseStarted(p.started);
      const key = processKeyString({ pid: p.pid, startTime });
      let command = this.commands.get(key);
      if (command === undefined) {
        const raw = [p.command, p.params]
          .filter((s) => s)
          .join(' ')
          .trim();
        command = presentCommandLine(raw === '' ? `[${p.name}]` : raw, this.mode);
      }
      next.set(key, command);
      out.push({
        pid: p.pid,
        ppid: p.parentPid,
        startTime,
        name: p.name,
        command,
        user: p.user ?? '',
        state: STATES[p.state] ?? '?',
        cpu: Math.round((Number(p.cpu) || 0) * scale * 100) / 100,
        rssBytes: (Number(p.memRss) || 0) * 1024,
        // Not reported by systeminformation.
        threads: 0,
      });
    }
    this.commands = next;
    return out;
  }

  dispose(): void {
    this.disposed = true;
    this.commands.clear();
  }
}

/** "YYYY-MM-DD HH:MM:SS" in local time, as systeminformation formats it; 0 when absent. */
export function parseStarted(s: string | undefined): Millis {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(s ?? '');
  if (!m) return 0;
  return new Date(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!).getTime();
}
