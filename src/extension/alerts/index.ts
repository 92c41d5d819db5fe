// Alerts for the rest of the extension: the controller over the worker, its commands, and what it
// drives elsewhere (the status bar's marker, the `vitals.alerts.active` context key).

import * as vscode from 'vscode';
import type { CommandContext } from '../commands/context';
import { ContextKey, type ContextKeys } from '../contextKeys';
import type { StatusBar } from '../statusBar/statusBar';
import { workerAlerts } from './alertsBackend';
import { registerAlertCommands } from './commands';
import { AlertsController } from './controller';

export type AlertsHandle = AlertsController;

export function registerAlerts(ctx: CommandContext, statusBar: StatusBar, contextKeys: ContextKeys): AlertsHandle {
  // One id per window (the recorder tells windows apart by it); the session id is that.
  const source = workerAlerts(ctx.backend, vscode.env.sessionId);
  const alerts = new AlertsController(source, ctx.dashboard, ctx.log);
  alerts.own(
    source,
    alerts.onDidChange((list) => {
      statusBar.setAlerts(list);
      contextKeys.set(ContextKey.alertsActive, list.length > 0);
    }),
    ...registerAlertCommands(ctx, alerts),
  );
  return alerts;
}
