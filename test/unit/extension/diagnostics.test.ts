import { describe, expect, it } from 'vitest';
import type { LoadByGroupResult, LoadGroup, ProcessSample } from '../../../src/backend/index';
import { buildDiagnostics, type DiagnosticsInput } from '../../../src/extension/vscode/diagnostics';

const NOW = Date.UTC(2026, 0, 2, 10, 0, 0);
const FROM = NOW - 15 * 60_000;

function group(key: string, label: string, cpuAvg: number, cpuMax: number, rssMaxBytes: number, processes = 1): LoadGroup {
  return {
    key,
    label,
    cpu: { avg: [cpuAvg], min: [cpuAvg], max: [cpuMax] },
    rssBytes: { avg: [rssMaxBytes], min: [rssMaxBytes], max: [rssMaxBytes] },
    cpuAvg,
    cpuMax,
    rssMaxBytes,
    processes,
  };
}

function result(by: 'role' | 'extension', groups: LoadGroup[]): LoadByGroupResult {
  return { from: FROM, to: NOW, tier: 'raw', bucketMs: 15_000, t: [FROM], by, groups };
}

function proc(pid: number, over: Partial<ProcessSample>): ProcessSample {
  return {
    pid,
    ppid: 1,
    startTime: NOW - 60_000,
    name: 'node',
    command: '',
    user: 'me',
    state: 'S',
    cpu: 0,
    rssBytes: 0,
    threads: 1,
    ...over,
  };
}

function input(over: Partial<DiagnosticsInput> = {}): DiagnosticsInput {
  return {
    now: NOW,
    vscodeVersion: '1.100.3',
    vitalsVersion: '0.1.0',
    platform: 'linux',
    arch: 'x64',
    osRelease: '6.1.0',
    byRole: result('role', [
      group('extension-host', 'extension-host', 12.5, 40, 300 * 1024 * 1024, 2),
      group('pty-host', 'pty-host', 0.5, 1, 50 * 1024 * 1024),
    ]),
    byExtension: result('extension', [
      group('vscode.typescript-language-features', 'TypeScript and JavaScript Language Features', 30, 95.5, 800 * 1024 * 1024),
    ]),
    processes: [
      proc(100, {
        cpu: 5,
        rssBytes: 200 * 1024 * 1024,
        role: { kind: 'extension-host', detail: 'my-app' },
        command: 'node --host --token=***',
      }),
      proc(101, {
        cpu: 9,
        rssBytes: 400 * 1024 * 1024,
        role: {
          kind: 'extension',
          detail: 'language server',
          extensionId: 'vscode.typescript-language-features',
          extensionName: 'TypeScript and JavaScript Language Features',
          hostPid: 100,
        },
      }),
      proc(102, { cpu: 1, role: { kind: 'extension-host', detail: 'other|app' } }),
      proc(103, {
        cpu: 2.5,
        rssBytes: 80 * 1024 * 1024,
        role: { kind: 'server', detail: '', commit: 'a'.repeat(40), leftBehindSince: NOW - 3_600_000, leftBehindReason: 'commit-gone' },
      }),
      proc(200, { cpu: 50, name: 'make' }),
    ],
    ownHostPid: 100,
    commandLineMode: 'redacted',
    ...over,
  };
}

describe('buildDiagnostics', () => {
  it('names the environment, the load by role and by extension, and the VS Code processes now', () => {
    const md = buildDiagnostics(input());
    expect(md).toContain('- VS Code: 1.100.3');
    expect(md).toContain('- Vitals: 0.1.0');
    expect(md).toContain('- Platform: linux x64, OS release 6.1.0');
    expect(md).toContain('- Windows (extension hosts seen): 2');
    expect(md).toContain('- Left behind by VS Code: 1 process, 2.5% CPU, 80.0 MB now');
    expect(md).toContain('| 103 | VS Code server aaaaaaaaaa · left behind 1 h |');
    expect(md).toContain('## Load by role (last 15 min)');
    expect(md).toMatch(/\| extension host \| 12\.5% \| 40\.0% \| 300 MB \| 2 \|/);
    expect(md).toMatch(/\| pty host \| 0\.5% \| 1\.0% \|/);
    expect(md).toMatch(/\| TypeScript and JavaScript Language Features \(vscode\.typescript-language-features\) \| 30\.0% \| 95\.5% \|/);
    // Processes with a role only, busiest first; this window named; pipes in names escaped.
    const now = md.slice(md.indexOf('## VS Code processes now'));
    expect(now).not.toContain('| 200 |');
    expect(now.indexOf('| 101 |')).toBeLessThan(now.indexOf('| 100 |'));
    expect(now).toContain('extension host (this window: my-app)');
    expect(now).toContain('extension host (window: other\\|app)');
    expect(now).toContain('language server · TypeScript and JavaScript Language Features');
    expect(now).toContain('`node --host --token=***`');
    expect(now).toContain('secrets masked');
  });

  it('leaves command lines out when the setting is off', () => {
    const md = buildDiagnostics(input({ commandLineMode: 'off', processes: input().processes.map((p) => ({ ...p, command: '' })) }));
    expect(md).not.toContain('Command line |');
    expect(md).toContain('`vitals.privacy.commandLine` is `off`');
  });

  it('says so when nothing was recorded', () => {
    const md = buildDiagnostics(input({ byRole: result('role', []), byExtension: result('extension', []), processes: [] }));
    expect(md).toContain('- Windows (extension hosts seen): unknown');
    expect(md).toContain('- Left behind by VS Code: none');
    expect(md.match(/_none recorded_/g)).toHaveLength(2);
    expect(md).toContain('_No process with a VS Code role in the latest sample._');
  });
});
