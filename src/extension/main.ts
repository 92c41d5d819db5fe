// Activation: wire the pieces and return. No sampling and no file I/O here; the backend starts in a
// worker thread right after activate() returns and reports when it is ready. Everything disposable
// but the log goes into context.subscriptions; deactivate() returns the backend's final flush so
// VS Code waits for it, and closes the log after it.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ValidatedSettings } from '../backend';
import { WorkerClient } from './worker/client';
import type { WorkerConnection } from './worker/connection';
import { registerCommands } from './commands';
import { ContextKey, ContextKeys } from './contextKeys';
import { registerDashboard } from './dashboard';
import { registerAlerts, type AlertsHandle } from './alerts';
import { registerTools } from './tools';
import { background } from './log';
import { ProcessesProvider } from './processes/provider';
import { Settings } from './settings';
import { StatusBar } from './statusBar/statusBar';
import { SystemProvider } from './system/provider';
import { WindowContextFeed } from './vscode/windowContext';

/** What activate() returns: handles for integration tests, nothing a user relies on. */
export interface VitalsTestApi {
  backend: WorkerConnection;
  processes: ProcessesProvider;
  system: SystemProvider;
  statusBar: StatusBar;
  alerts: AlertsHandle;
  settings(): ValidatedSettings;
  /** Restarts after a worker crash so far. */
  backendRestarts(): number;
  /** What this window told the backend about its VS Code processes. */
  windowContext: WindowContextFeed;
}

let client: WorkerClient | undefined;
let logChannel: vscode.LogOutputChannel | undefined;

export function activate(context: vscode.ExtensionContext): VitalsTestApi {
  const started = performance.now();
  const phases: string[] = [];
  let mark = started;
  const phase = (name: string) => {
    const now = performance.now();
    phases.push(`${name} ${(now - mark).toFixed(1)}`);
    mark = now;
  };
  // Not in context.subscriptions: VS Code disposes those right after calling deactivate(), while the
  // backend's final flush is still logging (a closed channel throws). deactivate() disposes it last.
  const log = vscode.window.createOutputChannel('Vitals', { log: true });
  logChannel = log;
  const settings = new Settings(log);
  phase('settings');
  const contextKeys = new ContextKeys((key, value) => vscode.commands.executeCommand('setContext', key, value), log);

  const backend = new WorkerClient({
    workerPath: path.join(context.extensionPath, 'dist', 'backend-worker.js'),
    // The worker creates the folder during init: activation does no file I/O.
    dbPath: path.join(context.globalStorageUri.fsPath, 'vitals.sqlite'),
    config: settings.current.monitor,
    log,
    notify: (severity, message) => {
      const show = severity === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
      background(
        show(message, 'Show Logs').then((choice) => choice && log.show(true)),
        log,
        'Showing a backend message',
      );
    },
  });
  client = backend;
  context.subscriptions.push(
    settings,
    backend,
    settings.onDidChange((s) => backend.updateConfig(s.monitor)),
    backend.onStatus((s) => {
      contextKeys.set(ContextKey.recording, s.recording);
      contextKeys.set(ContextKey.role, s.role);
      contextKeys.set(ContextKey.problem, s.problem !== undefined && s.problem !== '');
    }),
    backend.onDidChangeState((state) => contextKeys.set(ContextKey.failed, state === 'failed')),
  );
  const firstSnapshot = backend.onSnapshot(() => {
    firstSnapshot.dispose();
    log.info(`First sample ${(performance.now() - started).toFixed(0)} ms after activation.`);
    contextKeys.set(ContextKey.ready, true);
  });
  context.subscriptions.push(firstSnapshot);
  phase('client');

  const dashboard = registerDashboard(context, backend, log);
  phase('dashboard');
  // Listeners only: the context is gathered and sent later, coalesced.
  const windowContext = new WindowContextFeed({ backend, onDidChangeState: backend.onDidChangeState, log });
  context.subscriptions.push(windowContext);
  const processes = new ProcessesProvider(backend, settings.current, settings.onDidChange, context.globalState, contextKeys, log, (id) =>
    windowContext.extension(id),
  );
  const system = new SystemProvider(backend, settings.current, settings.onDidChange, log);
  const statusBar = new StatusBar(backend, settings.current, settings.onDidChange);
  const commandDisposables: vscode.Disposable[] = [];
  phase('views');
  context.subscriptions.push(dashboard, processes, system, statusBar, {
    dispose: () => commandDisposables.splice(0).forEach((d) => d.dispose()),
  });
  const commandContext = { backend, dashboard, processes, log, disposables: commandDisposables };
  context.subscriptions.push(...registerCommands(commandContext));
  phase('commands');
  const alerts = registerAlerts(commandContext, statusBar, contextKeys);
  context.subscriptions.push(alerts);
  phase('alerts');
  context.subscriptions.push(...registerTools(context, backend));
  phase('tools');

  // Creating the worker thread costs the host's main thread ~6 ms: not inside activate(), which
  // VS Code waits on. Requests made before it runs wait for the worker's `init` as they always do.
  setImmediate(() => {
    backend.start();
    alerts.start();
  });
  log.info(`Vitals activated in ${(performance.now() - started).toFixed(1)} ms (${phases.join(', ')}); the backend starts next.`);
  return {
    backend,
    processes,
    system,
    statusBar,
    alerts,
    settings: () => settings.current,
    backendRestarts: () => backend.restartCount,
    windowContext,
  };
}

export function deactivate(): Promise<void> {
  const c = client;
  const log = logChannel;
  client = undefined;
  logChannel = undefined;
  return (c?.shutdown() ?? Promise.resolve()).finally(() => log?.dispose());
}
