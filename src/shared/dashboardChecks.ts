// The checks of the dashboard protocol (dashboardProtocol.ts), both directions in one place: what
// the panel accepts from the webview (parseWebviewMessage) and what the webview accepts from the
// panel (parseExtensionMessage, and each answer against the method it answers: parseResult). A
// malformed message is reported (to the Vitals log) and ignored, never acted on. Pure.

import type { HistoryResult, LoadByGroupResult, ProcessHistoryResult } from '../backend/index';
import type { DashboardMethod, DashboardResult, ExtensionMessage, WebviewMessage } from './dashboardProtocol';
import {
  all,
  arrayOf,
  arrayOfCount,
  bool,
  int,
  intIn,
  nullable,
  num,
  numOrNull,
  obj,
  oneOf,
  optional,
  parse,
  recordOf,
  str,
  strOf,
  timeRange,
  unknownValue,
  variant,
  type Check,
  type Parsed,
} from './check';

// ---------------------------------------------------------------------------------------------
// webview → extension. The webview runs our own script, but a bug there (or a stale cached bundle
// after an update) must produce a log line, not a bad backend query.

/** Bounds that keep one request from asking the backend for absurd amounts of work. */
export const LIMITS = {
  maxPoints: 5000,
  metrics: 1000,
  metricNameLength: 300,
  topLimit: 1000,
  searchText: 200,
  /** Groups a load-by-group chart asks for (the backend sums the rest into "other"). */
  groups: 100,
  logMessage: 4000,
} as const;

const DASHBOARD_METHODS: readonly DashboardMethod[] = [
  'history',
  'processHistory',
  'topProcesses',
  'loadByGroup',
  'health',
  'searchProcesses',
  'export',
  'backupNow',
  'clearHistory',
  'setRecording',
  'openSettings',
  'copyHealthJson',
  'showLogs',
  'alerts',
  'topAt',
];

const pid = intIn(0);
const maxPoints = intIn(1, LIMITS.maxPoints);
const topLimit = intIn(1, LIMITS.topLimit);

const DASHBOARD_PARAMS: { [M in DashboardMethod]: Check } = {
  history: all(obj({ metrics: arrayOfCount(strOf(1, LIMITS.metricNameLength), 1, LIMITS.metrics) }), timeRange, obj({ maxPoints })),
  processHistory: all(
    obj({
      select: variant('kind', { process: obj({ pid, startTime: num }), name: obj({ name: strOf(1, LIMITS.searchText) }) }, 'selector'),
    }),
    timeRange,
    obj({ maxPoints }),
  ),
  topProcesses: all(obj({ by: oneOf('cpu', 'memory'), limit: topLimit }), timeRange),
  loadByGroup: all(obj({ by: oneOf('extension', 'role'), maxPoints, limit: intIn(1, LIMITS.groups) }), timeRange),
  searchProcesses: all(obj({ text: strOf(0, LIMITS.searchText), limit: topLimit }), timeRange),
  export: all(obj({ pid: optional(pid) }), timeRange),
  setRecording: obj({ enabled: bool }),
  health: obj({}),
  backupNow: obj({}),
  clearHistory: obj({}),
  openSettings: obj({}),
  copyHealthJson: obj({}),
  showLogs: obj({}),
  alerts: timeRange,
  topAt: obj({ t: num, by: oneOf('cpu', 'memory'), n: topLimit }),
};

const webviewMessage: Check = variant(
  'kind',
  {
    ready: obj({}),
    log: obj({ level: oneOf('error', 'warn', 'info'), message: str }),
    request: all(
      obj({ id: intIn(0) }),
      variant('method', Object.fromEntries(DASHBOARD_METHODS.map((m) => [m, obj({ params: DASHBOARD_PARAMS[m] })])), 'method'),
    ),
  },
  'message kind',
);

