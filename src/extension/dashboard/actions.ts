// The dashboard's buttons run the same commands as the palette (one implementation of each dialog,
// progress and confirmation), passing what the dashboard knows: the range on screen, the selected
// process. The commands report their own failures and return undefined when cancelled or failed.

import * as vscode from 'vscode';
import type { BackendStatus, BackupInfo, ExportResult } from '../../backend';
import type { WorkerConnection } from '../worker/connection';
import { CommandId } from '../commands/ids';
import type { ActionResult } from '../../shared/dashboardProtocol';
import { storageHealth, type DashboardActions } from './router';
import { errorText } from '../../shared/errors';

const NOT_DONE: ActionResult = { done: false };

async function run<T>(id: string, ...args: unknown[]): Promise<T | undefined> {
  return vscode.commands.executeCommand<T | undefined>(id, ...args);
}

export function createActions(backend: WorkerConnection, log: vscode.LogOutputChannel): DashboardActions {
  return {
    async export({ from, to, pid }) {
      const args = pid !== undefined ? { from, to, scope: { kind: 'pid' as const, pid } } : { from, to };
      const r = await run<ExportResult>(CommandId.exportHistory, args);
      return r ? { done: true, message: `Exported ${r.rows} rows to ${r.outPath}.` } : NOT_DONE;
    },
    async backupNow() {
      const b = await run<BackupInfo>(CommandId.backupNow);
      return b ? { done: true, message: b.path } : NOT_DONE;
    },
    async clearHistory() {
      const s = await run<BackendStatus>(CommandId.clearHistory);
      return s ? { done: true } : NOT_DONE;
    },
    async setRecording({ enabled }) {
      const s = await run<BackendStatus>(enabled ? CommandId.resumeRecording : CommandId.pauseRecording);
      return s ? { done: true } : NOT_DONE;
    },
    async openSettings() {
      await run(CommandId.openSettings);
      return { done: true };
    },
    async showLogs() {
      log.show(true);
      return { done: true };
    },
    async copyHealthJson() {
      try {
        await vscode.env.clipboard.writeText(JSON.stringify(await storageHealth(backend), null, 2));
        vscode.window.setStatusBarMessage('Vitals: storage health copied as JSON', 3000);
        return { done: true };
      } catch (err) {
        const message = errorText(err);
        log.error(`Dashboard: copying storage health failed: ${message}`);
        void vscode.window.showErrorMessage(`Vitals: copying storage health failed: ${message}`);
        return { done: false, message };
      }
    },
  };
}
