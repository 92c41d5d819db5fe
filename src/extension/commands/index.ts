// Registers every Vitals command. One module per group; ids in `ids.ts`.

import * as vscode from 'vscode';
import { registerCommand, type CommandContext } from './context';
import { registerDiagnosticsCommand } from './diagnostics';
import { registerExportCommand } from './export';
import { CommandId } from './ids';
import { registerProcessCommands } from './processes';
import { registerStorageCommands } from './storage';

export const SETTINGS_QUERY = '@ext:vitals-dev.vitals';

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return [
    registerCommand(ctx, CommandId.showDashboard, () => {
      ctx.dashboard.show();
      return true;
    }),
    registerCommand(ctx, CommandId.showLogs, () => {
      ctx.log.show(true);
      return true;
    }),
    registerCommand(ctx, CommandId.openSettings, () => vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_QUERY)),
    registerExportCommand(ctx),
    ...registerStorageCommands(ctx),
    ...registerProcessCommands(ctx),
    registerDiagnosticsCommand(ctx),
  ];
}