export function parseWebviewMessage(msg: unknown): Parsed<WebviewMessage> {
  const parsed = parse<WebviewMessage>(webviewMessage, msg);
  if (!parsed.ok) return parsed;
  const m = parsed.value;
  // Only what each kind defines goes on (the router copies request params field by field).
  if (m.kind === 'ready') return { ok: true, value: { kind: 'ready' } };
  if (m.kind === 'log') return { ok: true, value: { kind: 'log', level: m.level, message: m.message.slice(0, LIMITS.logMessage) } };
  return parsed;
}

// ---------------------------------------------------------------------------------------------
// extension → webview

const tier = oneOf('raw', '1m', '1h');
const tab = oneOf('overview', 'process', 'events', 'storage');

const processRef = obj({ pid: int, startTime: num, name: str });
const target = obj({ tab: optional(tab), process: optional(processRef), range: optional(timeRange) });

const status = obj({
  role: oneOf('recorder', 'viewer', 'stopped'),
  recording: bool,
  databasePath: str,
  lastFlushAt: nullable(num),
  databaseSizeBytes: num,
  problem: optional(str),
});

const staticInfo = obj({ hostname: str, platform: str, os: str, cpuModel: str, cpuCount: int, totalMemBytes: num });

const liveProcess = obj({
  pid: int,
  startTime: num,
  name: str,
  cpu: num,
  rssBytes: num,
  readBytes: optional(nullable(num)),
  writeBytes: optional(nullable(num)),
});
const liveSample = obj({ t: num, metrics: recordOf(num), processes: arrayOf(liveProcess), processesAt: optional(num) });

/** Every column as long as the time axis. */
function alignedSeries(length: number): Check {
  return obj({ avg: arrayOf(numOrNull, length), min: arrayOf(numOrNull, length), max: arrayOf(numOrNull, length) });
}

const timeAxis = obj({ from: num, to: num, tier, bucketMs: num, t: arrayOf(num) });

const historyResult: Check = (v, p) =>
  timeAxis(v, p) ?? recordOf(alignedSeries((v as HistoryResult).t.length))((v as HistoryResult).series, `${p}.series`);

const processInfo = obj({ pid: int, ppid: int, startTime: num, name: str, command: str, user: str, firstSeen: num, lastSeen: num });

const processHistoryResult: Check = (v, p) => {
  const e = timeAxis(v, p);
  if (e) return e;
  const n = (v as ProcessHistoryResult).t.length;
  return obj({
    cpu: alignedSeries(n),
    rssBytes: alignedSeries(n),
    readBps: alignedSeries(n),
    writeBps: alignedSeries(n),
    processes: arrayOf(processInfo),
  })(v, p);
};

const topRow = obj({
  pid: int,
  startTime: num,
  name: str,
  command: str,
  user: str,
  cpuAvg: num,
  cpuMax: num,
  rssAvgBytes: num,
  rssMaxBytes: num,
  samples: num,
});
const topProcessesResult: Check = arrayOf(topRow);

const loadByGroupResult: Check = (v, p) => {
  const e = timeAxis(v, p);
  if (e) return e;
  const n = (v as LoadByGroupResult).t.length;
  return obj({
    by: oneOf('extension', 'role'),
    groups: arrayOf(
      obj({
        key: str,
        label: str,
        cpu: alignedSeries(n),
        rssBytes: alignedSeries(n),
        cpuAvg: num,
        cpuMax: num,
        rssMaxBytes: num,
        processes: int,
      }),
    ),
  })(v, p);
};

