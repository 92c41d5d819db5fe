// The typed messages between the extension host (BackendClient) and the backend worker. One
// request/response pair per method (request ids, `inReplyTo` on the answer), events pushed by the
// worker, errors as values. Both ends validate what they receive with `parseToWorker` /
// `parseFromWorker`: a malformed message is reported and dropped, never trusted.

import type { MonitorConfig } from './config';
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
  RecorderRole,
  Snapshot,
  StaticInfo,
  SummaryResult,
  TopProcessesQuery,
  TopProcessRow,
} from './types';

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
  /** Final flush + checkpoint; the worker stays alive until told to exit. */
  shutdown: { params: Record<string, never>; result: { flushed: boolean } };
}

export type Method = keyof BackendMethods;
export type Params<M extends Method> = BackendMethods[M]['params'];
export type Result<M extends Method> = BackendMethods[M]['result'];

export type RequestMessage = {
  [M in Method]: { kind: 'request'; id: number; method: M; params: Params<M> };
}[Method];

export interface ProtocolError {
  code: 'bad-request' | 'not-ready' | 'cancelled' | 'io' | 'refused' | 'internal';
  message: string;
}

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
  | { kind: 'event'; event: 'progress'; requestId: number; done: number; total: number };

export type ToWorker = RequestMessage;
export type FromWorker = ResponseMessage | EventMessage;

export const METHODS: readonly Method[] = [
  'init',
  'updateConfig',
  'setRecording',
  'status',
  'history',
  'processHistory',
  'topProcesses',
  'searchProcesses',
  'summary',
  'health',
  'export',
  'cancel',
  'clearHistory',
  'backupNow',
  'listBackups',
  'restore',
  'shutdown',
];

const LOG_LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Checks the params a method needs for the worker to act safely; deeper shapes are the handler's. */
function paramsProblem(method: Method, p: Record<string, unknown>): string | undefined {
  const range = (): string | undefined =>
    isNum(p.from) && isNum(p.to) && p.from <= p.to ? undefined : 'from/to must be numbers with from <= to';
  switch (method) {
    case 'init':
      return isStr(p.dbPath) && isRecord(p.config) ? undefined : 'init needs dbPath and config';
    case 'updateConfig':
      return isRecord(p.config) ? undefined : 'updateConfig needs config';
    case 'setRecording':
      return typeof p.enabled === 'boolean' ? undefined : 'setRecording needs enabled: boolean';
    case 'history':
      return (
        range() ??
        (Array.isArray(p.metrics) && p.metrics.every(isStr) && isInt(p.maxPoints) && p.maxPoints > 0
          ? undefined
          : 'history needs metrics: string[] and maxPoints > 0')
      );
    case 'processHistory': {
      const s = p.select;
      const ok =
        isRecord(s) &&
        ((s.kind === 'process' && isInt(s.pid) && isNum(s.startTime)) || (s.kind === 'name' && isStr(s.name)));
      return range() ?? (ok && isInt(p.maxPoints) && p.maxPoints > 0 ? undefined : 'processHistory needs select and maxPoints');
    }
    case 'topProcesses':
      return range() ?? ((p.by === 'cpu' || p.by === 'memory') && isInt(p.limit) && p.limit > 0 ? undefined : 'topProcesses needs by and limit');
    case 'searchProcesses':
      return isStr(p.text) && isInt(p.limit) && p.limit > 0 ? undefined : 'searchProcesses needs text and limit > 0';
    case 'summary':
      return range() ?? (Array.isArray(p.metrics) && p.metrics.every(isStr) ? undefined : 'summary needs metrics');
    case 'export': {
      const s = p.scope;
      const scopeOk =
        isRecord(s) && (s.kind === 'system' || s.kind === 'processes' || (s.kind === 'pid' && isInt(s.pid)));
      return (
        range() ??
        ((p.format === 'csv' || p.format === 'json') && scopeOk && isStr(p.outPath) ? undefined : 'export needs format, scope, outPath')
      );
    }
    case 'cancel':
      return isInt(p.requestId) ? undefined : 'cancel needs requestId';
    case 'restore':
      return isStr(p.from) ? undefined : 'restore needs from';
    default:
      return undefined;
  }
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseToWorker(msg: unknown): Parsed<ToWorker> {
  if (!isRecord(msg) || msg.kind !== 'request') return { ok: false, error: 'not a request message' };
  if (!isInt(msg.id)) return { ok: false, error: 'request without an integer id' };
  if (!isStr(msg.method) || !(METHODS as readonly string[]).includes(msg.method))
    return { ok: false, error: `unknown method ${String(msg.method)}` };
  if (!isRecord(msg.params)) return { ok: false, error: `${msg.method}: params must be an object` };
  const problem = paramsProblem(msg.method as Method, msg.params);
  if (problem) return { ok: false, error: problem };
  return { ok: true, value: msg as unknown as ToWorker };
}

export function parseFromWorker(msg: unknown): Parsed<FromWorker> {
  if (!isRecord(msg)) return { ok: false, error: 'not an object' };
  if (msg.kind === 'response') {
    if (!isInt(msg.inReplyTo)) return { ok: false, error: 'response without inReplyTo' };
    if (msg.ok === true) return { ok: true, value: msg as unknown as FromWorker };
    if (msg.ok === false && isRecord(msg.error) && isStr(msg.error.message))
      return { ok: true, value: msg as unknown as FromWorker };
    return { ok: false, error: 'malformed response' };
  }
  if (msg.kind === 'event') {
    switch (msg.event) {
      case 'snapshot':
        return isRecord(msg.snapshot) && isNum(msg.snapshot.t) && Array.isArray(msg.snapshot.processes)
          ? { ok: true, value: msg as unknown as FromWorker }
          : { ok: false, error: 'malformed snapshot event' };
      case 'status':
        return isRecord(msg.status) && isStr(msg.status.role)
          ? { ok: true, value: msg as unknown as FromWorker }
          : { ok: false, error: 'malformed status event' };
      case 'log':
        return isStr(msg.level) && LOG_LEVELS.includes(msg.level) && isStr(msg.message)
          ? { ok: true, value: msg as unknown as FromWorker }
          : { ok: false, error: 'malformed log event' };
      case 'problem':
        return isStr(msg.key) && isStr(msg.message) && (msg.severity === 'warning' || msg.severity === 'error')
          ? { ok: true, value: msg as unknown as FromWorker }
          : { ok: false, error: 'malformed problem event' };
      case 'progress':
        return isInt(msg.requestId) && isNum(msg.done) && isNum(msg.total)
          ? { ok: true, value: msg as unknown as FromWorker }
          : { ok: false, error: 'malformed progress event' };
      default:
        return { ok: false, error: `unknown event ${String(msg.event)}` };
    }
  }
  return { ok: false, error: `unknown message kind ${String(msg.kind)}` };
}
