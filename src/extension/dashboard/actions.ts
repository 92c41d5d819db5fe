// The dashboard's buttons that need VS Code itself: dialogs, progress, clipboard, settings.

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat, ExportScope } from '../../backend';
import type { BackendApi } from '../backendApi';
import { formatBytesPlain } from './text';
import type { ActionResult } from './protocol';
import { storageHealth, type DashboardActions } from './router';

const NOT_DONE: ActionResult = { done: false };

function stamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

export function createActions(context: vscode.ExtensionContext, backend: BackendApi, log: vscode.LogOutputChannel): DashboardActions {
  const failed = (what: string, err: unknown): ActionResult => {
    const message = err instanceof Error ? err.message : String(err);
    log.error(`Dashboard: ${what} failed: ${message}`);
    void vscode.window.showErrorMessage(`Vitals: ${what} failed: ${message}`);
    return { done: false, message };
  };

  return {
    async export({ from, to, pid }) {
      type ScopeItem = vscode.QuickPickItem & { scope: ExportScope; slug: string };
      const scopes: ScopeItem[] = [
        { label: 'System metrics', description: 'CPU, memory, load, disk, network, filesystems', scope: { kind: 'system' }, slug: 'system' },
        { label: 'Processes', description: 'Per-process CPU and memory', scope: { kind: 'processes' }, slug: 'processes' },
      ];
      if (pid !== undefined) scopes.unshift({ label: `Process ${pid}`, description: 'The selected process only', scope: { kind: 'pid', pid }, slug: `pid${pid}` });
      const scope = await vscode.window.showQuickPick(scopes, { title: `Export ${new Date(from).toLocaleString()} – ${new Date(to).toLocaleString()}`, placeHolder: 'What to export' });
      if (!scope) return NOT_DONE;
      type FormatItem = vscode.QuickPickItem & { format: ExportFormat };
      const formats: FormatItem[] = [
        { label: 'CSV', description: 'One row per sample, for spreadsheets', format: 'csv' },
        { label: 'JSON', description: 'Structured, for scripts', format: 'json' },
      ];
      const format = await vscode.window.showQuickPick(formats, { title: 'Export format' });
      if (!format) return NOT_DONE;
      const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
      const name = `vitals-${scope.slug}-${stamp(from)}-${stamp(to)}.${format.format}`;
      const uri = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.joinPath(base, name),
        filters: format.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
        title: 'Export Vitals history',
      });
      if (!uri) return NOT_DONE;
      try {
        const result = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Vitals: exporting history', cancellable: true },
          (progress, token) => {
            let reported = 0;
            return backend.request(
              'export',
              { from, to, format: format.format, scope: scope.scope, outPath: uri.fsPath },
              {
                token,
                onProgress: (done, total) => {
                  const pct = total > 0 ? (100 * done) / total : 0;
                  progress.report({ increment: Math.max(0, pct - reported), message: `${done.toLocaleString()} of ${total.toLocaleString()} rows` });
                  reported = Math.max(reported, pct);
                },
              },
            );
          },
        );
        const message = `Exported ${result.rows.toLocaleString()} rows (${formatBytesPlain(result.bytes)}) to ${path.basename(result.outPath)}.`;
        void vscode.window.showInformationMessage(`Vitals: ${message}`, 'Open File').then((choice) => {
          if (choice) void vscode.commands.executeCommand('vscode.open', uri);
        });
        return { done: true, message };
      } catch (err) {
        return failed('export', err);
      }
    },

    async backupNow() {
      try {
        const b = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'Vitals: backing up the history database' },
          () => backend.request('backupNow', {}),
        );
        const message = `Backup written: ${b.path} (${formatBytesPlain(b.sizeBytes)}).`;
        void vscode.window.showInformationMessage(`Vitals: ${message}`);
        return { done: true, message };
      } catch (err) {
        return failed('backup', err);
      }
    },

    async clearHistory() {
      const choice = await vscode.window.showWarningMessage(
        'Clear all recorded Vitals history?',
        { modal: true, detail: 'Every recorded sample and rollup is deleted from the database. Backups are kept. This cannot be undone.' },
        'Clear History',
      );
      if (choice !== 'Clear History') return NOT_DONE;
      try {
        await backend.request('clearHistory', {});
        return { done: true, message: 'History cleared.' };
      } catch (err) {
        return failed('clearing history', err);
      }
    },

    async setRecording({ enabled }) {
      try {
        await backend.request('setRecording', { enabled });
        return { done: true };
      } catch (err) {
        return failed(enabled ? 'resuming recording' : 'pausing recording', err);
      }
    },

    async openSettings() {
      await vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${context.extension.id}`);
      return { done: true };
    },

    async copyHealthJson() {
      try {
        const health = await storageHealth(backend);
        await vscode.env.clipboard.writeText(JSON.stringify(health, null, 2));
        void vscode.window.showInformationMessage('Vitals: storage health copied as JSON.');
        return { done: true };
      } catch (err) {
        return failed('copying storage health', err);
      }
    },

    async showLogs() {
      log.show(true);
      return { done: true };
    },
  };
}
