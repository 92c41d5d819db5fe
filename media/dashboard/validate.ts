// Checks every message from the extension, and each answer against the method it answers, before
// the app uses it. A malformed message is reported (to the Vitals log) and ignored. Pure.

import type { HistoryResult, ProcessHistoryResult } from '../../src/backend/index';
import type { DashboardMethod, DashboardResult, ExtensionMessage } from '../../src/extension/dashboard/protocol';
import { all, arrayOf, bool, int, isRecord, nullable, num, numOrNull, obj, oneOf, optional, recordOf, str, unknownValue, type Check } from '../../src/shared/check';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const tier = oneOf('raw', '1m', '1h');
const tab = oneOf('overview', 'process', 'storage');

const processRef = obj({ pid: int, startTime: num, name: str });
const target = obj({ tab: optional(tab), process: optional(processRef) });

const status = obj({
  role: oneOf('recorder', 'viewer', 'stopped'),
  recording: bool,
  databasePath: str,
  lastFlushAt: nullable(num),
  databaseSizeBytes: num,
  problem: optional(str),
});

const staticInfo = obj({ hostname: str, platform: str, os: str, cpuModel: str, cpuCount: int, totalMemBytes: num });

const liveProcess = obj({ pid: int, startTime: num, name: str, cpu: num, rssBytes: num });
const liveSample = obj({ t: num, metrics: recordOf(num), processes: arrayOf(liveProcess) });

/** Every column as long as the time axis. */
function alignedSeries(length: number): Check {
  return obj({ avg: arrayOf(numOrNull, length), min: arrayOf(numOrNull, length), max: arrayOf(numOrNull, length) });
}

const timeAxis = obj({ from: num, to: num, tier, bucketMs: num, t: arrayOf(num) });

export const historyResult: Check = (v, p) =>
  timeAxis(v, p) ?? recordOf(alignedSeries((v as HistoryResult).t.length))((v as HistoryResult).series, `${p}.series`);

const processInfo = obj({ pid: int, ppid: int, startTime: num, name: str, command: str, user: str, firstSeen: num, lastSeen: num });

export const processHistoryResult: Check = (v, p) => {
  const e = timeAxis(v, p);
  if (e) return e;
  const n = (v as ProcessHistoryResult).t.length;
  return obj({ cpu: alignedSeries(n), rssBytes: alignedSeries(n), processes: arrayOf(processInfo) })(v, p);
};

const topRow = obj({
  pid: int, startTime: num, name: str, command: str, user: str,
  cpuAvg: num, cpuMax: num, rssAvgBytes: num, rssMaxBytes: num, samples: num,
});
export const topProcessesResult: Check = arrayOf(topRow);

const timedEvent = nullable(obj({ at: num, durationMs: num }));
const healthReport = obj({
  databasePath: str,
  databaseSizeBytes: num,
  liveSizeBytes: num,
  capBytes: num,
  rowCounts: recordOf(num),
  oldestSample: nullable(num),
  newestSample: nullable(num),
  retention: obj({
    rawSystemHours: num, rawProcessMinutes: num, minuteDays: num, hourDays: num,
    topNMinute: num, topNHour: num, maxDatabaseMB: num,
  }),
  lastFlush: timedEvent,
  lastCheckpoint: timedEvent,
  journalBytes: num,
  samplesDropped: num,
  role: oneOf('recorder', 'viewer', 'stopped'),
  recording: bool,
  self: obj({ cpuPercent: num, rssBytes: num, heapBytes: num }),
});
const backupInfo = obj({ path: str, createdAt: num, sizeBytes: num });
export const storageHealthResult: Check = obj({ report: healthReport, backups: nullable(arrayOf(backupInfo)) });

const processMatch = obj({
  pid: int, startTime: num, name: str, command: str, user: str,
  cpuAvg: nullable(num), cpuMax: nullable(num), rssMaxBytes: nullable(num), alive: bool,
});
export const searchResult: Check = obj({ matches: arrayOf(processMatch), names: arrayOf(obj({ name: str, count: int })), outsideRange: int });

const actionResult: Check = obj({ done: bool, message: optional(str) });

const RESULT_CHECKS: { [M in DashboardMethod]: Check } = {
  history: historyResult,
  processHistory: processHistoryResult,
  topProcesses: topProcessesResult,
  health: storageHealthResult,
  searchProcesses: searchResult,
  export: actionResult,
  backupNow: actionResult,
  clearHistory: actionResult,
  setRecording: actionResult,
  openSettings: actionResult,
  copyHealthJson: actionResult,
  showLogs: actionResult,
};

export function parseResult<M extends DashboardMethod>(method: M, result: unknown): Parsed<DashboardResult<M>> {
  const e = RESULT_CHECKS[method](result, method);
  return e ? { ok: false, error: e } : { ok: true, value: result as DashboardResult<M> };
}

const MESSAGE_CHECKS: Record<ExtensionMessage['kind'], Check> = {
  init: obj({
    info: nullable(staticInfo),
    status: nullable(status),
    metrics: arrayOf(str),
    target: nullable(target),
    latest: nullable(liveSample),
  }),
  response: all(
    obj({ inReplyTo: int, ok: bool }),
    (v, p) => ((v as { ok: boolean }).ok ? obj({ result: unknownValue })(v, p) : obj({ code: oneOf('not-ready', 'failed'), error: str })(v, p)),
  ),
  live: obj({ sample: liveSample }),
  status: obj({ status }),
  show: obj({ target }),
  resync: obj({ status: nullable(status) }),
};

export function parseExtensionMessage(msg: unknown): Parsed<ExtensionMessage> {
  if (!isRecord(msg)) return { ok: false, error: 'message is not an object' };
  const kind = msg.kind;
  if (typeof kind !== 'string' || !Object.prototype.hasOwnProperty.call(MESSAGE_CHECKS, kind))
    return { ok: false, error: `unknown message kind ${JSON.stringify(kind)}` };
  const e = MESSAGE_CHECKS[kind as ExtensionMessage['kind']](msg, kind);
  return e ? { ok: false, error: e } : { ok: true, value: msg as unknown as ExtensionMessage };
}

