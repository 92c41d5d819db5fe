// The in-process API of the backend: what the worker, the CLI and the tests drive. The worker maps
// protocol requests one-to-one onto these methods.

import type { MonitorConfig } from './config';
import type { BackendStatus, BackupInfo, LogLevel } from './protocol';
import type {
  ExportRequest,
  ExportResult,
  HealthReport,
  HistoryQuery,
  HistoryResult,
  Millis,
  ProcessHistoryQuery,
  ProcessHistoryResult,
  ProcessInfo,
  Snapshot,
  StaticInfo,
  SummaryResult,
  TopProcessesQuery,
  TopProcessRow,
} from './types';

/** Where the backend reports what happens; the worker posts these, the CLI prints them. */
export interface BackendSink {
  snapshot(s: Snapshot): void;
  status(s: BackendStatus): void;
  log(level: LogLevel, message: string): void;
  /** Reported once per key until the condition clears; the UI shows it to the user. */
  problem(key: string, message: string, severity: 'warning' | 'error'): void;
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
  searchProcesses(text: string, limit: number): ProcessInfo[];
  summary(from: Millis, to: Millis, metrics: string[]): SummaryResult;
  health(): HealthReport;
  exportHistory(req: ExportRequest, signal?: AbortSignal, progress?: ExportProgress): Promise<ExportResult>;
  clearHistory(): Promise<BackendStatus>;
  backupNow(): Promise<BackupInfo>;
  listBackups(): Promise<BackupInfo[]>;
  restore(from: string): Promise<BackendStatus>;
  /** Stops sampling, flushes the last interval and checkpoints. Safe to call twice. */
  close(): Promise<void>;
}
