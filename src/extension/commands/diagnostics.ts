// Vitals: Copy Diagnostics for a Bug Report: gathers the last 15 minutes by role and by extension
// from the worker, the latest snapshot and the versions, builds the Markdown (vscode/diagnostics.ts),
// opens it in an untitled editor to read before sharing, and copies it. Returns the text.

import * as os from 'node:os';
import * as vscode from 'vscode';
import { buildDiagnostics } from '../vscode/diagnostics';
import { registerCommand, type CommandContext } from './context';
import { CommandId } from './ids';

const RANGE_MS = 15 * 60_000;
const MAX_POINTS = 60;
const GROUP_LIMIT = 20;
const EXTENSION_ID = 'vitals-dev.vitals';

export function registerDiagnosticsCommand(ctx: CommandContext): vscode.Disposable {
  return registerCommand(ctx, CommandId.copyDiagnostics, async (): Promise<string> => {
    const { backend } = ctx;
    const to = Date.now();
    const from = to - RANGE_MS;
    const [byRole, byExtension] = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Vitals: gathering diagnostics' },
      () =>
        Promise.all([
          backend.request('loadByGroup', { from, to, by: 'role', maxPoints: MAX_POINTS, limit: GROUP_LIMIT }),
          backend.request('loadByGroup', { from, to, by: 'extension', maxPoints: MAX_POINTS, limit: GROUP_LIMIT }),
        ]),
    );
    const packageJson: unknown = vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON;
    const version =
      typeof packageJson === 'object' && packageJson !== null && 'version' in packageJson ? String(packageJson.version) : 'unknown';
    const content = buildDiagnostics({
      now: to,
      vscodeVersion: vscode.version,
      vitalsVersion: version,
      platform: process.platform,
      arch: process.arch,
      osRelease: os.release(),
      byRole,
      byExtension,
      processes: backend.lastSnapshot?.processes ?? [],
      ownHostPid: process.pid,
      commandLineMode: backend.commandLineMode,
    });
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.env.clipboard.writeText(content);
    vscode.window.setStatusBarMessage('Vitals: diagnostics copied to the clipboard', 3000);
    return content;
  });
}
