import { describe, expect, it } from 'vitest';
import type { ProcessRole, ProcessSample } from '../../../src/backend/types';
import { buildVsCodeView } from '../../../src/extension/processes/vscodeGroups';
import type { ProcessNode, ProcessViewOptions } from '../../../src/extension/processes/model';
import { groupContextValue } from '../../../src/extension/processes/groupText';
import { groupDescription } from '../../../src/extension/processes/tooltip';

let nextStart = 1_700_000_000_000;
function proc(pid: number, ppid: number, name: string, role?: ProcessRole, over: Partial<ProcessSample> = {}): ProcessSample {
  return { pid, ppid, startTime: nextStart++, name, command: name, user: 'me', state: 'S', cpu: 0, rssBytes: 0, threads: 1, role, ...over };
}
const opts = (o: Partial<ProcessViewOptions> = {}): ProcessViewOptions => ({ mode: 'vscode', sort: 'cpu', filter: '', ...o });
const MB = 1024 * 1024;
const TS = { extensionId: 'vscode.typescript-language-features', extensionName: 'TypeScript and JavaScript Language Features' };

/** `label[children]`: groups by label, processes by pid. */
const outline = (nodes: readonly ProcessNode[]): string =>
  nodes.map((n) => `${n.group ? n.group.label : n.process.pid}${n.children.length ? `[${outline(n.children)}]` : ''}`).join(', ');

// A code-server session: its server, two windows' extension hosts (this one is 300), a pty host
// with two terminals, a task, the TypeScript server of this window, an unrelated sshd.
const OWN = 300;
const machine = [
  proc(1, 0, 'systemd'),
  proc(50, 1, 'sshd'),
  proc(100, 1, 'node', { kind: 'server', detail: '', commit: 'abcdef1234567890' }),
  proc(300, 100, 'node', { kind: 'extension-host', detail: 'my-app' }, { cpu: 10, rssBytes: 200 * MB }),
  proc(301, 300, 'node', { kind: 'extension', detail: 'language server', ...TS, hostPid: 300 }, { cpu: 30, rssBytes: 400 * MB }),
  // A typings installer under the language server: no role of its own, goes with its ancestor.
  proc(302, 301, 'node', undefined, { cpu: 5, rssBytes: 50 * MB }),
  proc(303, 300, 'node', { kind: 'unknown', detail: '', hostPid: 300 }, { cpu: 1, rssBytes: 10 * MB }),
  proc(400, 100, 'node', { kind: 'extension-host', detail: 'other-repo' }, { cpu: 50, rssBytes: 100 * MB }),
  proc(401, 400, 'node', {
    kind: 'extension',
    detail: 'linter',
    extensionId: 'dbaeumer.vscode-eslint',
    extensionName: 'ESLint',
    hostPid: 400,
  }),
  proc(500, 100, 'node', { kind: 'pty-host', detail: '' }, { cpu: 0.5, rssBytes: 30 * MB }),
  proc(501, 500, 'bash', { kind: 'terminal', detail: 'bash' }, { rssBytes: 5 * MB }),
  proc(502, 501, 'make', undefined, { cpu: 99, rssBytes: 20 * MB }),
  proc(503, 500, 'zsh', { kind: 'terminal', detail: 'zsh' }),
  proc(600, 500, 'sh', { kind: 'task', detail: 'build' }, { cpu: 2, rssBytes: 1 * MB }),
  proc(
    700,
    1,
    'node',
    { kind: 'extension', detail: 'language server', ...TS, hostPid: 999, leftBehindSince: 1_700_000_000_000 },
    { rssBytes: 80 * MB },
  ),
  // An extension process whose extension host is not in the sample (another namespace).
  proc(800, 1, 'python', {
    kind: 'extension',
    detail: 'debug adapter',
    extensionId: 'ms-python.python',
    extensionName: 'Python',
    hostPid: 12345,
  }),
];

