// The classifier over real command lines: a code-server captured on this machine (with the
// environment variables it read), and desktop Linux/macOS/Windows and Remote-SSH listings from public
// reports (test/fixtures/vscode/). What the path or a window does not say stays unknown.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyAll, indexContexts, ownRole, type Classified, type ProcessFacts } from '../../../src/backend/vscode/classify';
import { vsCodeEnv } from '../../../src/backend/vscode/environ';
import type { ProcessRole, WindowContext } from '../../../src/backend/types';

const FIXTURES = join(__dirname, '../../fixtures/vscode');

interface Captured {
  pid: number;
  ppid: number;
  name: string;
  exe?: string;
  command: string;
  env?: Record<string, string>;
  expect?: Partial<Record<keyof ProcessRole, unknown>>;
  leftBehind?: boolean;
}

function facts(p: Captured, commandLines = true): ProcessFacts {
  const environ = Object.entries(p.env ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join('\0');
  return { pid: p.pid, ppid: p.ppid, name: p.name, command: commandLines ? p.command : '', exe: p.exe ?? '', env: vsCodeEnv(environ) };
}

function classify(procs: ProcessFacts[], contexts: WindowContext[]): Map<number, Classified> {
  const index = indexContexts(contexts);
  const mainPids = new Set(procs.flatMap((p) => (p.env?.mainPid === undefined ? [] : [p.env.mainPid])));
  return classifyAll(procs, (p) => ownRole(p, index, mainPids), index.commits);
}

const codeServer = JSON.parse(readFileSync(join(FIXTURES, 'code-server-linux.json'), 'utf8')) as {
  context: WindowContext;
  processes: Captured[];
};
const role = (roles: Map<number, Classified>, pid: number): ProcessRole | undefined => roles.get(pid)?.role;

describe('classifier: code-server 4.100.3 captured here', () => {
  const procs = codeServer.processes.map((p) => facts(p));
  const commit = codeServer.context.commit;

  it('names every process of the window that sent its context', () => {
    const roles = classify(procs, [codeServer.context]);
    expect(role(roles, 444)).toEqual({ kind: 'server', detail: '', commit: undefined });
    expect(role(roles, 456)).toMatchObject({ kind: 'server', commit });
    expect(role(roles, 786)).toMatchObject({ kind: 'file-watcher' });
    expect(role(roles, 849)).toEqual({ kind: 'extension-host', detail: 'ws', hostPid: 849, commit });
    expect(role(roles, 1137)).toEqual({
      kind: 'extension',
      detail: 'language server',
      extensionId: 'vscode.json-language-features',
      extensionName: 'JSON Language Features',
      hostPid: 849,
    });
    // TypeScript's servers live beside the extensions (appRoot/extensions/node_modules/typescript).
    for (const pid of [1191, 1192])
      expect(role(roles, pid)).toMatchObject({ kind: 'extension', detail: 'tsserver', extensionId: 'vscode.typescript-language-features' });
    expect(role(roles, 1211)).toMatchObject({
      kind: 'extension',
      detail: 'typingsInstaller',
      extensionId: 'vscode.typescript-language-features',
    });
    expect(role(roles, 1254)).toMatchObject({ kind: 'pty-host' });
    expect(role(roles, 1265)).toEqual({ kind: 'terminal', detail: 'bash', hostPid: 849 });
    // What each hangs on: its extension host, the pty host, the server.
    expect(roles.get(1137)?.anchor).toBe(849);
    expect(roles.get(1211)?.anchor).toBe(849);
    expect(roles.get(1265)?.anchor).toBe(1254);
    expect(roles.get(849)?.anchor).toBe(456);
    expect(roles.get(444)?.anchor).toBeUndefined();
    expect([...roles.values()].some((r) => r.orphan)).toBe(false);
  });

  it('before the window says anything: the hosts by their flags, their processes as an unknown extension’s', () => {
    const roles = classify(procs, []);
    expect(role(roles, 849)).toMatchObject({ kind: 'extension-host', detail: '' });
    expect(role(roles, 1137)).toEqual({ kind: 'extension', detail: 'language server', hostPid: 849 });
    expect(role(roles, 1191)).toEqual({ kind: 'extension', detail: '', hostPid: 849 });
    expect(role(roles, 1265)).toEqual({ kind: 'terminal', detail: '' });
  });

  it('with command lines off: the window’s word, the environment and parentage still tell the hosts', () => {
    const roles = classify(
      codeServer.processes.map((p) => facts(p, false)),
      [codeServer.context],
    );
    expect(role(roles, 849)).toMatchObject({ kind: 'extension-host', detail: 'ws' });
    expect(role(roles, 786)).toMatchObject({ kind: 'file-watcher' });
    expect(role(roles, 1254)).toMatchObject({ kind: 'pty-host' });
    expect(role(roles, 1265)).toMatchObject({ kind: 'terminal', detail: 'bash' });
    // No path to tell which extension: unknown, not guessed.
    expect(role(roles, 1137)).toEqual({ kind: 'extension', detail: '', hostPid: 849 });
  });

  it('a language server whose extension host is gone (re-parented to init) is left behind, not a host', () => {
    const orphan = { ...procs.find((p) => p.pid === 1137)!, ppid: 1 };
    const roles = classify(
      [orphan, { pid: 1, ppid: 0, name: 'systemd', command: '/sbin/init', exe: '/usr/lib/systemd/systemd' }],
      [codeServer.context],
    );
    expect(roles.get(1137)).toMatchObject({ role: { kind: 'extension', extensionId: 'vscode.json-language-features' }, orphan: true });
    const unnamed = classify([{ ...orphan, command: '' }], []);
    expect(unnamed.get(1137)).toEqual({ role: { kind: 'extension', detail: '' }, anchor: undefined, orphan: true });
    expect(role(classify([{ pid: 1, ppid: 0, name: 'systemd', command: '/sbin/init', exe: '' }], []), 1)).toBeUndefined();
  });
});

interface PublicCase {
  name: string;
  contexts: WindowContext[];
  processes: Captured[];
}
const publicCases = (JSON.parse(readFileSync(join(FIXTURES, 'public.json'), 'utf8')) as { cases: PublicCase[] }).cases;

describe('classifier: published command lines', () => {
  for (const c of publicCases)
    it(c.name, () => {
      const roles = classify(
        c.processes.map((p) => facts(p)),
        c.contexts,
      );
      for (const p of c.processes) {
        const behind = roles.get(p.pid)?.orphan === true || roles.get(p.pid)?.oldCommit === true;
        expect(behind, `${p.pid} left behind`).toBe(p.leftBehind ?? false);
        if (!p.expect) continue;
        const got = role(roles, p.pid);
        for (const [field, want] of Object.entries(p.expect))
          expect(got?.[field as keyof ProcessRole] ?? null, `${p.pid} ${field}`).toEqual(want);
      }
    });
});

describe('classifier: a server install of a commit no window runs', () => {
  const wsl = publicCases.find((c) => c.name.startsWith('WSL 2'))!;
  const procs = wsl.processes.map((p) => facts(p));
  const oldCommit = (roles: Map<number, Classified>) => procs.filter((p) => roles.get(p.pid)?.oldCommit).map((p) => p.pid);
  const window = wsl.contexts[0]!;

  it('is left behind while a window runs another commit, the launcher with it', () => {
    expect(oldCommit(classify(procs, [window]))).toEqual([5434, 5435, 5440, 5449]);
  });

  it('is not while a window runs its commit, nor before any window has said which it runs', () => {
    const old = role(classify(procs, []), 5449)!.commit!;
    expect(oldCommit(classify(procs, [{ ...window, commit: old }]))).toEqual([]);
    expect(oldCommit(classify(procs, []))).toEqual([]);
    // A window that could not read its commit says nothing either.
    expect(oldCommit(classify(procs, [{ ...window, commit: '' }]))).toEqual([]);
  });

  it('is not while an extension host runs under it: a window of that commit without Vitals', () => {
    const host = { pid: 5500, ppid: 5449, name: 'node', command: `${procs[3]!.command.split(' ')[0]} --type=extensionHost`, exe: '' };
    const roles = classify([...procs, host], [window]);
    expect(role(roles, 5500)?.kind).toBe('extension-host');
    expect(oldCommit(roles)).toEqual([]);
  });

  it('a server whose path names no commit (code-server) is never judged by it', () => {
    // code-server 4.100.3 and its server, with no browser tab on it.
    const server = codeServer.processes.filter((p) => p.pid === 444 || p.pid === 456).map((p) => facts(p));
    const roles = classify(server, [window]);
    expect(role(roles, 456)?.kind).toBe('server');
    expect(oldCommit(roles)).toEqual([]);
  });
});

describe('classifier: what is not VS Code’s', () => {
  it('leaves Chromium’s own --type processes, a plain node and a shell alone', () => {
    const others: ProcessFacts[] = [
      {
        pid: 10,
        ppid: 1,
        name: 'chromium',
        command: '/usr/lib/chromium/chromium --type=renderer --lang=en-US',
        exe: '/usr/lib/chromium/chromium',
      },
      { pid: 11, ppid: 1, name: 'node', command: 'node server.js --stdio', exe: '/usr/bin/node' },
      { pid: 12, ppid: 1, name: 'bash', command: '-bash', exe: '/usr/bin/bash' },
      { pid: 13, ppid: 1, name: 'node', command: 'node lsp.js --clientProcessId=99999', exe: '/usr/bin/node' },
    ];
    const roles = classify(others, [codeServer.context]);
    expect(role(roles, 10)).toBeUndefined();
    expect(role(roles, 11)).toBeUndefined();
    expect(role(roles, 12)).toBeUndefined();
    // vscode-languageclient's flag names its client: an extension's process, extension unknown.
    expect(role(roles, 13)).toEqual({ kind: 'extension', detail: 'language server', hostPid: 99999 });
  });

  it('an extension folder matches whole path segments only', () => {
    const ctx: WindowContext = { ...codeServer.context, extensions: [{ id: 'a.b', name: 'B', version: '1', path: '/x/ext/b' }] };
    const roles = classify([{ pid: 20, ppid: 1, name: 'node', command: 'node /x/ext/b-other/main.js', exe: '' }], [ctx]);
    expect(role(roles, 20)).toBeUndefined();
  });

  it('reads only VS Code’s variables from an environment', () => {
    expect(vsCodeEnv('PATH=/bin\0HOME=/root')).toBeUndefined();
    expect(vsCodeEnv('VSCODE_CRASH_REPORTER_PROCESS_TYPE=extensionHost\0VSCODE_PID=4000')).toEqual({
      host: 'extension-host',
      mainPid: 4000,
      terminal: undefined,
    });
    expect(vsCodeEnv('TERM_PROGRAM=vscode\0VSCODE_PID=abc')).toEqual({ host: undefined, mainPid: undefined, terminal: true });
  });
});
