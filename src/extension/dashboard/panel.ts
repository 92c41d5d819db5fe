// One open dashboard: its webview's HTML, the message loop, and the live feed, which only flows
// while the panel is visible. With retainContextWhenHidden off VS Code drops a hidden webview's
// document; the app says `ready` again when it comes back and gets a fresh `init`.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { WorkerConnection } from '../worker/connection';
import { dashboardHtml } from './html';
import type { DashboardTarget, ExtensionMessage } from '../../shared/dashboardProtocol';
import { initMessage, toLiveSample, type DashboardRouter } from './router';
import { parseWebviewMessage } from '../../shared/dashboardChecks';

export const DASHBOARD_VIEW_TYPE = 'vitals.dashboard';
export const DASHBOARD_TITLE = 'Vitals';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class DashboardView implements vscode.Disposable {
  /** The webview has asked for `init` since it last became visible: messages reach a live document. */
  private ready = false;
  /** Where `show()` asked to go while the document was not ready; delivered with the next `init`. */
  private pendingTarget: DashboardTarget | null;
  private readonly disposables: vscode.Disposable[] = [];
  private disposed = false;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly backend: WorkerConnection,
    private readonly router: DashboardRouter,
    private readonly log: vscode.LogOutputChannel,
    target: DashboardTarget | null,
  ) {
    this.pendingTarget = target;
    panel.webview.options = webviewOptions(extensionUri);
    panel.webview.html = this.html();
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
      panel.onDidChangeViewState(() => this.onViewState()),
      panel.onDidDispose(() => this.dispose()),
      backend.onSnapshot((s) => {
        if (this.ready && this.panel.visible) this.post({ kind: 'live', sample: toLiveSample(s) });
      }),
      backend.onStatus((status) => {
        if (this.ready && this.panel.visible) this.post({ kind: 'status', status });
      }),
    );
  }

  show(target: DashboardTarget | null): void {
    const p = this.panel;
    this.log.debug(
      `Dashboard: show ${target ? JSON.stringify(target) : '(no target)'}; ready ${this.ready}, visible ${p.visible}, active ${p.active}.`,
    );
    if (target) {
      if (this.ready && p.visible) this.post({ kind: 'show', target });
      else this.pendingTarget = target;
    }
    p.reveal(undefined, false);
  }

  private html(): string {
    const w = this.panel.webview;
    const asUri = (...p: string[]): string => w.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, ...p)).toString();
    return dashboardHtml({
      cspSource: w.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: asUri('dist', 'webview', 'dashboard.js'),
      styleUri: asUri('dist', 'webview', 'dashboard.css'),
      codiconsUri: asUri('dist', 'codicons', 'codicon.css'),
    });
  }

  private onViewState(): void {
    this.log.debug(`Dashboard: view state visible ${this.panel.visible}, active ${this.panel.active}; ready ${this.ready}.`);
    if (!this.panel.visible) {
      // Updates pause here; the document is about to be dropped anyway.
      this.ready = false;
      return;
    }
    // Normally the document is rebuilt and says `ready` on its own; if it survived, this asks it to.
    this.post({ kind: 'resync', status: this.backend.lastStatus ?? null });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(`Dashboard: ignored a malformed message from the webview: ${parsed.error}`);
      return;
    }
    const msg = parsed.value;
    switch (msg.kind) {
      case 'ready':
        this.log.debug(`Dashboard: the webview is ready${this.pendingTarget ? `; delivering ${JSON.stringify(this.pendingTarget)}` : ''}.`);
        this.ready = true;
        this.post(initMessage(this.backend, this.pendingTarget));
        this.pendingTarget = null;
        return;
      case 'log':
        this.log[msg.level](`Dashboard webview: ${msg.message}`);
        return;
      case 'request': {
        const response = await this.router.handle(msg);
        if (!response.ok) this.log.warn(`Dashboard: ${msg.method} failed: ${response.error}`);
        this.post(response);
        return;
      }
    }
  }

  private post(msg: ExtensionMessage): void {
    if (this.disposed) return;
    void this.panel.webview.postMessage(msg).then(undefined, (err: unknown) => {
      this.log.debug(`Dashboard: a message to the webview was not delivered: ${String(err)}`);
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.ready = false;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
