// Which processes Kill Process… may signal, and what a signal's outcome means. Pure, so the refusals
// are unit-tested; the command does the confirming and signalling.

import type { ProcessSample } from '../../backend';

export interface KillTarget {
  pid: number;
  startTime: number;
  name: string;
}

export type KillRefusal = { refused: true; reason: string } | { refused: false };

/**
 * `process.kill(0)` signals our own process group, `process.kill(-n)` a whole group and pid 1 is
 * init: none of those is "end this process". The extension host is refused because ending it takes
 * every extension of this window down with it.
 */
export function checkKillTarget(target: KillTarget, ownPid: number): KillRefusal {
  if (!Number.isSafeInteger(target.pid) || target.pid <= 0)
    return { refused: true, reason: `${target.pid} is not a process id Vitals can end.` };
  if (target.pid === 1) return { refused: true, reason: `Vitals will not end ${target.name} (pid 1): it is the system's init process.` };
  if (target.pid === ownPid)
    return {
      refused: true,
      reason: `Vitals will not end ${describeTarget(target)}: it is this window's extension host, which runs Vitals itself. Use "Developer: Restart Extension Host" instead.`,
    };
  return { refused: false };
}

/**
 * Whether the latest snapshot still shows the same process: a pid alone may already belong to a new
 * process, which we must not signal.
 */
export function sameProcessAlive(
  target: KillTarget,
  processes: readonly ProcessSample[] | undefined,
): 'alive' | 'gone' | 'replaced' | 'unknown' {
  if (!processes) return 'unknown';
  const now = processes.find((p) => p.pid === target.pid);
  if (!now) return 'gone';
  if (now.startTime !== target.startTime) return 'replaced';
  return now.state === 'Z' ? 'gone' : 'alive';
}

export type KillOutcome = 'signalled' | 'already-gone' | 'permission-denied' | 'failed';

export function classifyKillError(err: unknown): KillOutcome {
  const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : undefined;
  if (code === 'ESRCH') return 'already-gone';
  if (code === 'EPERM') return 'permission-denied';
  return 'failed';
}

/** "node (pid 42)", or just "pid 42" when the name is not known. */
export function describeTarget(target: Pick<KillTarget, 'name' | 'pid'>): string {
  return target.name === `pid ${target.pid}` ? target.name : `${target.name} (pid ${target.pid})`;
}

export function killOutcomeMessage(outcome: KillOutcome, target: KillTarget, signal: NodeJS.Signals, detail?: string): string {
  const who = describeTarget(target);
  switch (outcome) {
    case 'signalled':
      return `Sent ${signal} to ${who}.`;
    case 'already-gone':
      return `${who} has already exited.`;
    case 'permission-denied':
      return `You don't have permission to end ${who}.`;
    case 'failed':
      return `Could not end ${who}${detail ? `: ${detail}` : '.'}`;
  }
}

/**
 * `process;cmd;killable`: menus show Copy Command Line only with a command line and Kill only for
 * processes Vitals would agree to end.
 */
export function processContextValue(p: ProcessSample, ownPid: number): string {
  let v = 'process';
  if (p.command) v += ';cmd';
  if (!checkKillTarget(p, ownPid).refused) v += ';killable';
  return v;
}
