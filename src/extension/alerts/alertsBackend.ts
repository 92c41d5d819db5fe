// The alerts UI's view of the backend (AlertsBackend) over the worker connection: the recorder's
// alert changes (with which window is to show each), its active alerts, snooze, and this window's
// focus, reported under this window's id so the recorder can pick the focused window.

import type * as vscode from 'vscode';
import type { AlertChange } from '../../backend';
import type { WorkerClient } from '../worker/client';
import { Emitter } from '../util/emitter';
import type { AlertsBackend, AlertsChangeHere } from './controller';

/**
 * Whether this window shows an alert's notification: the recorder names the window; with none
 * named (no window has reported yet), the recording window shows it, as the recorder's own would be.
 */
export function notifyHere(change: AlertChange, windowId: string, role: string | undefined): boolean {
  return change.notify === null ? role === 'recorder' : change.notify === windowId;
}

export function workerAlerts(backend: WorkerClient, windowId: string): AlertsBackend & vscode.Disposable {
  const recorderChange = new Emitter<void>();
  const alert = new Emitter<AlertsChangeHere>();
  let lastRecorder: string | undefined;
  const subs = [
    backend.onStatus((s) => {
      const recorder = `${s.role}:${s.recorder ? `${s.recorder.pid}@${s.recorder.host}` : 'self'}`;
      if (recorder === lastRecorder) return;
      lastRecorder = recorder;
      recorderChange.fire();
    }),
    backend.onAlert((change) => alert.fire({ ...change, here: notifyHere(change, windowId, backend.lastStatus?.role) })),
  ];
  return {
    onAlert: alert.event,
    onRecorderChange: recorderChange.event,
    activeAlerts: () => backend.request('activeAlerts', {}),
    snooze: async (a, forMs) => {
      await backend.request('snoozeAlert', { rule: a.rule, culprit: a.culprit.key, until: Date.now() + forMs });
    },
    reportFocus: async (focused) => {
      await backend.request('reportFocus', { windowId, focused });
    },
    dispose: () => {
      for (const d of subs) d.dispose();
      recorderChange.dispose();
      alert.dispose();
    },
  };
}
