// The typed messages between the extension host (WorkerClient) and the backend worker. One
// request/response pair per method (request ids, `inReplyTo` on the answer), events pushed by the
// worker, errors as values. Both ends validate what they receive with `parseToWorker` /
// `parseFromWorker`: a malformed message is reported and dropped, never trusted.

import type { MonitorConfig } from './config';
import type { ToolResult } from './types';
import {
  alertChange,
  alertRule,
  type AlertChange,
  type AlertEvent,
  type SnoozeRequest,
  type TopAtQuery,
  type TopAtResult,
} from './alerts/types';
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
  RecorderRole,
  Snapshot,
  StaticInfo,
  SummaryResult,
  TopProcessesQuery,
  TopProcessRow,
  WindowContext,
} from './types';
import { CONTAINER_RUNTIMES, LEFT_BEHIND_REASONS, ROLE_KINDS } from './types';
import {
  all,
  arrayOf,
  arrayOfCount,
  bool,
  int,
  intIn,
  num,
  obj,
  oneOf,
  optional,
  parse,
  str,
  strOf,
  timeRange,
  unknownValue,
  variant,
  type Check,
  type Parsed,
} from '../shared/check';
import { ERROR_CODES, type ProtocolError } from '../shared/errors';

export interface BackupInfo {
  path: string;
  createdAt: Millis;
  sizeBytes: number;
}

export interface BackendStatus {
  role: RecorderRole;
  recording: boolean;
  databasePath: string;
  /** Set when this backend is a viewer: who records. */
  recorder?: { pid: number; host: string } | undefined;
  lastFlushAt: Millis | null;
  databaseSizeBytes: number;
  /** Human-readable reason when recording is impossible (newer schema, unsupported platform…). */
  problem?: string | undefined;
}

/** method → params and result. */
export interface BackendMethods {
  init: { params: { dbPath: string; config: MonitorConfig }; result: { status: BackendStatus; info: StaticInfo } };
  updateConfig: { params: { config: MonitorConfig }; result: BackendStatus };
  setRecording: { params: { enabled: boolean }; result: BackendStatus };
  status: { params: Record<string, never>; result: BackendStatus };
  history: { params: HistoryQuery; result: HistoryResult };
  processHistory: { params: ProcessHistoryQuery; result: ProcessHistoryResult };
  topProcesses: { params: TopProcessesQuery; result: TopProcessRow[] };
  /** CPU and memory summed by extension or by VS Code role over a range, from the tiers. */
  loadByGroup: { params: LoadByGroupQuery; result: LoadByGroupResult };
  /**
   * What this window alone knows (its extension host pid, workspace, terminals, tasks, extensions),
   * for labelling processes. Sent again whenever it changes; a viewer's goes on to the recorder over
   * the live feed, and leaves with that connection. `windows`: how many windows the recorder knows.
   */
  setWindowContext: { params: { context: WindowContext }; result: { windows: number } };
  /** Recorded processes whose name contains `text`, most recently seen first. */
  searchProcesses: { params: { text: string; limit: number }; result: ProcessInfo[] };
  summary: { params: { from: Millis; to: Millis; metrics: string[] }; result: SummaryResult };
  health: { params: Record<string, never>; result: HealthReport };
  export: { params: ExportRequest; result: ExportResult };
  cancel: { params: { requestId: number }; result: { cancelled: boolean } };
  clearHistory: { params: Record<string, never>; result: BackendStatus };
  backupNow: { params: Record<string, never>; result: BackupInfo };
  listBackups: { params: Record<string, never>; result: BackupInfo[] };
  restore: { params: { from: string }; result: BackendStatus };
  /** Stored alert events overlapping from..to (the active ones included), oldest first. */
  alerts: { params: { from: Millis; to: Millis }; result: AlertEvent[] };
  /** The recorder's active alerts (a viewer asks the recorder over the feed). */
  activeAlerts: { params: Record<string, never>; result: AlertEvent[] };
  /** Silences one rule for one culprit until a moment; carried out by the recorder. */
  snoozeAlert: { params: SnoozeRequest; result: { snoozed: boolean } };
  /**
   * A window says whether it has the focus, so the recorder can say which window shows an alert's
   * notification (AlertChange.notify). `windowId` is any id unique to that window (vscode.env.sessionId).
   */
  reportFocus: { params: { windowId: string; focused: boolean }; result: { notify: string | null } };
  /** Who was busy at a moment: exact from raw samples, else the bucket's top N from the rollups. */
  topAt: { params: TopAtQuery; result: TopAtResult };
  /** One of the read-only agent tools (src/backend/tools/), for VS Code's language-model tools. */
  tool: { params: { name: string; arguments: unknown }; result: ToolResult };
  /** Final flush + checkpoint; the worker stays alive until told to exit. */
  shutdown: { params: Record<string, never>; result: { flushed: boolean } };
}

