import { describe, expect, it } from 'vitest';
import type { ProcessRole, ProcessSample } from '../../../src/backend/types';
import { roleText } from '../../../src/shared/roleText';
import { processDescription, processTooltipMarkdown } from '../../../src/extension/processes/tooltip';

const role = (r: Partial<ProcessRole> & Pick<ProcessRole, 'kind'>): ProcessRole => ({ detail: '', ...r });

describe('roleText', () => {
  it('names each role the way the issue spells it', () => {
    expect(roleText(role({ kind: 'extension-host', detail: 'my-app' }), 42, 42)).toBe('extension host (this window: my-app)');
    expect(roleText(role({ kind: 'extension-host', detail: 'other' }), 43, 42)).toBe('extension host (window: other)');
    expect(roleText(role({ kind: 'extension-host' }), 42, 42)).toBe('extension host (this window: no folder)');
    expect(roleText(role({ kind: 'terminal', detail: 'bash' }), 1, 42)).toBe('terminal: bash');
    expect(roleText(role({ kind: 'task', detail: 'build' }), 1, 42)).toBe('task: build');
    expect(roleText(role({ kind: 'pty-host' }), 1, 42)).toBe('pty host');
    expect(
      roleText(
        role({
          kind: 'extension',
          detail: 'language server',
          extensionId: 'vscode.typescript-language-features',
          extensionName: 'TypeScript and JavaScript Language Features',
        }),
        1,
        42,
      ),
    ).toBe('language server · TypeScript and JavaScript Language Features');
    expect(roleText(role({ kind: 'extension', extensionId: 'me.spawner' }), 1, 42)).toBe('process · me.spawner');
    expect(roleText(role({ kind: 'utility', detail: 'network.mojom.NetworkService' }), 1, 42)).toBe(
      'utility: network.mojom.NetworkService',
    );
    expect(roleText(role({ kind: 'server', commit: '258e40fedc6cb8edf399a463ce3a9d32e7e1f6f3' }), 1, 42)).toBe('VS Code server 258e40fedc');
    expect(roleText(role({ kind: 'unknown' }), 1, 42)).toBe('VS Code process');
    expect(roleText(role({ kind: 'extension', detail: 'language server', extensionName: 'Go', leftBehindSince: 5 }), 1, 42)).toBe(
      'language server · Go · left behind',
    );
  });
});

describe('a process row with a role', () => {
  const p: ProcessSample = {
    pid: 501,
    ppid: 500,
    startTime: 1_700_000_000_000,
    name: 'node',
    command: 'node /ext/me.spawner-1.0.0/server.js',
    user: 'me',
    state: 'S',
    cpu: 12.34,
    rssBytes: 145 * 1024 * 1024,
    threads: 7,
    role: { kind: 'extension', detail: 'server', extensionId: 'me.spawner', extensionName: 'Spawner', hostPid: 42 },
  };

  it('names the role before its figures', () => {
    expect(processDescription(p, 42)).toBe('server · Spawner · 12.3% · 145 MB');
    expect(processDescription({ ...p, role: undefined }, 42)).toBe('12.3% · 145 MB');
  });

  it('adds the extension id, version and path to the tooltip', () => {
    const md = processTooltipMarkdown(p, 'full', p.startTime, 42, (id) =>
      id === 'me.spawner' ? { id, name: 'Spawner', version: '1.0.0', path: '/home/me/.vscode/extensions/me.spawner-1.0.0' } : undefined,
    );
    expect(md).toContain('| VS Code role | server · Spawner |');
    expect(md).toContain('| Extension | Spawner (`me.spawner`) |');
    expect(md).toContain('| Version | 1\\.0\\.0 |');
    expect(md).toContain('| Path | `/home/me/.vscode/extensions/me.spawner-1.0.0` |');
    expect(md).toContain('| Extension host | pid 42 (this window) |');
  });
});
