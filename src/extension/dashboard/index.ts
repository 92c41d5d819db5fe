// The dashboard's entry for the rest of the extension. Placeholder until the dashboard lands: it
// keeps the signature the commands and the tree call.
import * as vscode from 'vscode';
import type { BackendApi } from '../backendApi';

export type DashboardTab = 'overview' | 'process' | 'storage';

export interface DashboardTarget {
  tab?: DashboardTab;
  process?: { pid: number; startTime: number; name: string };
}

export interface Dashboard extends vscode.Disposable {
  /** Reveals the dashboard if open, creates it otherwise, and switches to the target. */
  show(target?: DashboardTarget): void;
}

export function registerDashboard(
  _context: vscode.ExtensionContext,
  _backend: BackendApi,
  _log: vscode.LogOutputChannel,
): Dashboard {
  return {
    show: () => void vscode.window.showInformationMessage('The Vitals dashboard is not built yet.'),
    dispose: () => undefined,
  };
}
