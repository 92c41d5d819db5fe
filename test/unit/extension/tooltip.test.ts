import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/backend/types';
import { KIND_ICONS, processKind } from '../../../src/extension/processes/kind';
import {
  codeBlock,
  escapeMarkdown,
  groupDescription,
  groupTooltipMarkdown,
  processDescription,
  processTooltipMarkdown,
} from '../../../src/extension/processes/tooltip';

const p: ProcessSample = {
  pid: 300,
  ppid: 200,
  startTime: Date.UTC(2024, 4, 1, 12, 0, 0),
  name: 'node',
  command: 'node server.js --token=*****',
  user: 'dev',
  state: 'R',
  cpu: 12.34,
  rssBytes: 145 * 1024 * 1024,
  threads: 11,
};

describe('process row text', () => {
  it('describes CPU and memory', () => {
    expect(processDescription(p)).toBe('12.3% · 145 MB');
  });

  it('adds the disk I/O rate while the view sorts by it, "unknown" where unreadable', () => {
    const io = { ...p, readBytes: 1024 * 1024, writeBytes: 3 * 1024 * 1024 };
    expect(processDescription(io, process.pid, 2000)).toBe('12.3% · 145 MB · I/O 2.0 MB/s');
    expect(processDescription({ ...io, writeBytes: null }, process.pid, 2000)).toBe('12.3% · 145 MB · I/O unknown');
    // Not sorted by I/O, or a platform without per-process I/O: the figures alone.
    expect(processDescription(io)).toBe('12.3% · 145 MB');
    expect(processDescription({ ...p, readBytes: undefined, writeBytes: undefined }, process.pid, 2000)).toBe('12.3% · 145 MB');
  });

  it('names a process left behind and for how long, in whole minutes, and why in the tooltip', () => {
    const since = 1_000_000;
    const server = {
      ...p,
      role: {
        kind: 'server' as const,
        detail: '',
        commit: 'c'.repeat(40),
        leftBehindSince: since,
        leftBehindReason: 'commit-gone' as const,
      },
    };
    expect(processDescription(server, process.pid, undefined, since + 59_000)).toBe(
      'VS Code server cccccccccc · left behind < 1 min · 12.3% · 145 MB',
    );
    expect(processDescription(server, process.pid, undefined, since + 2 * 3_600_000 + 5 * 60_000 + 59_000)).toBe(
      'VS Code server cccccccccc · left behind 2 h 5 min · 12.3% · 145 MB',
    );
    expect(processTooltipMarkdown(server, 'full', since + 60_000)).toContain('no open window runs its VS Code commit, for 1 min');
    const orphan = {
      ...p,
      role: { kind: 'extension' as const, detail: '', leftBehindSince: since, leftBehindReason: 'ancestor-gone' as const },
    };
    expect(processTooltipMarkdown(orphan, 'full', since + 60_000)).toContain('its VS Code parent is gone, for 1 min');
  });

  it('puts pid, ppid, user, start, state, CPU, RSS, threads and the command line in the tooltip', () => {
    const md = processTooltipMarkdown(p, 'redacted', p.startTime + 3_600_000);
    for (const s of [
      '| PID | 300 |',
      '| Parent PID | 200 |',
      '| User | dev |',
      '(1 h ago)',
      '| State | running |',
      '| CPU | 12.3% of one core |',
      '| Memory (RSS) | 145 MB |',
      '| Threads | 11 |',
    ])
      expect(md).toContain(s);
    expect(md).toContain('Command line (secrets masked):\n\n```\nnode server.js --token=*****\n```');
  });

  it('shows disk I/O rates over the interval, unknown when unreadable, and CPU with finished children', () => {
    const io = { ...p, readBytes: 2 * 1024 * 1024, writeBytes: 64 * 1024 * 1024, childrenCpu: 80 };
    const md = processTooltipMarkdown(io, 'redacted', 0, 1, undefined, 2000);
    expect(md).toContain('| Disk read | 1.0 MB/s |');
    expect(md).toContain('| Disk write | 32.0 MB/s |');
    expect(md).toContain('| CPU incl. finished children | 92.3% of one core (children 80.0%) |');
    const unknown = processTooltipMarkdown({ ...p, readBytes: null, writeBytes: null }, 'redacted', 0, 1, undefined, 2000);
    expect(unknown).toContain('| Disk read | unknown |');
    expect(unknown).toContain('| Disk write | unknown |');
    // Not sampled (another platform): no rows rather than a fake figure.
    expect(processTooltipMarkdown(p, 'redacted', 0, 1, undefined, 2000)).not.toMatch(/Disk read|finished children/);
  });

  it('says why there is no command line', () => {
    expect(processTooltipMarkdown({ ...p, command: '' }, 'off', 0)).toContain('vitals.privacy.commandLine');
    expect(processTooltipMarkdown({ ...p, command: '' }, 'full', 0)).toContain('No command line');
  });

  it('cannot be broken out of by what a process calls itself', () => {
    expect(escapeMarkdown('[x](command:evil) *b* | c')).toBe('\\[x\\]\\(command:evil\\) \\*b\\* \\| c');
    expect(codeBlock('echo ```; rm')).toBe('````\necho ```; rm\n````');
    expect(processTooltipMarkdown({ ...p, name: '<img src=x>' }, 'full', 0)).toContain('**\\<img src=x\\>**');
  });
});

