// What the extension's features (views, status bar, commands, dashboard) see of the backend worker:
// typed requests and pushed events. WorkerClient (./client.ts) implements it on top of the worker
// protocol; the worker side of the same methods is src/backend/service.ts (BackendService).
import type * as vscode from 'vscode';
import type { AlertChange, BackendStatus, Method, Params, Result, Snapshot, StaticInfo } from '../../backend';

export interface WorkerConnection {
  /** Resolves with the result, rejects with an Error carrying the protocol error's message. */
  request<M extends Method>(
    method: M,
    params: Params<M>,
    options?: { token?: vscode.CancellationToken; onProgress?: (done: number, total: number) => void },
  ): Promise<Result<M>>;
  onSnapshot: vscode.Event<Snapshot>;
  onStatus: vscode.Event<BackendStatus>;
  /** An alert started or ended in the recorder; show it only when `notify` is this window's id (reportFocus). */
  onAlert: vscode.Event<AlertChange>;
  /** Latest known values; undefined until the backend has said anything. */
  readonly lastSnapshot: Snapshot | undefined;
  readonly lastStatus: BackendStatus | undefined;
  readonly info: StaticInfo | undefined;
}
