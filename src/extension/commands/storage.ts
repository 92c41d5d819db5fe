// Commands about the recorder and its database: pause/resume, storage health, clear, backups.

import * as vscode from 'vscode';
import type { BackendStatus, BackupInfo, HealthReport } from '../../backend';
import { formatBytes, formatDateTime } from '../../shared/format';
import { healthText } from '../../shared/healthText';
import { notify, registerCommand, type CommandContext } from './context';
import { CommandId } from './ids';

export function registerStorageCommands(ctx: CommandContext): vscode.Disposable[] {
  const { backend, log } = ctx;
  const setRecording = async (enabled: boolean): Promise<BackendStatus> => {
    const status = await backend.setRecording(enabled);
    log.info(`Recording ${enabled ? 'resumed' : 'paused'} for this session.`);
    vscode.window.setStatusBarMessage(`Vitals: recording ${enabled ? 'resumed' : 'paused'}`, 3000);
    return status;
  };
  return [
    registerCommand(ctx, CommandId.pauseRecording, () => setRecording(false)),
    registerCommand(ctx, CommandId.resumeRecording, () => setRecording(true)),
    registerCommand(ctx, CommandId.showStorageHealth, async (): Promise<HealthReport> => {
      const report = await backend.request('health', {});
      log.info(healthText(report));
      ctx.dashboard.show({ tab: 'storage' });
      return report;
    }),
    registerCommand(ctx, CommandId.clearHistory, (options?: { confirm?: boolean; backupFirst?: boolean }) => clearHistory(ctx, options)),
    registerCommand(ctx, CommandId.backupNow, async (): Promise<BackupInfo> => {
      const backup = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Vitals: backing up the history' },
        () => backend.request('backupNow', {}),
      );
      log.info(`Backed up the history to ${backup.path} (${formatBytes(backup.sizeBytes)}).`);
      notify(ctx, 'info', `Vitals backed up the history (${formatBytes(backup.sizeBytes)}) to ${backup.path}.`);
      return backup;
    }),
    registerCommand(ctx, CommandId.restoreBackup, (from?: string, options?: { confirm?: boolean }) => restoreBackup(ctx, from, options)),
  ];
}

/**
 * Clearing is final for the database (the recorder checkpoints at once, so no old command line stays
 * in the file), so the confirmation offers the one undo there is: a backup taken just before.
 */
async function clearHistory(
  ctx: CommandContext,
  options?: { confirm?: boolean; backupFirst?: boolean },
): Promise<BackendStatus | undefined> {
  let backupFirst = options?.backupFirst === true;
  if (options?.confirm !== false) {
    const backUpAndClear = 'Back Up, Then Clear';
    const clearOnly = 'Clear History';
    const choice = await vscode.window.showWarningMessage(
      'Delete all of the history Vitals has recorded?',
      {
        modal: true,
        detail:
          'Every sample, rollup and recorded command line is removed from the database at once. ' +
          'Existing backups are kept and still hold the history they were made from. ' +
          'Back up first if you may want this history back (Restore from Backup… brings it back).',
      },
      backUpAndClear,
      clearOnly,
    );
    if (choice !== backUpAndClear && choice !== clearOnly) return undefined;
    backupFirst = choice === backUpAndClear;
  }
  if (backupFirst) {
    const backup = await ctx.backend.request('backupNow', {});
    ctx.log.info(`Backed up the history to ${backup.path} (${formatBytes(backup.sizeBytes)}) before clearing it.`);
  }
  const status = await ctx.backend.request('clearHistory', {});
  ctx.log.info('History cleared.');
  vscode.window.setStatusBarMessage(backupFirst ? 'Vitals: history backed up and cleared' : 'Vitals: history cleared', 3000);
  return status;
}

async function restoreBackup(ctx: CommandContext, from?: string, options?: { confirm?: boolean }): Promise<BackendStatus | undefined> {
  const backups = await ctx.backend.request('listBackups', {});
  let chosen: BackupInfo | undefined =
    typeof from === 'string' ? (backups.find((b) => b.path === from) ?? { path: from, createdAt: NaN, sizeBytes: NaN }) : undefined;
  if (!chosen) {
    if (backups.length === 0) {
      notify(ctx, 'info', 'Vitals has no backups yet.', ['Back Up Now'], () => vscode.commands.executeCommand(CommandId.backupNow));
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      [...backups]
        .sort((a, b) => b.createdAt - a.createdAt)
        .map((b) => ({ label: formatDateTime(b.createdAt), description: formatBytes(b.sizeBytes), detail: b.path, backup: b })),
      { title: 'Restore from Backup', placeHolder: 'The backup to restore the history from', matchOnDetail: true },
    );
    chosen = pick?.backup;
  }
  if (!chosen) return undefined;
  if (options?.confirm !== false) {
    const when = Number.isNaN(chosen.createdAt) ? chosen.path : formatDateTime(chosen.createdAt);
    const choice = await vscode.window.showWarningMessage(
      `Restore the history from the backup of ${when}?`,
      { modal: true, detail: 'The history recorded since that backup is replaced by the backup’s contents.' },
      'Restore',
    );
    if (choice !== 'Restore') return undefined;
  }
  const target = chosen;
  const status = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Vitals: restoring the history' },
    () => ctx.backend.request('restore', { from: target.path }),
  );
  ctx.log.info(`Restored the history from ${target.path}.`);
  notify(
    ctx,
    'info',
    `Vitals restored the history from ${Number.isNaN(target.createdAt) ? target.path : `the backup of ${formatDateTime(target.createdAt)}`}.`,
  );
  return status;
}
