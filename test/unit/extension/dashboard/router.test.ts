// The panel's router answering from the real backend (Monitor, sql.js, tiers) recorded over
// simulated time, and the webview's validators accepting those answers: both ends of the dashboard
// protocol checked against each other. Only the clock and the samples are synthetic.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../../src/backend/config';
import { Monitor } from '../../../../src/backend/monitor';
import type { Method, Params, Result } from '../../../../src/backend/protocol';
import type { Snapshot } from '../../../../src/backend/types';
import type { DashboardRequest, ExtensionMessage } from '../../../../src/shared/dashboardProtocol';
import { NotReadyError } from '../../../../src/shared/errors';
import { WorkerRequestError, type WorkerErrorCode } from '../../../../src/extension/worker/client';
import {
  DashboardRouter,
  initMessage,
  toLiveSample,
  type DashboardActions,
  type DashboardBackend,
} from '../../../../src/extension/dashboard/router';
import { parseExtensionMessage, parseResult } from '../../../../src/shared/dashboardChecks';
import { shapeGaps } from '../../../../media/dashboard/series';
import { processesAt, systemAt } from '../../../support/synthetic';

const INTERVAL = 2000;
const MIN = 60_000;
const T0 = Date.UTC(2025, 0, 6, 8, 0, 0);

let dir: string;
let monitor: Monitor;
let now = T0;
let latest: Snapshot | undefined;

/** The Monitor behind the request-shaped API the router uses, as the worker maps it. */
function backendOf(m: Monitor): DashboardBackend {
  const call = (method: Method, p: unknown): unknown => {
    switch (method) {
      case 'history':
        return m.history(p as Params<'history'>);
      case 'processHistory':
        return m.processHistory(p as Params<'processHistory'>);
      case 'topProcesses':
        return m.topProcesses(p as Params<'topProcesses'>);
      case 'searchProcesses': {
        const q = p as Params<'searchProcesses'>;
        return m.searchProcesses(q.text, q.limit);
      }
      case 'health':
        return m.health();
      case 'listBackups':
        return m.listBackups();
      default:
        throw new Error(`${method} is not used by the dashboard's queries`);
    }
  };
  return {
    request: async <M extends Method>(method: M, params: Params<M>) => (await call(method, params)) as Result<M>,
    get lastSnapshot() {
      return latest;
    },
    get lastStatus() {
      return m.status();
    },
    info: m.info,
  };
}

const noActions = new Proxy({} as DashboardActions, {
  get: () => () => Promise.reject(new Error('actions are not part of this test')),
});

let router: DashboardRouter;
let nextId = 1;
async function ask<M extends DashboardRequest['method']>(method: M, params: Extract<DashboardRequest, { method: M }>['params']) {
  const res = await router.handle({ kind: 'request', id: nextId++, method, params } as DashboardRequest);
  // What the webview would receive, through its own checks.
  const msg = parseExtensionMessage(JSON.parse(JSON.stringify(res)));
  if (!msg.ok) throw new Error(msg.error);
  if (res.kind !== 'response' || !res.ok) throw new Error(`request failed: ${JSON.stringify(res)}`);
  const parsed = parseResult(method, res.result);
  if (!parsed.ok) throw new Error(`webview rejected the ${method} answer: ${parsed.error}`);
  return parsed.value;
}

async function record(minutes: number): Promise<void> {
  const until = now + minutes * MIN;
  for (; now < until; now += INTERVAL) latest = (await monitor.tick()) ?? latest;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-dash-'));
  monitor = await Monitor.open({
    dbPath: join(dir, 'history.db'),
    config: defaultMonitorConfig({ sampleIntervalMs: INTERVAL, flushIntervalMs: INTERVAL }),
    clock: { now: () => now },
    autoStart: false,
    info: { hostname: 'test', platform: 'linux', os: 'Linux', cpuModel: 'synthetic', cpuCount: 2, totalMemBytes: 16e9 },
    samplers: {
      kind: 'procfs',
      system: { sample: async (t) => systemAt(t, 2), dispose: () => undefined },
      processes: {
        sample: async (t) => processesAt(t, INTERVAL, { processes: 30, churn: 1 }),
        setCommandLineMode: () => undefined,
        dispose: () => undefined,
      },
    },
    sink: { snapshot: () => undefined, status: () => undefined, log: () => undefined, problem: () => undefined },
  });
  router = new DashboardRouter(backendOf(monitor), noActions);
  // 30 minutes recorded, 2 hours off, 10 minutes recorded.
  await record(30);
  now += 120 * MIN;
  await record(10);
});