const timedEvent = nullable(obj({ at: num, durationMs: nullable(num) }));
const healthReport = obj({
  databasePath: str,
  databaseSizeBytes: num,
  liveSizeBytes: num,
  capBytes: num,
  rowCounts: recordOf(num),
  oldestSample: nullable(num),
  newestSample: nullable(num),
  retention: obj({
    rawSystemHours: num,
    rawProcessMinutes: num,
    minuteDays: num,
    hourDays: num,
    topNMinute: num,
    topNHour: num,
    maxDatabaseMB: num,
  }),
  lastFlush: timedEvent,
  lastCheckpoint: timedEvent,
  journalBytes: num,
  samplesDropped: num,
  role: oneOf('recorder', 'viewer', 'stopped'),
  recording: bool,
  self: obj({
    cpuPercent: num,
    cpuScope: oneOf('worker-thread', 'main-thread', 'process'),
    heapBytes: num,
    wasmBytes: num,
    rssBytes: num,
  }),
  sampling: optional(
    nullable(
      obj({
        intervalMs: num,
        systemIntervalMs: num,
        processIntervalMs: num,
        costPercent: nullable(num),
        budgetPercent: num,
        governed: bool,
      }),
    ),
  ),
});
const backupInfo = obj({ path: str, createdAt: num, sizeBytes: num });
const storageHealthResult: Check = obj({ report: healthReport, backups: nullable(arrayOf(backupInfo)) });

const processMatch = obj({
  pid: int,
  startTime: num,
  name: str,
  command: str,
  user: str,
  cpuAvg: nullable(num),
  cpuMax: nullable(num),
  rssMaxBytes: nullable(num),
  alive: bool,
});
const searchResult: Check = obj({ matches: arrayOf(processMatch), names: arrayOf(obj({ name: str, count: int })), outsideRange: int });

const actionResult: Check = obj({ done: bool, message: optional(str) });

// Alert events and who-did-it answers, as the backend sends them (src/backend/alerts/types.ts).
const alertProcess = obj({ pid: int, startTime: num, name: str, value: num });
const alertEvent = obj({
  id: str,
  rule: oneOf('processCpu', 'machineCpu', 'lowMemory', 'leak', 'filesystem'),
  culprit: obj({ key: str, kind: oneOf('process', 'group', 'machine', 'filesystem'), label: str, processes: arrayOf(alertProcess) }),
  start: num,
  end: nullable(num),
  peak: obj({ value: num, unit: oneOf('%core', '%', 'bytes', 'bytes/h') }),
  text: str,
});
const alertsResult: Check = arrayOf(alertEvent);
const topAtResult: Check = obj({
  asked: num,
  at: nullable(num),
  exact: bool,
  tier,
  bucketMs: num,
  by: oneOf('cpu', 'memory'),
  processes: arrayOf(obj({ pid: int, startTime: num, name: str, command: str, cpu: num, rssBytes: num })),
});

const RESULT_CHECKS: { [M in DashboardMethod]: Check } = {
  history: historyResult,
  processHistory: processHistoryResult,
  topProcesses: topProcessesResult,
  loadByGroup: loadByGroupResult,
  health: storageHealthResult,
  searchProcesses: searchResult,
  export: actionResult,
  backupNow: actionResult,
  clearHistory: actionResult,
  setRecording: actionResult,
  openSettings: actionResult,
  copyHealthJson: actionResult,
  showLogs: actionResult,
  alerts: alertsResult,
  topAt: topAtResult,
};

export function parseResult<M extends DashboardMethod>(method: M, result: unknown): Parsed<DashboardResult<M>> {
  return parse<DashboardResult<M>>(RESULT_CHECKS[method], result, method);
}

const extensionMessage: Check = variant(
  'kind',
  {
    init: obj({
      info: nullable(staticInfo),
      status: nullable(status),
      metrics: arrayOf(str),
      target: nullable(target),
      latest: nullable(liveSample),
    }),
    response: all(obj({ inReplyTo: int, ok: bool }), (v, p) =>
      (v as { ok: boolean }).ok ? obj({ result: unknownValue })(v, p) : obj({ code: oneOf('not-ready', 'failed'), error: str })(v, p),
    ),
    live: obj({ sample: liveSample }),
    status: obj({ status }),
    show: obj({ target }),
    resync: obj({ status: nullable(status) }),
  } satisfies Record<ExtensionMessage['kind'], Check>,
  'message kind',
);

export function parseExtensionMessage(msg: unknown): Parsed<ExtensionMessage> {
  return parse<ExtensionMessage>(extensionMessage, msg);
}
