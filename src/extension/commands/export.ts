// Export History…: range, format, scope, file, then the backend writes it with cancellable progress.
// Any field given as an argument skips its question, so tests can export without the UI.

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExportFormat, ExportRequest, ExportResult, ExportScope, Millis } from '../../backend';
import { isCancelled } from '../worker/client';
import { formatBytes, formatCount } from '../../shared/format';
import { notify, registerCommand, type CommandContext } from './context';
import {
  defaultExportName,
  FORMAT_CHOICES,
  formatInputDate,
  parseIsoDate,
  presetRange,
  RANGE_CHOICES,
  scopeChoices,
  validateDateInput,
  type RangeChoice,
} from './exportRange';
import { CommandId } from './ids';

export type ExportArgs = Partial<ExportRequest>;

export function registerExportCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand(ctx, CommandId.exportHistory, (args?: ExportArgs) => exportHistory(ctx, args ?? {}));
}

async function exportHistory(ctx: CommandContext, args: ExportArgs): Promise<ExportResult | undefined> {
  const now = Date.now();
  const range = args.from !== undefined && args.to !== undefined ? { from: args.from, to: args.to } : await askRange(now);
  if (!range) return undefined;
  const format = args.format ?? (await askFormat());
  if (!format) return undefined;
  const scope = args.scope ?? (await askScope(format));
  if (!scope) return undefined;
  const outPath = args.outPath ?? (await askFile(ctx, scope, format, now));
  if (!outPath) return undefined;

  const request: ExportRequest = { ...range, format, scope, outPath };
  ctx.log.info(
    `Exporting ${scope.kind} history ${new Date(range.from).toISOString()} – ${new Date(range.to).toISOString()} as ${format} to ${outPath}.`,
  );
  let result: ExportResult;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Vitals: exporting history', cancellable: true },
      (progress, token) => {
        let reported = 0;
        return ctx.backend.request('export', request, {
          token,
          onProgress: (done, total) => {
            const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
            progress.report({ increment: pct - reported, message: `${formatCount(done)} of ${formatCount(total)} rows` });
            reported = pct;
          },
        });
      },
    );
  } catch (err) {
    if (isCancelled(err)) {
      ctx.log.info('Export cancelled.');
      return undefined;
    }
    throw err;
  }
  ctx.log.info(`Exported ${formatCount(result.rows)} rows (${formatBytes(result.bytes)}) to ${result.outPath}.`);
  notify(
    ctx,
    'info',
    `Vitals exported ${formatCount(result.rows)} rows (${formatBytes(result.bytes)}) to ${path.basename(result.outPath)}.`,
    ['Open File'],
    () => vscode.commands.executeCommand('vscode.open', vscode.Uri.file(result.outPath)),
  );
  return result;
}

async function askRange(now: Millis): Promise<{ from: Millis; to: Millis } | undefined> {
  const pick = await vscode.window.showQuickPick(
    RANGE_CHOICES.map((c) => ({ label: c.label, choice: c.choice })),
    { title: 'Export History (1/4): time range', placeHolder: 'Which part of the history to export' },
  );
  if (!pick) return undefined;
  if (pick.choice !== 'custom') return presetRange(pick.choice as Exclude<RangeChoice, 'custom'>, now);
  const fromText = await vscode.window.showInputBox({
    title: 'Export History: from',
    prompt: 'Start, as YYYY-MM-DD or YYYY-MM-DD HH:MM (local time)',
    value: formatInputDate(now - 86_400_000),
    validateInput: (v) => validateDateInput(v),
  });
  if (fromText === undefined) return undefined;
  const from = parseIsoDate(fromText)!;
  const toText = await vscode.window.showInputBox({
    title: 'Export History: to',
    prompt: 'End, as YYYY-MM-DD or YYYY-MM-DD HH:MM (local time)',
    value: formatInputDate(now),
    validateInput: (v) => validateDateInput(v, from),
  });
  if (toText === undefined) return undefined;
  return { from, to: parseIsoDate(toText)! };
}

async function askFormat(): Promise<ExportFormat | undefined> {
  const pick = await vscode.window.showQuickPick(
    FORMAT_CHOICES.map(({ label, description, format }) => ({ label, description, format })),
    { title: 'Export History (2/4): format' },
  );
  return pick?.format;
}

async function askScope(format: ExportFormat): Promise<ExportScope | undefined> {
  const pick = await vscode.window.showQuickPick(scopeChoices(format), { title: 'Export History (3/4): what' });
  return pick?.scope;
}

async function askFile(ctx: CommandContext, scope: ExportScope, format: ExportFormat, now: Millis): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const uri = await vscode.window.showSaveDialog({
    title: 'Export History (4/4): file',
    defaultUri: vscode.Uri.joinPath(folder, defaultExportName(scope, format, now)),
    filters: FORMAT_CHOICES.find((c) => c.format === format)?.filters,
    saveLabel: 'Export',
  });
  if (!uri) return undefined;
  if (uri.scheme !== 'file') {
    notify(ctx, 'warning', 'Vitals can export only to a file on the machine it monitors.');
    return undefined;
  }
  return uri.fsPath;
}
