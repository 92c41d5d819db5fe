// Where an alert leads, for every door (the notification's actions, the commands, the dashboard's
// Events list): which process Kill… offers, whose history Show History opens, and the dashboard
// target around the event. Pure.

import type { AlertEvent, AlertProcess } from '../backend/index';
import type { DashboardTarget } from './dashboardProtocol';
import { eventWindow } from './eventWindow';

/** The process Kill… offers: only an alert about one process has one (a machine alert names top processes, not a culprit). */
export function killTarget(a: AlertEvent): AlertProcess | undefined {
  return a.culprit.kind === 'process' ? a.culprit.processes[0] : undefined;
}

/** The process whose history Show History opens: the culprit, or a group's first member; none for the machine or a filesystem. */
export function historyProcess(a: AlertEvent): AlertProcess | undefined {
  return a.culprit.kind === 'process' || a.culprit.kind === 'group' ? a.culprit.processes[0] : undefined;
}

/** Where Show History goes for an alert: its process's history, or the Overview, around the event. */
export function historyTarget(a: AlertEvent, now: number): DashboardTarget {
  const range = eventWindow(a.start, a.end, now);
  const c = historyProcess(a);
  return c ? { tab: 'process', process: { pid: c.pid, startTime: c.startTime, name: c.name }, range } : { tab: 'overview', range };
}
