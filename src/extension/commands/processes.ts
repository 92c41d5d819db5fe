// Commands of the Processes view: filter, sort, tree/list, and the per-process actions of its
// context menu (history, copy, kill). Item commands take the tree node VS Code passes, or, from
// tests and other callers, a plain `{ pid, startTime? }`.

import * as vscode from 'vscode';
import type { ProcessSample } from '../../backend';
import {
  checkKillTarget,
  classifyKillError,
  killOutcomeMessage,
  sameProcessAlive,
  type KillOutcome,
  type KillTarget,
  describeTarget,
} from '../processes/killTarget';
import { SORT_KEYS, type ProcessSortKey, type ProcessViewMode } from '../processes/model';
import { ProcessItem, SORT_LABELS, type FilterResult } from '../processes/provider';
import { formatBytes, formatDuration, formatPercent } from '../../shared/format';
import { notify, registerCommand, type CommandContext } from './context';
import { CommandId } from './ids';
import { errorText } from '../../shared/errors';

export type ProcessArg = ProcessItem | { pid: number; startTime?: number; name?: string } | undefined;

export type KillResult = KillOutcome | 'refused' | 'cancelled' | 'replaced' | 'not-found';

/** How long SIGTERM gets before Vitals offers SIGKILL. */
const FORCE_OFFER_DELAY_MS = 3000;

export function registerProcessCommands(ctx: CommandContext): vscode.Disposable[] {
  const { processes } = ctx;
  return [
    registerCommand(ctx, CommandId.filterProcesses, (filter?: string) => filterProcesses(ctx, filter)),
    registerCommand(ctx, CommandId.clearProcessFilter, (): FilterResult => processes.setFilter('')),
    registerCommand(ctx, CommandId.sortProcesses, (key?: ProcessSortKey) => sortProcesses(ctx, key)),
    registerCommand(ctx, CommandId.toggleProcessTree, (): ProcessViewMode => {
      const mode = processes.viewOptions.mode === 'tree' ? 'flat' : 'tree';
      processes.setMode(mode);
      return mode;
    }),
    registerCommand(ctx, CommandId.showProcessesAsTree, (): ProcessViewMode => (processes.setMode('tree'), 'tree')),
    registerCommand(ctx, CommandId.showProcessesAsList, (): ProcessViewMode => (processes.setMode('flat'), 'flat')),
    registerCommand(ctx, CommandId.showProcessesByVsCode, (): ProcessViewMode => (processes.setMode('vscode'), 'vscode')),
    registerCommand(ctx, CommandId.showProcessesByContainer, (): ProcessViewMode => (processes.setMode('containers'), 'containers')),
    registerCommand(ctx, CommandId.refreshProcesses, () => processes.refresh()),
    registerCommand(ctx, CommandId.showProcessHistory, (arg?: ProcessArg) => {
      ctx.log.debug(`Show History for ${describeArg(arg)}.`);
      const p = resolveProcess(ctx, arg);
      if (!p) return undefined;
      const target = { tab: 'process' as const, process: { pid: p.pid, startTime: p.startTime, name: p.name } };
      ctx.dashboard.show(target);
      return target;
    }),
    registerCommand(ctx, CommandId.copyPid, async (arg?: ProcessArg) => {
      const p = resolveProcess(ctx, arg);
      if (!p) return undefined;
      await vscode.env.clipboard.writeText(String(p.pid));
      vscode.window.setStatusBarMessage(`Copied pid ${p.pid}`, 2000);
      return String(p.pid);
    }),
    registerCommand(ctx, CommandId.copyCommandLine, async (arg?: ProcessArg) => {
      const p = resolveProcess(ctx, arg);
      if (!p) return undefined;
      if (!('command' in p) || !p.command) {
        notify(ctx, 'info', `Vitals has no command line for ${p.name} (pid ${p.pid}). See the setting vitals.privacy.commandLine.`);
        return undefined;
      }
      await vscode.env.clipboard.writeText(p.command);
      vscode.window.setStatusBarMessage(`Copied the command line of ${p.name}`, 2000);
      return p.command;
    }),
    registerCommand(ctx, CommandId.killProcess, (arg?: ProcessArg, options?: { confirm?: boolean }) => killProcess(ctx, arg, options)),
    registerCommand(ctx, CommandId.killLeftBehind, (arg?: ProcessItem, options?: { confirm?: boolean }) =>
      killLeftBehind(ctx, arg, options),
    ),
  ];
}

/**
 * With an argument (tests, keybindings) the filter is applied directly. Without one an input box
 * filters live as the user types; Escape restores the previous filter.
 */
