// The dashboard's entry for the rest of the extension: one panel, revealed if open and created
// otherwise, restored after a window reload by a serializer (its state lives in the webview).
import * as vscode from 'vscode';
import type { WorkerConnection } from '../worker/connection';
import { createActions } from './actions';
import { DASHBOARD_TITLE, DASHBOARD_VIEW_TYPE, DashboardView, webviewOptions } from './panel';
import type { DashboardTarget } from '../../shared/dashboardProtocol';
import { DashboardRouter } from './router';

export type { DashboardTarget };
export { DASHBOARD_VIEW_TYPE };

export interface Dashboard extends vscode.Disposable {
  /** Reveals the dashboard if open, creates it otherwise, and switches to the target. */
  show(target?: DashboardTarget): void;
}

export function registerDashboard(context: vscode.ExtensionContext, backend: WorkerConnection, log: vscode.LogOutputChannel): Dashboard {
  const router = new DashboardRouter(backend, createActions(backend, log));
  let view: DashboardView | undefined;
  let disposed = false;

  const adopt = (panel: vscode.WebviewPanel, target: DashboardTarget | null): void => {
    const v = new DashboardView(panel, context.extensionUri, backend, router, log, target);
    view = v;
    v.onDidDispose(() => {
      if (view === v) view = undefined;
    });
  };

  const serializer = vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      if (disposed) {
        panel.dispose();
        return;
      }
      // One dashboard: a second restored panel (two were open before the reload) is closed.
      if (view) {
        panel.dispose();
        return;
      }
      adopt(panel, null);
    },
  });

  const dashboard: Dashboard = {
    show(target?: DashboardTarget): void {
      if (disposed) return;
      if (view) {
        view.show(target ?? null);
        return;
      }
      const panel = vscode.window.createWebviewPanel(
        DASHBOARD_VIEW_TYPE,
        DASHBOARD_TITLE,
        { viewColumn: vscode.ViewColumn.Active, preserveFocus: false },
        webviewOptions(context.extensionUri),
      );
      adopt(panel, target ?? null);
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      serializer.dispose();
      view?.dispose();
      view = undefined;
    },
  };
  context.subscriptions.push(dashboard);
  return dashboard;
}
