// The System view: the machine right now (from the latest snapshot) and the recorder's state (from
// the latest status). Refreshed at most once per `vitals.view.refreshSeconds`, only while visible.

import * as vscode from 'vscode';
import type { ValidatedSettings } from '../../backend';
import type { WorkerConnection } from '../worker/connection';
import { CommandId, ViewId } from '../commands/ids';
import type { Logger } from '../log';
import { Throttle } from '../util/throttle';

/**
 * The backend pushes its status when something changes state, not on every flush: while the view is
 * visible it asks for it this often, so "last flush" and the database size stay current.
 */
const STATUS_POLL_MS = 5000;
import { machineRows, recorderRows, type SystemRow } from './model';

export class SystemProvider implements vscode.TreeDataProvider<SystemRow>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<SystemRow | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  readonly treeView: vscode.TreeView<SystemRow>;
  private readonly throttle: Throttle;
  private readonly disposables: vscode.Disposable[] = [];
  private rows: SystemRow[] = [];
  private lastStatusPoll = 0;

  constructor(
    private readonly backend: WorkerConnection,
    settings: ValidatedSettings,
    onSettings: vscode.Event<ValidatedSettings>,
    private readonly log: Logger,
  ) {
    this.throttle = new Throttle(() => this.rebuild(), settings.ui.viewRefreshMs);
    this.treeView = vscode.window.createTreeView(ViewId.system, { treeDataProvider: this });
    const request = () => {
      if (this.treeView.visible) this.throttle.request();
    };
    this.disposables.push(
      this.treeView,
      this.changeEmitter,
      this.throttle,
      backend.onSnapshot(request),
      // A status change (paused, viewer, flushed) is shown at once: the user just caused it.
      backend.onStatus(() => {
        if (this.treeView.visible) this.throttle.flush();
      }),
      this.treeView.onDidChangeVisibility((e) => {
        if (e.visible) this.throttle.flush();
        else this.throttle.cancel();
      }),
      onSettings((s) => this.throttle.setInterval(s.ui.viewRefreshMs)),
    );
  }

  getChildren(element?: SystemRow): SystemRow[] {
    if (element) return element.children ?? [];
    if (this.rows.length === 0) this.rebuild(false);
    return this.rows;
  }

  getTreeItem(row: SystemRow): vscode.TreeItem {
    const state = row.children?.length
      ? row.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(row.label, state);
    item.id = row.id;
    if (row.description !== undefined) item.description = row.description;
    if (row.tooltip !== undefined) item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(row.icon, row.iconColor ? new vscode.ThemeColor(row.iconColor) : undefined);
    if (row.command) item.command = { command: row.command, title: row.label };
    item.contextValue = `system.${row.id.split('/')[0]}`;
    return item;
  }

  refresh(): void {
    this.throttle.flush();
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private rebuild(fire = true): boolean {
    const snapshot = this.backend.lastSnapshot;
    const status = this.backend.lastStatus;
    // Until the first sample the view stays empty, so its welcome content ("starting…") shows.
    if (!snapshot) return false;
    const now = Date.now();
    if (now - this.lastStatusPoll >= STATUS_POLL_MS) {
      this.lastStatusPoll = now;
      // The answer arrives as an onStatus event, which refreshes the view.
      this.backend.request('status', {}).catch((err: unknown) => this.log.debug('Polling the recorder status failed:', err));
    }
    this.rows = [...machineRows(snapshot, this.backend.info), ...(status ? recorderRows(status, now, CommandId.showStorageHealth) : [])];
    const host = this.backend.info?.hostname;
    this.treeView.description = host ?? '';
    if (fire) this.changeEmitter.fire(undefined);
    return true;
  }
}
