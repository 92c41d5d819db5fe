// Checks what the webview posts before the panel acts on it. The webview runs our own script, but a
// bug there (or a stale cached bundle after an update) must produce a log line, not a bad backend
// query: anything malformed is rejected with a reason and ignored by the caller.

import type { DashboardMethod, WebviewMessage } from './protocol';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Bounds that keep one request from asking the backend for absurd amounts of work. */
export const LIMITS = {
  maxPoints: 5000,
  metrics: 1000,
  metricNameLength: 300,
  topLimit: 1000,
  searchText: 200,
  logMessage: 4000,
} as const;

export const DASHBOARD_METHODS: readonly DashboardMethod[] = [
  'history',
  'processHistory',
  'topProcesses',
  'health',
  'searchProcesses',
  'export',
  'backupNow',
  'clearHistory',
  'setRecording',
  'openSettings',
  'copyHealthJson',
  'showLogs',
];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isPid = (v: unknown): v is number => isInt(v) && v >= 0;

function rangeProblem(p: Record<string, unknown>): string | undefined {
  if (!isNum(p.from) || !isNum(p.to)) return 'from and to must be finite numbers';
  if (p.from > p.to) return 'from must not be after to';
  return undefined;
}

function maxPointsProblem(v: unknown): string | undefined {
  return isInt(v) && v > 0 && v <= LIMITS.maxPoints ? undefined : `maxPoints must be an integer in 1..${LIMITS.maxPoints}`;
}

function paramsProblem(method: DashboardMethod, p: Record<string, unknown>): string | undefined {
  switch (method) {
    case 'history': {
      const m = p.metrics;
      if (!Array.isArray(m) || m.length === 0 || m.length > LIMITS.metrics) return `metrics must be 1..${LIMITS.metrics} names`;
      if (!m.every((x) => isStr(x) && x.length > 0 && x.length <= LIMITS.metricNameLength)) return 'metrics must be non-empty strings';
      return rangeProblem(p) ?? maxPointsProblem(p.maxPoints);
    }
    case 'processHistory': {
      const s = p.select;
      const selectOk =
        isRecord(s) &&
        ((s.kind === 'process' && isPid(s.pid) && isNum(s.startTime)) ||
          (s.kind === 'name' && isStr(s.name) && s.name.length > 0 && s.name.length <= LIMITS.searchText));
      if (!selectOk) return 'select must be { kind: "process", pid, startTime } or { kind: "name", name }';
      return rangeProblem(p) ?? maxPointsProblem(p.maxPoints);
    }
    case 'topProcesses':
      if (p.by !== 'cpu' && p.by !== 'memory') return 'by must be "cpu" or "memory"';
      if (!isInt(p.limit) || p.limit < 1 || p.limit > LIMITS.topLimit) return `limit must be an integer in 1..${LIMITS.topLimit}`;
      return rangeProblem(p);
    case 'searchProcesses':
      if (!isStr(p.text) || p.text.length > LIMITS.searchText) return `text must be a string of at most ${LIMITS.searchText} characters`;
      if (!isInt(p.limit) || p.limit < 1 || p.limit > LIMITS.topLimit) return `limit must be an integer in 1..${LIMITS.topLimit}`;
      return rangeProblem(p);
    case 'export':
      if (p.pid !== undefined && !isPid(p.pid)) return 'pid must be a non-negative integer';
      return rangeProblem(p);
    case 'setRecording':
      return typeof p.enabled === 'boolean' ? undefined : 'enabled must be a boolean';
    case 'health':
    case 'backupNow':
    case 'clearHistory':
    case 'openSettings':
    case 'copyHealthJson':
    case 'showLogs':
      return undefined;
  }
}

export function parseWebviewMessage(msg: unknown): Parsed<WebviewMessage> {
  if (!isRecord(msg)) return { ok: false, error: 'message is not an object' };
  switch (msg.kind) {
    case 'ready':
      return { ok: true, value: { kind: 'ready' } };
    case 'log': {
      if (msg.level !== 'error' && msg.level !== 'warn' && msg.level !== 'info') return { ok: false, error: 'log: bad level' };
      if (!isStr(msg.message)) return { ok: false, error: 'log: message must be a string' };
      return { ok: true, value: { kind: 'log', level: msg.level, message: msg.message.slice(0, LIMITS.logMessage) } };
    }
    case 'request': {
      if (!isInt(msg.id) || msg.id < 0) return { ok: false, error: 'request: id must be a non-negative integer' };
      if (!isStr(msg.method) || !(DASHBOARD_METHODS as readonly string[]).includes(msg.method))
        return { ok: false, error: `request: unknown method ${JSON.stringify(msg.method)}` };
      const method = msg.method as DashboardMethod;
      if (!isRecord(msg.params)) return { ok: false, error: `${method}: params must be an object` };
      const problem = paramsProblem(method, msg.params);
      if (problem) return { ok: false, error: `${method}: ${problem}` };
      return { ok: true, value: msg as unknown as WebviewMessage };
    }
    default:
      return { ok: false, error: `unknown message kind ${JSON.stringify(msg.kind)}` };
  }
}