async function filterProcesses(ctx: CommandContext, filter?: string): Promise<FilterResult | undefined> {
  const { processes } = ctx;
  if (typeof filter === 'string') return processes.setFilter(filter);
  const previous = processes.viewOptions.filter;
  const box = vscode.window.createInputBox();
  box.title = 'Filter Processes';
  box.prompt = 'Name, command line or pid. Empty shows all processes.';
  box.placeholder = 'e.g. node, python, 1234';
  box.value = previous;
  const live = box.onDidChangeValue((value) => {
    const r = processes.setFilter(value);
    box.validationMessage =
      value.trim() && r.matches === 0 ? { message: 'No process matches.', severity: vscode.InputBoxValidationSeverity.Info } : undefined;
  });
  try {
    const accepted = await new Promise<boolean>((resolve) => {
      box.onDidAccept(() => resolve(true));
      box.onDidHide(() => resolve(false));
      box.show();
    });
    if (!accepted) {
      processes.setFilter(previous);
      return undefined;
    }
    return processes.setFilter(box.value);
  } finally {
    live.dispose();
    box.dispose();
  }
}

async function sortProcesses(ctx: CommandContext, key?: ProcessSortKey): Promise<ProcessSortKey | undefined> {
  const { processes } = ctx;
  let chosen: ProcessSortKey | undefined = key && SORT_KEYS.includes(key) ? key : undefined;
  if (!chosen) {
    const current = processes.viewOptions.sort;
    const pick = await vscode.window.showQuickPick(
      SORT_KEYS.map((k) => ({ label: SORT_LABELS[k], description: k === current ? 'current' : undefined, key: k })),
      { title: 'Sort Processes By', placeHolder: 'CPU, memory and disk I/O put the busiest first' },
    );
    chosen = pick?.key;
  }
  if (!chosen) return undefined;
  processes.setSort(chosen);
  return chosen;
}

/** What a command was called with, for the debug log. */
function describeArg(arg: unknown): string {
  if (arg instanceof ProcessItem) return `tree item ${arg.id}`;
  if (arg === undefined) return 'no argument (the selection)';
  return JSON.stringify(arg);
}

/** The process an item command acts on, filled from the latest snapshot when only a pid was given. */
function resolveProcess(ctx: CommandContext, arg: ProcessArg): ProcessSample | KillTarget | undefined {
  if (arg instanceof ProcessItem) return arg.process;
  const list = ctx.backend.lastSnapshot?.processes ?? [];
  if (arg && typeof arg.pid === 'number') {
    const found = list.find((p) => p.pid === arg.pid && (arg.startTime === undefined || p.startTime === arg.startTime));
    if (found) return found;
    if (arg.startTime !== undefined) return { pid: arg.pid, startTime: arg.startTime, name: arg.name ?? `pid ${arg.pid}` };
    notify(ctx, 'info', `Vitals does not see a process with pid ${arg.pid}.`);
    return undefined;
  }
  const selected = ctx.processes.treeView.selection[0];
  if (selected instanceof ProcessItem) return selected.process;
  // VS Code forgets a row's descendants while it fetches a refreshed row again, and a context-menu
  // command on one of them in that moment arrives with no row at all. Doing nothing would look
  // broken; saying so lets the user choose again a moment later.
  ctx.log.info('A process command arrived without its row (the Processes view was refreshing) and nothing is selected.');
  notify(ctx, 'info', 'Vitals could not tell which process you chose: the Processes view was refreshing. Choose the command again.');
  return undefined;
}

async function killProcess(ctx: CommandContext, arg: ProcessArg, options?: { confirm?: boolean }): Promise<KillResult> {
  const p = resolveProcess(ctx, arg);
  if (!p) return 'not-found';
  const target: KillTarget = { pid: p.pid, startTime: p.startTime, name: p.name };
  const refusal = checkKillTarget(target, process.pid);
  if (refusal.refused) {
    notify(ctx, 'warning', refusal.reason);
    return 'refused';
  }
  if (options?.confirm !== false) {
    const command = 'command' in p && p.command ? `\n\n${p.command}` : '';
    const choice = await vscode.window.showWarningMessage(
      `End ${describeTarget(target)}?`,
      { modal: true, detail: `Vitals sends SIGTERM, which asks the process to exit. Unsaved work in it may be lost.${command}` },
      'End Process',
    );
    if (choice !== 'End Process') return 'cancelled';
  }
  return endProcess(ctx, target);
}

