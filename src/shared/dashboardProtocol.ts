// The contract between the dashboard panel (extension host, src/extension/dashboard) and its webview
// app (media/dashboard), imported by both. Types only. One discriminated union per direction;
// requests carry ids, answers `inReplyTo`. Both ends validate what they receive with the checks
// beside it (dashboardChecks.ts).

import type {
  AlertEvent,
  BackendStatus,
  BackupInfo,
  HealthReport,
  HistoryQuery,
  HistoryResult,
  LoadByGroupQuery,
  LoadByGroupResult,
  Millis,
  ProcessHistoryQuery,
  ProcessHistoryResult,
  StaticInfo,
  TopProcessesQuery,
  TopAtQuery,
  TopAtResult,
  TopProcessRow,
} from '../backend';

export type DashboardTab = 'overview' | 'process' | 'events' | 'storage';

export interface ProcessRef {
  pid: number;
  startTime: Millis;
  name: string;
}

export interface DashboardTarget {
  tab?: DashboardTab;
  process?: ProcessRef;
  /** Show this window (an alert's time and some context around it) instead of the picked range. */
  range?: { from: Millis; to: Millis };
}

/** Processes whose name (or, among the range's top processes, command line) contains `text`; the range's top processes when empty. */
export interface SearchProcessesQuery {
  text: string;
  from: Millis;
  to: Millis;
  limit: number;
}

export interface ProcessMatch {
  pid: number;
  startTime: Millis;
  name: string;
  command: string;
  user: string;
  /** CPU % of one core over the range; null when the process is only known from the live sample. */
  cpuAvg: number | null;
  cpuMax: number | null;
  rssMaxBytes: number | null;
  /** In the latest live sample. */
  alive: boolean;
}

export interface SearchProcessesResult {
  matches: ProcessMatch[];
  /** Distinct names among the matches with how many processes carry each, most first. */
  names: { name: string; count: number }[];
  /** Recorded processes with a matching name that did not run in the range. */
  outsideRange: number;
}

export interface StorageHealth {
  report: HealthReport;
  /** null when the backend could not list them. */
  backups: BackupInfo[] | null;
}

/** What an action did: `done` is false when the user cancelled a dialog. */
export interface ActionResult {
  done: boolean;
  message?: string;
}

/** method → params and result, for everything the webview may ask. */
export interface DashboardMethods {
  history: { params: HistoryQuery; result: HistoryResult };
  processHistory: { params: ProcessHistoryQuery; result: ProcessHistoryResult };
  topProcesses: { params: TopProcessesQuery; result: TopProcessRow[] };
  /** VS Code's processes' CPU and memory summed by extension or by role (the backend's loadByGroup). */
  loadByGroup: { params: LoadByGroupQuery; result: LoadByGroupResult };
  health: { params: Record<string, never>; result: StorageHealth };
  searchProcesses: { params: SearchProcessesQuery; result: SearchProcessesResult };
  /** Save dialog, then the backend's streamed export of the range. */
  export: { params: { from: Millis; to: Millis; pid?: number }; result: ActionResult };
  backupNow: { params: Record<string, never>; result: ActionResult };
  /** Modal confirmation first. */
  clearHistory: { params: Record<string, never>; result: ActionResult };
  setRecording: { params: { enabled: boolean }; result: ActionResult };
  openSettings: { params: Record<string, never>; result: ActionResult };
  /** Health report (and backups) as JSON on the clipboard. */
  copyHealthJson: { params: Record<string, never>; result: ActionResult };
  showLogs: { params: Record<string, never>; result: ActionResult };
  /** The alert events that overlap the range, the active ones included. */
  alerts: { params: { from: Millis; to: Millis }; result: AlertEvent[] };
  /** Who was busy at one moment (who did it): exact from raw samples, or a rollup bucket's top N. */
  topAt: { params: TopAtQuery; result: TopAtResult };
}

export type DashboardMethod = keyof DashboardMethods;
export type DashboardParams<M extends DashboardMethod> = DashboardMethods[M]['params'];
export type DashboardResult<M extends DashboardMethod> = DashboardMethods[M]['result'];

export type DashboardRequest = {
  [M in DashboardMethod]: { kind: 'request'; id: number; method: M; params: DashboardParams<M> };
}[DashboardMethod];

export type WebviewLogLevel = 'error' | 'warn' | 'info';

/** webview → extension */
export type WebviewMessage =
  /** The app has loaded (after creation, a reload, or becoming visible again) and wants `init`. */
  | { kind: 'ready' }
  | DashboardRequest
  /** Errors in the webview land in the Vitals log, not only in the webview's console. */
  | { kind: 'log'; level: WebviewLogLevel; message: string };

/** One live sample reduced to what the charts append. */
export interface LiveSample {
  t: Millis;
  /** System metrics by name (see src/backend/metrics.ts). */
  metrics: Record<string, number>;
  processes: LiveProcess[];
  /** When `processes` was sampled, if at an earlier tick (the cost governor samples processes less often). */
  processesAt?: Millis;
}

export interface LiveProcess {
  pid: number;
  startTime: Millis;
  name: string;
  /** % of one core. */
  cpu: number;
  rssBytes: number;
  /** Storage bytes read / written during the last process interval; null unknown (io not readable). */
  readBytes?: number | null;
  writeBytes?: number | null;
}

/** Why a request failed: `not-ready` while the backend (re)starts. */
export type DashboardErrorCode = 'not-ready' | 'failed';

/** extension → webview */
export type ExtensionMessage =
  | {
      kind: 'init';
      info: StaticInfo | null;
      status: BackendStatus | null;
      /** Metric names the latest sample has (cores, mounts, interfaces): what history can be asked for. */
      metrics: string[];
      /** Where to go now (Show History, Show Storage Health); null keeps the restored state. */
      target: DashboardTarget | null;
      latest: LiveSample | null;
    }
  | { kind: 'response'; inReplyTo: number; ok: true; result: unknown }
  | { kind: 'response'; inReplyTo: number; ok: false; code: DashboardErrorCode; error: string }
  | { kind: 'live'; sample: LiveSample }
  | { kind: 'status'; status: BackendStatus }
  | { kind: 'show'; target: DashboardTarget }
  /** The panel is visible again after updates were paused: refill what was missed. */
  | { kind: 'resync'; status: BackendStatus | null };
