// Answers the webview's validated requests from the backend. Free of `vscode` so the dev harness
// (media/dev) and the unit tests drive exactly this code; the panel injects the actions that need
// VS Code's UI (dialogs, clipboard, settings).

import { CORE_METRICS, flattenSystem } from '../../backend';
import type { BackendStatus, Method, Params, Result, Snapshot, StaticInfo } from '../../backend';
import type {
  ActionResult,
  DashboardErrorCode,
  DashboardParams,
  DashboardRequest,
  DashboardTarget,
  ExtensionMessage,
  LiveSample,
  ProcessMatch,
  SearchProcessesQuery,
  SearchProcessesResult,
  StorageHealth,
} from '../../shared/dashboardProtocol';
import { errorText } from '../../shared/errors';
import { isNotReady } from '../worker/client';

/** The part of WorkerConnection the dashboard needs (WorkerConnection satisfies it). */
export interface DashboardBackend {
  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>>;
  readonly lastSnapshot: Snapshot | undefined;
  readonly lastStatus: BackendStatus | undefined;
  readonly info: StaticInfo | undefined;
}

export type ActionMethod = 'export' | 'backupNow' | 'clearHistory' | 'setRecording' | 'openSettings' | 'copyHealthJson' | 'showLogs';

export type DashboardActions = {
  [M in ActionMethod]: (params: DashboardParams<M>) => Promise<ActionResult>;
};

type Response = Extract<ExtensionMessage, { kind: 'response' }>;

export function toLiveSample(s: Snapshot): LiveSample {
  return {
    t: s.t,
    metrics: Object.fromEntries(flattenSystem(s.system)),
    processes: s.processes.map((p) => ({
      pid: p.pid,
      startTime: p.startTime,
      name: p.name,
      cpu: p.cpu,
      rssBytes: p.rssBytes,
      ...(p.readBytes !== undefined ? { readBytes: p.readBytes } : {}),
      ...(p.writeBytes !== undefined ? { writeBytes: p.writeBytes } : {}),
    })),
    ...(s.processesAt !== undefined ? { processesAt: s.processesAt } : {}),
  };
}

/** Metric names the charts can ask history for: the latest sample's, or the fixed ones before any. */
export function knownMetrics(snapshot: Snapshot | undefined, info: StaticInfo | undefined): string[] {
  if (snapshot) return [...flattenSystem(snapshot.system).keys()];
  const cores = Array.from({ length: info?.cpuCount ?? 0 }, (_, i) => `core.${i}.total`);
  return [...CORE_METRICS, ...cores];
}

export function initMessage(backend: DashboardBackend, target: DashboardTarget | null): ExtensionMessage {
  const snap = backend.lastSnapshot;
  return {
    kind: 'init',
    info: backend.info ?? null,
    status: backend.lastStatus ?? null,
    metrics: knownMetrics(snap, backend.info),
    target,
    latest: snap ? toLiveSample(snap) : null,
  };
}

function errorCode(err: unknown, backend: DashboardBackend): DashboardErrorCode {
  // Before the first status the backend has not started yet, whatever failed.
  return isNotReady(err) || backend.lastStatus === undefined ? 'not-ready' : 'failed';
}

/** How many of the range's top processes a search looks through for statistics and command lines. */
export const SEARCH_SCAN = 500;
/** How many recorded processes a name search asks the backend for. */
export const SEARCH_RECORDED = 300;

/** A match the range's statistics did not rank: what is known of the process, no figures. */
function unranked(
  p: { pid: number; startTime: number; name: string; command: string; user: string },
  rssMaxBytes: number | null,
): Omit<ProcessMatch, 'alive'> {
  return { pid: p.pid, startTime: p.startTime, name: p.name, command: p.command, user: p.user, cpuAvg: null, cpuMax: null, rssMaxBytes };
}

/**
 * Merges what the backend knows into one list: the range's top processes (with statistics) that
 * match by name or command line, then recorded processes whose name matches and whose lifetime
 * overlaps the range, then matching processes running now.
 */