/** SIGTERM to a confirmed target, if the pid is still that process; offers SIGKILL if it stays. */
function endProcess(ctx: CommandContext, target: KillTarget): KillResult {
  const seen = sameProcessAlive(target, ctx.backend.lastSnapshot?.processes);
  if (seen === 'replaced') {
    notify(ctx, 'warning', `pid ${target.pid} now belongs to a different process; Vitals did not signal it.`);
    return 'replaced';
  }
  const outcome = signal(target, 'SIGTERM');
  ctx.log.info(killOutcomeMessage(outcome.outcome, target, 'SIGTERM', outcome.detail));
  if (outcome.outcome === 'signalled') {
    vscode.window.setStatusBarMessage(killOutcomeMessage('signalled', target, 'SIGTERM'), 3000);
    offerForceKill(ctx, target);
  } else
    notify(
      ctx,
      outcome.outcome === 'already-gone' ? 'info' : 'warning',
      killOutcomeMessage(outcome.outcome, target, 'SIGTERM', outcome.detail),
    );
  return outcome.outcome;
}

export interface KillAllResult {
  /** What happened to each process of the group, by pid; empty when cancelled or nothing to end. */
  outcomes: Record<number, KillResult>;
  cancelled: boolean;
}

/**
 * Kill All… of "Left behind by VS Code": one modal confirmation naming every process and what it
 * costs, then each one as Kill Process… would end it (refusals and replaced pids skipped). Never
 * another group's processes: the command refuses any group that is not the left-behind one.
 */
async function killLeftBehind(ctx: CommandContext, arg: ProcessItem | undefined, options?: { confirm?: boolean }): Promise<KillAllResult> {
  const item = arg instanceof ProcessItem ? arg : ctx.processes.findGroup((g) => g.kind === 'left-behind');
  const group = item && ctx.processes.groupOf(item);
  if (!group || group.kind !== 'left-behind') {
    notify(ctx, 'info', 'Vitals sees no processes left behind by VS Code.');
    return { outcomes: {}, cancelled: false };
  }
  const targets = group.members.filter((p) => !checkKillTarget(p, process.pid).refused);
  if (targets.length === 0) return { outcomes: {}, cancelled: false };
  if (options?.confirm !== false) {
    const now = Date.now();
    const list = targets
      .slice(0, 15)
      .map((p) => {
        const since = p.role?.leftBehindSince;
        const age = since !== undefined ? `, left behind ${formatDuration(Math.max(0, now - since))}` : '';
        return `• ${describeTarget(p)}: ${formatPercent(p.cpu)} CPU, ${formatBytes(p.rssBytes)}${age}`;
      })
      .join('\n');
    const more = targets.length > 15 ? `\n… and ${targets.length - 15} more` : '';
    const choice = await vscode.window.showWarningMessage(
      `End ${targets.length} process${targets.length === 1 ? '' : 'es'} left behind by VS Code?`,
      { modal: true, detail: `Vitals sends each SIGTERM, which asks it to exit.\n\n${list}${more}` },
      'End All',
    );
    if (choice !== 'End All') return { outcomes: {}, cancelled: true };
  }
  const outcomes: Record<number, KillResult> = {};
  for (const p of targets) outcomes[p.pid] = endProcess(ctx, { pid: p.pid, startTime: p.startTime, name: p.name });
  return { outcomes, cancelled: false };
}

/** `process.kill` is a direct kill(2): no shell, nothing to quote. */
function signal(target: KillTarget, sig: NodeJS.Signals): { outcome: KillOutcome; detail?: string } {
  try {
    process.kill(target.pid, sig);
    return { outcome: 'signalled' };
  } catch (err) {
    return { outcome: classifyKillError(err), detail: errorText(err) };
  }
}

function stillRunning(ctx: CommandContext, target: KillTarget): boolean {
  try {
    process.kill(target.pid, 0);
  } catch (err) {
    if (classifyKillError(err) !== 'permission-denied') return false;
  }
  // The pid exists; it must still be the same process, and not a zombie waiting for its parent.
  const seen = sameProcessAlive(target, ctx.backend.lastSnapshot?.processes);
  return seen === 'alive' || seen === 'unknown';
}

function offerForceKill(ctx: CommandContext, target: KillTarget): void {
  const timer = setTimeout(() => {
    ctx.disposables.splice(ctx.disposables.indexOf(cancel), 1);
    if (!stillRunning(ctx, target)) return;
    notify(
      ctx,
      'warning',
      `${describeTarget(target)} is still running ${FORCE_OFFER_DELAY_MS / 1000} s after SIGTERM.`,
      ['Force Kill (SIGKILL)'],
      () => {
        if (!stillRunning(ctx, target)) {
          notify(ctx, 'info', `${describeTarget(target)} has exited.`);
          return;
        }
        const r = signal(target, 'SIGKILL');
        const message = killOutcomeMessage(r.outcome, target, 'SIGKILL', r.detail);
        ctx.log.info(message);
        if (r.outcome === 'signalled') vscode.window.setStatusBarMessage(message, 3000);
        else notify(ctx, 'warning', message);
      },
    );
  }, FORCE_OFFER_DELAY_MS);
  const cancel = { dispose: () => clearTimeout(timer) };
  ctx.disposables.push(cancel);
}
