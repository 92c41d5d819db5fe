// The wire contract of VS Code roles: a window's context (worker protocol and live feed), the
// by-group query, and roles on the snapshots the windows receive.
import { describe, expect, it } from 'vitest';
import { parseFromWorker, parseToWorker } from '../../../src/backend/protocol';
import type { WindowContext } from '../../../src/backend/types';

const context: WindowContext = {
  extensionHostPid: 4100,
  workspace: 'my-app',
  appRoot: '/usr/lib/code-server/lib/vscode',
  appName: 'code-server',
  version: '1.100.3',
  commit: '258e40fedc6cb8edf399a463ce3a9d32e7e1f6f3',
  terminals: [{ pid: 4300, name: 'bash' }],
  tasks: [{ pid: 4400, label: 'build' }],
  extensions: [
    { id: 'vscode.json-language-features', name: 'JSON Language Features', version: '1.0.0', path: '/x/extensions/json-language-features' },
  ],
};

const request = (method: string, params: unknown): unknown => ({ kind: 'request', id: 1, method, params });

describe('VS Code roles on the wire', () => {
  it('takes a window context and refuses one that is malformed or oversized, saying where', () => {
    expect(parseToWorker(request('setWindowContext', { context })).ok).toBe(true);
    const bad = parseToWorker(request('setWindowContext', { context: { ...context, extensionHostPid: -1 } }));
    expect(bad).toMatchObject({ ok: false, error: expect.stringMatching(/context\.extensionHostPid/) });
    const noName = parseToWorker(request('setWindowContext', { context: { ...context, terminals: [{ pid: 5 }] } }));
    expect(noName).toMatchObject({ ok: false, error: expect.stringMatching(/terminals\[0\]\.name/) });
    const many = Array.from({ length: 2001 }, (_, i) => ({ ...context.extensions[0]!, id: `x.e${i}` }));
    expect(parseToWorker(request('setWindowContext', { context: { ...context, extensions: many } })).ok).toBe(false);
  });

  it('takes a by-group query by extension or role only', () => {
    const q = { from: 0, to: 1000, by: 'extension', maxPoints: 100, limit: 10 };
    expect(parseToWorker(request('loadByGroup', q)).ok).toBe(true);
    expect(parseToWorker(request('loadByGroup', { ...q, by: 'role' })).ok).toBe(true);
    expect(parseToWorker(request('loadByGroup', { ...q, by: 'user' })).ok).toBe(false);
    expect(parseToWorker(request('loadByGroup', { ...q, from: 2000 })).ok).toBe(false);
  });

  it('checks the roles on a snapshot event', () => {
    const snap = (role: unknown): unknown => ({ kind: 'event', event: 'snapshot', snapshot: { t: 1, processes: [{ pid: 1, role }] } });
    expect(parseFromWorker(snap(undefined)).ok).toBe(true);
    expect(parseFromWorker(snap({ kind: 'extension', detail: 'language server', extensionId: 'a.b', hostPid: 4 })).ok).toBe(true);
    expect(parseFromWorker(snap({ kind: 'terminal', detail: 'bash', leftBehindSince: 5 })).ok).toBe(true);
    expect(parseFromWorker(snap({ kind: 'wizard', detail: '' }))).toMatchObject({ ok: false, error: expect.stringMatching(/role\.kind/) });
  });
});
