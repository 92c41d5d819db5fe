// What a VS Code process is, in words: the one text of a role for the Processes view, its tooltips,
// the dashboard and the diagnostics report, so a process reads the same everywhere
// (`extension host (this window: my-app)`, `terminal: bash`, `task: build`, `pty host`,
// `language server · TypeScript and JavaScript Language Features`).

import type { ProcessRole, RoleKind } from '../backend/index';
import { formatDuration } from './format';

const KIND_TEXT: Readonly<Record<RoleKind, string>> = {
  main: 'VS Code main',
  'extension-host': 'extension host',
  'pty-host': 'pty host',
  'file-watcher': 'file watcher',
  'shared-process': 'shared process',
  renderer: 'window renderer',
  gpu: 'GPU process',
  utility: 'utility process',
  crashpad: 'crash reporter',
  zygote: 'zygote',
  server: 'VS Code server',
  terminal: 'terminal',
  task: 'task',
  extension: 'extension process',
  unknown: 'VS Code process',
};

/** A role kind as stored (`loadByGroup` by role keys its groups by kind) in words; undefined if not a kind. */
export function roleKeyText(key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(KIND_TEXT, key) ? KIND_TEXT[key as RoleKind] : undefined;
}

/** The extension's display name, else its id. */
export function extensionText(role: Pick<ProcessRole, 'extensionId' | 'extensionName'>): string {
  return role.extensionName || role.extensionId || '';
}

/**
 * The role as a row's label names it. `ownHostPid` is the extension host of the window asking (its
 * `process.pid`): that one is "this window". `pid` is the process the role belongs to. With `now`, a
 * process left behind says for how long, in whole minutes (a row is redrawn when its text changes).
 */
export function roleText(role: ProcessRole, pid: number, ownHostPid: number, now?: number): string {
  const detail = role.detail.trim();
  let text: string;
  switch (role.kind) {
    case 'extension-host': {
      const mine = pid === ownHostPid;
      const where = detail || 'no folder';
      text = `extension host (${mine ? 'this window' : 'window'}: ${where})`;
      break;
    }
    case 'terminal':
    case 'task':
      text = `${role.kind}: ${detail || 'unnamed'}`;
      break;
    case 'extension': {
      const ext = extensionText(role);
      const what = detail || 'process';
      text = ext ? `${what} · ${ext}` : what;
      break;
    }
    case 'server':
      text = role.commit ? `VS Code server ${role.commit.slice(0, 10)}` : 'VS Code server';
      if (detail) text += ` · ${detail}`;
      break;
    case 'utility':
      text = detail ? `utility: ${detail}` : KIND_TEXT.utility;
      break;
    default: {
      const ext = extensionText(role);
      text = ext ? `${KIND_TEXT[role.kind]} · ${ext}` : KIND_TEXT[role.kind];
    }
  }
  if (role.leftBehindSince === undefined) return text;
  if (now === undefined) return `${text} · left behind`;
  const minutes = Math.floor(Math.max(0, now - role.leftBehindSince) / 60_000);
  return `${text} · left behind ${minutes === 0 ? '< 1 min' : formatDuration(minutes * 60_000)}`;
}