describe('buildVsCodeView', () => {
  const v = buildVsCodeView(machine, opts(), OWN);

  it('groups windows (this one first), VS Code, terminals, tasks, extensions, left behind and the rest', () => {
    expect(v.roots.map((n) => n.group?.label)).toEqual([
      'Window: my-app (this window)',
      'Window: other-repo',
      'VS Code',
      'Terminals',
      'Tasks',
      'Extensions',
      'Left behind by VS Code',
      'Other processes',
    ]);
    expect(outline(v.roots)).toBe(
      [
        'Window: my-app (this window)[300[TypeScript and JavaScript Language Features[301[302]], Other processes of this window[303]]]',
        'Window: other-repo[400[ESLint[401]]]',
        'VS Code[100[500]]',
        'Terminals[501[502], 503]',
        'Tasks[600]',
        'Extensions[Python[800]]',
        'Left behind by VS Code[700]',
        'Other processes[1[50]]',
      ].join(', '),
    );
    expect(v.total).toBe(machine.length);
    expect(v.matchCount).toBe(machine.length);
  });

  it('sums every process under a group', () => {
    const mine = v.roots[0]!;
    expect(mine.group?.cpu).toBeCloseTo(10 + 30 + 5 + 1);
    expect(mine.group?.rssBytes).toBe((200 + 400 + 50 + 10) * MB);
    expect(mine.group?.members.map((p) => p.pid).sort()).toEqual([300, 301, 302, 303]);
    const ts = v.byId.get(`vscode/group/ext/300/${TS.extensionId}`);
    expect(ts?.group?.cpu).toBeCloseTo(35);
    expect(groupDescription(ts!.group!)).toBe('35.0% · 450 MB · 2 processes');
    const terminals = v.roots.find((n) => n.group?.kind === 'terminals')!;
    expect(groupDescription(terminals.group!)).toBe('99.0% · 25.0 MB · 3 processes');
  });

  it('gives ids no other mode uses, unique across groups', () => {
    const ids = [...v.byId.keys()];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith('vscode/'))).toBe(true);
  });

  it('orders extension groups by the sort and keeps this window first whatever its load', () => {
    const byMemory = buildVsCodeView(machine, opts({ sort: 'memory' }), 400);
    expect(byMemory.roots[0]!.group?.label).toBe('Window: other-repo (this window)');
    expect(byMemory.roots[1]!.group?.label).toBe('Window: my-app');
  });

  it('filters by role text too, dropping groups left empty', () => {
    const f = buildVsCodeView(machine, opts({ filter: 'terminal:' }), OWN);
    expect(outline(f.roots)).toBe('Terminals[501, 503]');
    expect(f.matchCount).toBe(2);
    const ext = buildVsCodeView(machine, opts({ filter: 'eslint' }), OWN);
    expect(outline(ext.roots)).toBe('Window: other-repo[400[ESLint[401]]]');
  });

  it('offers Kill All only on the left-behind group, and not for this extension host', () => {
    const left = v.roots.find((n) => n.group?.kind === 'left-behind')!.group!;
    expect(groupContextValue(left, OWN)).toBe('processGroup;left-behind;killable');
    expect(groupContextValue(v.roots[0]!.group!, OWN)).toBe('processGroup;window');
    expect(groupContextValue({ ...left, members: [proc(OWN, 1, 'node')] }, OWN)).toBe('processGroup;left-behind');
  });

  it('shows an empty machine as nothing, and a machine without VS Code as other processes only', () => {
    expect(buildVsCodeView([], opts(), OWN).roots).toEqual([]);
    const plain = buildVsCodeView([proc(1, 0, 'init'), proc(2, 1, 'bash')], opts(), OWN);
    expect(outline(plain.roots)).toBe('Other processes[1[2]]');
  });

  it('survives a ppid cycle among role-less processes', () => {
    const a = proc(20, 21, 'a');
    const b = proc(21, 20, 'b');
    expect(buildVsCodeView([a, b], opts(), OWN).total).toBe(2);
  });
});
