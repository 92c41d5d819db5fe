// The alerts UI's view of the backend (AlertsBackend) over the worker connection: the recorder's
// alert changes, its active alerts, snooze, and this window's focus.

import type * as vscode from 'vscode';
import type { WorkerClient } from '../worker/client';
import { Emitter } from '../util/emitter';
import type { AlertsBackend } from './controller';

export function workerAlerts(backend: WorkerClient): AlertsBackend & vscode.Disposable {
  const recorderChange = new Emitter<void>();
  let lastRole: string | undefined;
  let lastRecorder: string | undefined;
  const statusSub = backend.onStatus((s) => {
    const recorder = s.recorder ? `${s.recorder.pid}@${s.recorder.host}` : 'self';
    if (s.role === lastRole && recorder === lastRecorder) return;
    lastRole = s.role;
    lastRecorder = recorder;
    recorderChange.fire();
  });
  return {
    onAlert: backend.onAlert,
    onRecorderChange: recorderChange.event,
    activeAlerts: () => backend.request('activeAlerts', {}),
    snooze: async (alert, forMs) => {
      await backend.request('snoozeAlert', { id: alert.id, forMs });
    },
    reportFocus: async (focused) => {
      await backend.request('reportFocus', { focused });
    },
    dispose: () => {
      statusSub.dispose();
      recorderChange.dispose();
    },
  };
}