export type Method = keyof BackendMethods;
export type Params<M extends Method> = BackendMethods[M]['params'];
export type Result<M extends Method> = BackendMethods[M]['result'];

export type RequestMessage = {
  [M in Method]: { kind: 'request'; id: number; method: M; params: Params<M> };
}[Method];

export type { ProtocolError } from '../shared/errors';

export type ResponseMessage =
  | { kind: 'response'; inReplyTo: number; ok: true; result: unknown }
  | { kind: 'response'; inReplyTo: number; ok: false; error: ProtocolError };

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export type EventMessage =
  | { kind: 'event'; event: 'snapshot'; snapshot: Snapshot }
  | { kind: 'event'; event: 'status'; status: BackendStatus }
  | { kind: 'event'; event: 'log'; level: LogLevel; message: string }
  /** Something the user must know or act on (shown once by the extension, not per occurrence). */
  | { kind: 'event'; event: 'problem'; key: string; message: string; severity: 'warning' | 'error' }
  | { kind: 'event'; event: 'progress'; requestId: number; done: number; total: number }
  /** An alert started or ended in the recorder; every window gets it, `notify` says which one shows it. */
  | ({ kind: 'event'; event: 'alert' } & AlertChange);

export type ToWorker = RequestMessage;
export type FromWorker = ResponseMessage | EventMessage;

const METHODS: readonly Method[] = [
  'init',
  'updateConfig',
  'setRecording',
  'status',
  'history',
  'processHistory',
  'topProcesses',
  'loadByGroup',
  'setWindowContext',
  'searchProcesses',
  'summary',
  'health',
  'export',
  'cancel',
  'clearHistory',
  'backupNow',
  'listBackups',
  'restore',
  'alerts',
  'activeAlerts',
  'snoozeAlert',
  'reportFocus',
  'topAt',
  'tool',
  'shutdown',
];

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

const LIMIT = 4096;
const pathStr = strOf(0, LIMIT);

/** A window's context, checked in full: it comes from another window over the feed, and is kept. */
export const windowContextCheck: Check = obj({
  extensionHostPid: intIn(1),
  workspace: pathStr,
  appRoot: pathStr,
  appName: strOf(0, 200),
  version: strOf(0, 100),
  commit: strOf(0, 100),
  terminals: arrayOfCount(obj({ pid: intIn(1), name: pathStr }), 0, 1000),
  tasks: arrayOfCount(obj({ pid: intIn(1), label: pathStr }), 0, 1000),
  extensions: arrayOfCount(obj({ id: strOf(1, 300), name: pathStr, version: strOf(0, 100), path: pathStr }), 0, 2000),
});

/** What a process's role holds, where snapshots carry one. */
export const processRoleCheck: Check = obj({
  kind: oneOf(...ROLE_KINDS),
  detail: str,
  extensionId: optional(str),
  extensionName: optional(str),
  hostPid: optional(int),
  commit: optional(str),
  leftBehindSince: optional(num),
  leftBehindReason: optional(oneOf(...LEFT_BEHIND_REASONS)),
});

/** A process's container, where snapshots carry one (the Containers grouping keys on it). */
const containerCheck: Check = obj({ runtime: oneOf(...CONTAINER_RUNTIMES), id: strOf(1, 200), name: optional(str), pod: optional(str) });