describe('processKind', () => {
  const k = (name: string, extra: Partial<ProcessSample> = {}) => processKind({ pid: 500, ppid: 1, name, state: 'S', ...extra }, 'linux');
  it('maps processes to kinds deterministically', () => {
    expect(k('bash')).toBe('shell');
    expect(k('-zsh')).toBe('shell');
    expect(k('pwsh.exe')).toBe('shell');
    expect(k('node')).toBe('runtime');
    expect(k('code')).toBe('runtime');
    expect(k('Code Helper (Renderer)')).toBe('runtime');
    expect(k('python3.11')).toBe('runtime');
    expect(k('kworker/0:1', { ppid: 2 })).toBe('kernel');
    expect(k('kthreadd', { pid: 2, ppid: 0 })).toBe('kernel');
    expect(k('node', { state: 'Z' })).toBe('zombie');
    expect(k('sshd')).toBe('other');
    expect(processKind({ pid: 600, ppid: 2, name: 'x', state: 'S' }, 'darwin')).toBe('other');
    expect(KIND_ICONS).toEqual({
      zombie: 'circle-slash',
      kernel: 'gear',
      shell: 'terminal',
      runtime: 'server-process',
      other: 'symbol-misc',
    });
  });
});

describe('containers and GPU memory in the text', () => {
  it('names the container and the GPU memory where the process has them, and nothing where not', () => {
    const inPod: ProcessSample = {
      ...p,
      gpuMemoryBytes: 2 * 1024 ** 3,
      container: { runtime: 'kubernetes', id: 'c'.repeat(64), pod: '8f2b0e1c-3d4a-4b5c-9d6e-7f8a9b0c1d2e' },
    };
    const md = processTooltipMarkdown(inPod, 'redacted', p.startTime);
    expect(md).toContain('| GPU memory | 2.0 GB |');
    expect(md).toContain('| Container | pod 8f2b0e1c cccccccccccc, pod 8f2b0e1c\\-3d4a');
    const plain = processTooltipMarkdown(p, 'redacted', p.startTime);
    expect(plain).not.toContain('Container');
    expect(plain).not.toContain('GPU');
  });

  it('a group row sums its processes', () => {
    const g = {
      kind: 'container' as const,
      key: 'docker:abc',
      label: 'web (docker)',
      cpu: 3.5,
      rssBytes: 22e6,
      gpuMemoryBytes: 0,
      processes: 2,
      members: [],
    };
    expect(groupDescription(g)).toBe('3.5% · 21.0 MB · 2 processes');
    expect(groupDescription({ ...g, processes: 1, gpuMemoryBytes: 1024 ** 3 })).toBe('3.5% · 21.0 MB · GPU 1.0 GB · 1 process');
    expect(groupTooltipMarkdown(g)).toContain('| Processes | 2 |');
    expect(groupTooltipMarkdown({ ...g, kind: 'host', key: 'host', label: 'Host' })).toContain('in no container');
  });
});
