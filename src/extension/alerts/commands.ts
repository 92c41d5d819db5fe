// The alert commands: Show Alerts (the dashboard's Events list), Snooze Alert… and Kill Alert
// Culprit… (the Processes view's confirmed kill, never anything automatic). From the palette they
// ask which active alert; callers (tests, keybindings) may pass `{ id }`.

import * as vscode from 'vscode';
import type { AlertEvent } from '../../backend';
import { registerCommand, type CommandContext } from '../commands/context';
import { CommandId } from '../commands/ids';
import { SNOOZE_MS } from './actions';
import { killTarget } from '../../shared/alertTargets';
import type { AlertsController } from './controller';
import { formatAgo } from '../../shared/format';

export type AlertArg = { id: string } | undefined;

const SNOOZE_CHOICES: readonly { label: string; ms: number }[] = [
  { label: '15 minutes', ms: 15 * 60_000 },
  { label: '1 hour', ms: SNOOZE_MS },
  { label: '8 hours', ms: 8 * SNOOZE_MS },
  { label: '24 hours', ms: 24 * SNOOZE_MS },
];

export function registerAlertCommands(ctx: CommandContext, alerts: AlertsController): vscode.Disposable[] {
  return [
    registerCommand(ctx, CommandId.showAlerts, () => {
      ctx.dashboard.show({ tab: 'events' });
      return true;
    }),
    registerCommand(ctx, CommandId.snoozeAlert, async (arg?: AlertArg, forMs?: number) => {
      const a = await pickAlert(alerts, arg, 'Snooze which alert?', () => true);
      if (!a) return undefined;
      let ms = forMs;
      if (ms === undefined && arg === undefined) {
        const choice = await vscode.window.showQuickPick(
          SNOOZE_CHOICES.map((c) => ({ label: c.label, ms: c.ms })),
          { title: `Snooze: ${a.text}`, placeHolder: 'For how long?' },
        );
        if (!choice) return undefined;
        ms = choice.ms;
      }
      await alerts.snooze(a, ms ?? SNOOZE_MS);
      vscode.window.setStatusBarMessage(`$(bell-slash) Vitals: snoozed ${a.text}`, 4000);
      return a.id;
    }),
    registerCommand(ctx, CommandId.killAlertCulprit, async (arg?: AlertArg) => {
      const a = await pickAlert(alerts, arg, 'Kill the process of which alert?', (x) => killTarget(x) !== undefined);
      const c = a && killTarget(a);
      if (!c) return undefined;
      return vscode.commands.executeCommand(CommandId.killProcess, { pid: c.pid, startTime: c.startTime, name: c.name });
    }),
  ];
}

async function pickAlert(
  alerts: AlertsController,
  arg: AlertArg,
  title: string,
  eligible: (a: AlertEvent) => boolean,
): Promise<AlertEvent | undefined> {
  if (arg !== undefined) {
    const a = alerts.find(arg.id);
    if (!a) void vscode.window.showInformationMessage(`Vitals: alert ${arg.id} is not active any more.`);
    return a;
  }
  const list = alerts.current.filter(eligible);
  if (list.length === 0) {
    void vscode.window.showInformationMessage('Vitals: no alert is active.');
    return undefined;
  }
  if (list.length === 1) return list[0];
  const now = Date.now();
  const pick = await vscode.window.showQuickPick(
    list.map((a) => ({ label: `$(warning) ${a.text}`, description: `started ${formatAgo(a.start, now)}`, alert: a })),
    { title, placeHolder: 'Active alerts' },
  );
  return pick?.alert;
}