afterAll(async () => {
  await monitor?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dashboard router on the real backend', () => {
  it('answers history the webview accepts, with the time off shown as exactly one gap', async () => {
    const metrics = ['cpu.total', 'mem.used', 'core.0.total', 'fs./.used', 'fs./.size'];
    const h = await ask('history', { metrics, from: T0, to: now, maxPoints: 300 });
    expect(h.t.length).toBeLessThanOrEqual(300);
    const shaped = shapeGaps(
      h.t,
      metrics.map((m) => h.series[m]!.avg),
      h.bucketMs,
    );
    const gapRows = shaped.t.filter((_, i) => shaped.cols.every((c) => c[i] === null));
    expect(gapRows).toHaveLength(1);
    expect(gapRows[0]!).toBeGreaterThan(T0 + 30 * MIN);
    expect(gapRows[0]!).toBeLessThan(T0 + 150 * MIN);
    // Everything else is data.
    expect(shaped.t.length - 1).toBe(shaped.cols[0]!.filter((v) => v !== null).length);
  });

  it('finds processes by name, counts the ones outside the range, and marks running ones', async () => {
    const lastTen = { from: now - 10 * MIN, to: now };
    const all = await ask('searchProcesses', { text: 'sh', ...lastTen, limit: 500 });
    expect(all.matches.length).toBeGreaterThan(0);
    expect(all.matches.every((m) => m.name.includes('sh') || m.command.includes('sh'))).toBe(true);
    // Short-lived `sh` jobs from the first half hour are recorded but not in this range.
    expect(all.outsideRange).toBeGreaterThan(0);
    expect(all.matches.some((m) => m.alive)).toBe(true);
    expect(all.names.find((n) => n.name === 'sh')?.count).toBeGreaterThan(1);

    const top = await ask('searchProcesses', { text: '', ...lastTen, limit: 5 });
    expect(top.matches).toHaveLength(5);
    expect(top.outsideRange).toBe(0);
  });

  it('answers process history for one process and for a name, with lifetimes for the marks', async () => {
    const one = await ask('processHistory', {
      select: { kind: 'process', pid: 1000, startTime: 1_600_000_000_000 },
      from: T0,
      to: now,
      maxPoints: 200,
    });
    expect(one.processes).toHaveLength(1);
    expect(one.cpu.avg.some((v) => v !== null && v > 0)).toBe(true);
    const named = await ask('processHistory', { select: { kind: 'name', name: 'sh' }, from: now - 10 * MIN, to: now, maxPoints: 200 });
    expect(named.processes.length).toBeGreaterThan(1);
    for (const p of named.processes) expect(p.lastSeen).toBeGreaterThanOrEqual(p.firstSeen);
  });

  it('answers top processes and the storage report', async () => {
    const top = await ask('topProcesses', { from: T0, to: now, by: 'memory', limit: 10 });
    expect(top).toHaveLength(10);
    expect(top[0]!.rssMaxBytes).toBeGreaterThanOrEqual(top[9]!.rssMaxBytes);
    const health = await ask('health', {});
    expect(health.report.newestSample).toBeGreaterThan(health.report.oldestSample!);
    expect(Object.values(health.report.rowCounts).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(health.backups).not.toBeNull();
  });

  it('sends an init and live samples the webview accepts', () => {
    const init: ExtensionMessage = initMessage(backendOf(monitor), { tab: 'storage' });
    expect(parseExtensionMessage(JSON.parse(JSON.stringify(init))).ok).toBe(true);
    expect(init.kind === 'init' && init.metrics).toContain('core.1.total');
    expect(init.kind === 'init' && init.metrics).toContain('fs./.used');
    const live = { kind: 'live', sample: toLiveSample(latest!) };
    expect(parseExtensionMessage(JSON.parse(JSON.stringify(live))).ok).toBe(true);
  });

  it('turns a backend that is restarting into not-ready, and other failures into failed', async () => {
    const failing = (code: string): DashboardBackend => ({
      request: () =>
        Promise.reject(
          code === 'not-ready' ? new NotReadyError(`boom ${code}`) : new WorkerRequestError(code as WorkerErrorCode, `boom ${code}`),
        ),
      lastSnapshot: undefined,
      lastStatus: monitor.status(),
      info: undefined,
    });
    const req: DashboardRequest = { kind: 'request', id: 1, method: 'health', params: {} };
    expect(await new DashboardRouter(failing('worker-exited'), noActions).handle(req)).toMatchObject({ ok: false, code: 'not-ready' });
    expect(await new DashboardRouter(failing('not-ready'), noActions).handle(req)).toMatchObject({ ok: false, code: 'not-ready' });
    expect(await new DashboardRouter(failing('internal'), noActions).handle(req)).toMatchObject({
      ok: false,
      code: 'failed',
      error: 'boom internal',
    });
  });
});