export function searchProcesses(
  q: SearchProcessesQuery,
  rows: Result<'topProcesses'>,
  recorded: Result<'searchProcesses'>,
  latest: Snapshot | undefined,
): SearchProcessesResult {
  const needle = q.text.trim().toLowerCase();
  const hit = (name: string, command: string): boolean =>
    needle === '' || name.toLowerCase().includes(needle) || command.toLowerCase().includes(needle);
  const alive = new Set((latest?.processes ?? []).map((p) => `${p.pid}@${p.startTime}`));
  const seen = new Set<string>();
  const matches: ProcessMatch[] = [];
  const add = (m: Omit<ProcessMatch, 'alive'>): void => {
    const key = `${m.pid}@${m.startTime}`;
    if (seen.has(key)) return;
    seen.add(key);
    matches.push({ ...m, alive: alive.has(key) });
  };
  for (const r of rows) {
    if (!hit(r.name, r.command)) continue;
    add({
      pid: r.pid,
      startTime: r.startTime,
      name: r.name,
      command: r.command,
      user: r.user,
      cpuAvg: r.cpuAvg,
      cpuMax: r.cpuMax,
      rssMaxBytes: r.rssMaxBytes,
    });
  }
  let outsideRange = 0;
  if (needle !== '') {
    for (const p of recorded) {
      if (seen.has(`${p.pid}@${p.startTime}`)) continue;
      if (p.lastSeen < q.from || p.firstSeen > q.to) {
        outsideRange++;
        continue;
      }
      add(unranked(p, null));
    }
    // Running processes the range's rollups did not rank (idle ones) are still findable.
    if (latest && latest.t >= q.from) for (const p of latest.processes) if (hit(p.name, p.command)) add(unranked(p, p.rssBytes));
  }
  const counts = new Map<string, number>();
  for (const m of matches) counts.set(m.name, (counts.get(m.name) ?? 0) + 1);
  const names = [...counts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  return { matches: matches.slice(0, q.limit), names, outsideRange };
}

export async function storageHealth(backend: DashboardBackend): Promise<StorageHealth> {
  const [report, backups] = await Promise.all([
    backend.request('health', {}),
    // Backups are an extra: a failure to list them must not hide the report.
    backend.request('listBackups', {}).catch(() => null),
  ]);
  return { report, backups };
}

export class DashboardRouter {
  constructor(
    private readonly backend: DashboardBackend,
    private readonly actions: DashboardActions,
  ) {}

  async handle(req: DashboardRequest): Promise<Response> {
    try {
      const result = await this.answer(req);
      return { kind: 'response', inReplyTo: req.id, ok: true, result };
    } catch (err) {
      return { kind: 'response', inReplyTo: req.id, ok: false, code: errorCode(err, this.backend), error: errorText(err) };
    }
  }

  /** Copies only the fields each backend method takes: the validator let extra ones through. */
  private async answer(req: DashboardRequest): Promise<unknown> {
    const b = this.backend;
    switch (req.method) {
      case 'history': {
        const { metrics, from, to, maxPoints } = req.params;
        return b.request('history', { metrics, from, to, maxPoints });
      }
      case 'processHistory': {
        const { select, from, to, maxPoints } = req.params;
        const sel =
          select.kind === 'process'
            ? { kind: 'process' as const, pid: select.pid, startTime: select.startTime }
            : { kind: 'name' as const, name: select.name };
        return b.request('processHistory', { select: sel, from, to, maxPoints });
      }
      case 'topProcesses': {
        const { from, to, by, limit } = req.params;
        return b.request('topProcesses', { from, to, by, limit });
      }
      case 'loadByGroup': {
        const { from, to, by, maxPoints, limit } = req.params;
        return b.request('loadByGroup', { from, to, by, maxPoints, limit });
      }
      case 'searchProcesses': {
        const q = req.params;
        const text = q.text.trim();
        const [rows, recorded] = await Promise.all([
          b.request('topProcesses', { from: q.from, to: q.to, by: 'cpu', limit: SEARCH_SCAN }),
          text ? b.request('searchProcesses', { text, limit: SEARCH_RECORDED }) : Promise.resolve([]),
        ]);
        return searchProcesses(q, rows, recorded, b.lastSnapshot);
      }
      case 'health':
        return storageHealth(b);
      case 'alerts': {
        const { from, to } = req.params;
        return b.request('alerts', { from, to });
      }
      case 'topAt': {
        const { t, by, n } = req.params;
        return b.request('topAt', { t, by, n });
      }
      default:
        return this.act(req);
    }
  }

  private act(req: Extract<DashboardRequest, { method: ActionMethod }>): Promise<ActionResult> {
    // One case per method keeps each params type tied to its handler.
    switch (req.method) {
      case 'export':
        return this.actions.export(req.params);
      case 'backupNow':
        return this.actions.backupNow(req.params);
      case 'clearHistory':
        return this.actions.clearHistory(req.params);
      case 'setRecording':
        return this.actions.setRecording(req.params);
      case 'openSettings':
        return this.actions.openSettings(req.params);
      case 'copyHealthJson':
        return this.actions.copyHealthJson(req.params);
      case 'showLogs':
        return this.actions.showLogs(req.params);
    }
  }
}