/** What every method's params must hold for the worker to act safely; deeper shapes are the handler's. */
const PARAMS: { [M in Method]: Check } = {
  init: obj({ dbPath: str, config: obj({}) }),
  updateConfig: obj({ config: obj({}) }),
  setRecording: obj({ enabled: bool }),
  status: obj({}),
  history: all(timeRange, obj({ metrics: arrayOf(str), maxPoints: intIn(1) })),
  processHistory: all(
    timeRange,
    obj({
      select: variant('kind', { process: obj({ pid: int, startTime: num }), name: obj({ name: str }) }, 'selector'),
      maxPoints: intIn(1),
    }),
  ),
  topProcesses: all(timeRange, obj({ by: oneOf('cpu', 'memory'), limit: intIn(1) })),
  loadByGroup: all(timeRange, obj({ by: oneOf('extension', 'role'), maxPoints: intIn(1), limit: intIn(1, 1000) })),
  setWindowContext: obj({ context: windowContextCheck }),
  searchProcesses: obj({ text: str, limit: intIn(1) }),
  summary: all(timeRange, obj({ metrics: arrayOf(str) })),
  health: obj({}),
  export: all(
    timeRange,
    obj({
      format: oneOf('csv', 'json', 'ndjson', 'sqlite'),
      scope: variant('kind', { system: obj({}), processes: obj({}), pid: obj({ pid: int }), events: obj({}), all: obj({}) }, 'scope'),
      outPath: str,
    }),
  ),
  cancel: obj({ requestId: int }),
  clearHistory: obj({}),
  backupNow: obj({}),
  listBackups: obj({}),
  restore: obj({ from: str }),
  alerts: timeRange,
  activeAlerts: obj({}),
  snoozeAlert: obj({ rule: alertRule, culprit: strOf(1, 1000), until: num }),
  reportFocus: obj({ windowId: strOf(1, 200), focused: bool }),
  topAt: obj({ t: num, by: oneOf('cpu', 'memory'), n: intIn(1, 1000) }),
  // The arguments are the tool's to check (tools/run.ts): a refusal is its answer, not a bad request.
  tool: obj({ name: strOf(1, 100), arguments: unknownValue }),
  shutdown: obj({}),
};

const toWorker: Check = all(
  obj({ kind: oneOf('request'), id: int }),
  variant('method', Object.fromEntries(METHODS.map((m) => [m, obj({ params: PARAMS[m] })])), 'method'),
);

const protocolError: Check = obj({ code: oneOf(...ERROR_CODES), message: str });

const response: Check = all(obj({ inReplyTo: int, ok: bool }), (v, p) =>
  (v as { ok: boolean }).ok ? obj({ result: unknownValue })(v, p) : obj({ error: protocolError })(v, p),
);

const event: Check = variant(
  'event',
  {
    // The snapshot's deeper shape is the sampler's own output, passed through as is; the roles and
    // containers on it are checked, since the windows act on them (grouping, "left behind" kills).
    snapshot: obj({
      snapshot: obj({
        t: num,
        processes: arrayOf(obj({ role: optional(processRoleCheck), container: optional(containerCheck), gpuMemoryBytes: optional(num) })),
      }),
    }),
    status: obj({ status: obj({ role: oneOf('recorder', 'viewer', 'stopped') }) }),
    log: obj({ level: oneOf(...LOG_LEVELS), message: str }),
    problem: obj({ key: str, message: str, severity: oneOf('warning', 'error') }),
    progress: obj({ requestId: int, done: num, total: num }),
    alert: alertChange,
  },
  'event',
);

const fromWorker: Check = variant('kind', { response, event }, 'message kind');

export function parseToWorker(msg: unknown): Parsed<ToWorker> {
  return parse<ToWorker>(toWorker, msg);
}

export function parseFromWorker(msg: unknown): Parsed<FromWorker> {
  return parse<FromWorker>(fromWorker, msg);
}
