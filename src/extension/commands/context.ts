// What the command handlers work with, and the wrapper that registers them: every handler's failure
// is logged with its command id and shown once, plainly; handlers return their result so tests can
// `await executeCommand(...)`.

import * as vscode from 'vscode';
import type { WorkerClient } from '../worker/client';
import type { Dashboard } from '../dashboard';
import type { ProcessesProvider } from '../processes/provider';
import { background } from '../log';
import type { CommandIdValue } from './ids';
import { errorText } from '../../shared/errors';

export interface CommandContext {
  backend: WorkerClient;
  dashboard: Dashboard;
  processes: ProcessesProvider;
  log: vscode.LogOutputChannel;
  /** Timers and other leftovers of commands (the SIGKILL offer) to cancel on deactivate. */
  disposables: vscode.Disposable[];
}

export type Handler = (...args: never[]) => unknown;

export function registerCommand(ctx: CommandContext, id: CommandIdValue, handler: Handler): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await (handler as (...a: unknown[]) => unknown)(...args);
    } catch (err) {
      ctx.log.error(`${id} failed:`, err);
      const message = errorText(err);
      notify(ctx, 'error', `Vitals: ${message}`, ['Show Logs']);
      return undefined;
    }
  });
}

/**
 * Shows a message without waiting for it: a command that awaited a notification would not return
 * until someone clicks it. The chosen action, if any, goes to `onChoice`.
 */
export function notify(
  ctx: Pick<CommandContext, 'log'>,
  severity: 'info' | 'warning' | 'error',
  message: string,
  actions: readonly string[] = [],
  onChoice?: (choice: string) => unknown,
): void {
  const show =
    severity === 'error'
      ? vscode.window.showErrorMessage
      : severity === 'warning'
        ? vscode.window.showWarningMessage
        : vscode.window.showInformationMessage;
  background(
    show(message, ...actions).then((choice) => {
      if (choice === undefined) return undefined;
      if (choice === 'Show Logs') {
        ctx.log.show(true);
        return undefined;
      }
      return onChoice?.(choice);
    }),
    ctx.log,
    'Showing a message',
  );
}
