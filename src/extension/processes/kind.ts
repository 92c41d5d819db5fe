// Which codicon a process gets. Deterministic rules, checked in this order:
//   zombie   state Z                                              → circle-slash
//   kernel   pid 0, kthreadd (pid 2) and its children on Linux   → gear
//   shell    bash, zsh, sh, fish, dash, ksh, tcsh, csh, pwsh, powershell, cmd, nu → terminal
//   runtime  node, VS Code / Electron, deno, bun, python, java, ruby, php, perl, dotnet → server-process
//   other                                                          → symbol-misc

import type { ProcessSample } from '../../backend';

export type ProcessKind = 'zombie' | 'kernel' | 'shell' | 'runtime' | 'other';

export const KIND_ICONS: Readonly<Record<ProcessKind, string>> = {
  zombie: 'circle-slash',
  kernel: 'gear',
  shell: 'terminal',
  runtime: 'server-process',
  other: 'symbol-misc',
};

const SHELLS = new Set(['bash', 'zsh', 'sh', 'fish', 'dash', 'ksh', 'tcsh', 'csh', 'pwsh', 'powershell', 'cmd', 'nu']);
const RUNTIME =
  /^(node|nodejs|code|code-server|code-insiders|codium|electron|deno|bun|python[\d.]*|java|ruby|php|perl|dotnet)$|^code helper/;

/** `node.exe` → `node`, `-bash` (login shell) → `bash`, case-insensitively. */
function baseName(name: string): string {
  return name
    .toLowerCase()
    .replace(/^-/, '')
    .replace(/\.exe$/, '');
}

export function processKind(p: Pick<ProcessSample, 'pid' | 'ppid' | 'name' | 'state'>, platform: string = process.platform): ProcessKind {
  if (p.state === 'Z') return 'zombie';
  if (p.pid === 0 || (platform === 'linux' && (p.pid === 2 || p.ppid === 2))) return 'kernel';
  const name = baseName(p.name);
  if (SHELLS.has(name)) return 'shell';
  if (RUNTIME.test(name)) return 'runtime';
  return 'other';
}
