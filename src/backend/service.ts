// The backend's in-process API, implemented by the Monitor. The worker serves it to the extension
// over the worker protocol (worker/server.ts maps each request onto one method, and holds it by this
// interface); the CLI and the tests call it directly. The extension's side of it is
// src/extension/worker/ (WorkerClient, typed as WorkerConnection for the features).

import type { MonitorConfig } from './config';
import type { BackendStatus, BackupInfo, LogLevel } from './protocol';
import type { AlertChange, AlertEvent, SnoozeRequest, TopAtQuery, TopAtResult } from './alerts/types';
import type {
  ExportRequest,
  ExportResult,
  HealthReport,
  HistoryQuery,
  HistoryResult,
  LoadByGroupQuery,
  LoadByGroupResult,
  Millis,
  ProcessHistoryQuery,
  ProcessHistoryResult,
  ProcessInfo,
  Snapshot,
  StaticInfo,
  SummaryResult,
  TopProcessesQuery,
  ToolResult,
  TopProcessRow,
  WindowContext,
} from './types';

/** Where the backend reports what happens; the worker posts these, the CLI prints them. */
export interface BackendSink {
  snapshot(s: Snapshot): void;
  status(s: BackendStatus): void;
  log(level: LogLevel, message: string): void;
  /** Reported once per key until the condition clears; the UI shows it to the user. */
  problem(key: string, message: string, severity: 'warning' | 'error'): void;
  /** An alert started or ended (raised by the recorder; a viewer passes on the recorder's). */
  alert?(change: AlertChange): void;
}

export interface ExportProgress {
  (done: number, total: number): void;
}

export interface BackendService {
  readonly info: StaticInfo;
  status(): BackendStatus;
  updateConfig(config: MonitorConfig): BackendStatus;
  setRecording(enabled: boolean): BackendStatus;
  history(q: HistoryQuery): HistoryResult;
  processHistory(q: ProcessHistoryQuery): ProcessHistoryResult;
  topProcesses(q: TopProcessesQuery): TopProcessRow[];
  loadByGroup(q: LoadByGroupQuery): LoadByGroupResult;
  /** This window's context; a viewer passes it on to the recorder (now, and whenever it reconnects). */
  setWindowContext(context: WindowContext): Promise<{ windows: number }>;
  searchProcesses(text: string, limit: number): ProcessInfo[];
  summary(from: Millis, to: Millis, metrics: string[]): SummaryResult;
  health(): HealthReport;
  /** What a window shows as Storage Health: a viewer's is the recorder's report, asked over the feed. */
  healthForWindow(): Promise<HealthReport>;
  exportHistory(req: ExportRequest, signal?: AbortSignal, progress?: ExportProgress): Promise<ExportResult>;
  clearHistory(): Promise<BackendStatus>;
  backupNow(): Promise<BackupInfo>;
  listBackups(): Promise<BackupInfo[]>;
  restore(from: string): Promise<BackendStatus>;
  /** Stored alert events overlapping from..to, oldest first. */
  alerts(from: Millis, to: Millis): AlertEvent[];
  /** The recorder's active alerts (a viewer asks the recorder). */
  activeAlerts(): Promise<AlertEvent[]>;
  snoozeAlert(req: SnoozeRequest): Promise<{ snoozed: boolean }>;
  /** This backend's window has (or lost) the focus; answers which window would show a notification now. */
  reportFocus(windowId: string, focused: boolean): Promise<{ notify: string | null }>;
  topAt(q: TopAtQuery): TopAtResult;
  /** Runs one of the read-only agent tools against the history this backend reads. */
  runTool(name: string, args: unknown): Promise<ToolResult>;
  /** Stops sampling, flushes the last interval and checkpoints. Safe to call twice. */
  close(): Promise<void>;
}
