// A long simulated history, recorded through the real Store.record() path with the default settings
// (2 s interval, 300 processes + churn, 64 MB cap) and an injected clock, then:
//   - the database size it settles at, against the raw size it would have without rollups;
//   - query latency on it (history at 400 points, top processes, process history, health), each
//     against a naive query over a plain one-row-per-sample table of the same data.
// The naive tables hold the last 24 h of system rows and the last hour of process rows (a month of
// raw rows does not fit in memory: that is the point of the rollups); longer naive ranges are
// extrapolated linearly in rows, and say so.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../src/backend/config';
import { flattenSystem } from '../../src/backend/metrics';
import { healthReport } from '../../src/backend/queries/health';
import { history } from '../../src/backend/queries/history';
import { processHistory, topProcesses } from '../../src/backend/queries/processes';
import { loadByGroup } from '../../src/backend/queries/loadByGroup';
import { tableRowCounts } from '../../src/backend/storage/maintenance';
import { loadSqlJs } from '../../src/backend/storage/sqljs';
import { Store } from '../../src/backend/storage/store';
import { snapshotAt, SYNTHETIC_ROLES } from '../../test/support/synthetic';

export interface HistoryParams {
  days: number;
  /** Simulated minutes between checkpoints (the product: 15 real minutes). */
  checkpointEveryMinutes: number;
  queryRuns: number;
  /** Runs of each naive comparator (slow by design). */
  naiveRuns: number;
  keepDir: string;
}

export interface QueryFigure {
  name: string;
  ms: number[];
  naiveMs: number[];
  /** How the naive figure was obtained: measured, or extrapolated ×factor from a measured one. */
  naiveNote: string;
  tier: string;
  points: number;
}

export interface HistoryResult {
  days: number;
  intervals: number;
  processesPerInterval: number;
  metricsPerInterval: number;
  fileBytes: number;
  liveBytes: number;
  capBytes: number;
  rowCounts: Record<string, number>;
  /** Bytes a journal record of one interval takes (frames + new strings): the raw frame size. */
  rawIntervalBytes: number;
  naiveSysBytesPerRow: number;
  naiveProcBytesPerRow: number;
  buildSeconds: number;
  buildCpuSeconds: number;
  /** Store.record() alone, CPU ms per interval, per simulated day (steady state shows from day 2). */
  recordMsPerDay: number[];
  queries: QueryFigure[];
  keptAt: string;
  checkpointMs: number[];
}

const STEP = 2000;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const METRICS = ['cpu.total', 'cpu.user', 'cpu.system', 'mem.used', 'net.rx', 'net.tx'];

function time(runs: number, fn: () => unknown): number[] {
  fn(); // warm-up
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function simulatedHistory(p: HistoryParams): Promise<HistoryResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-history-'));
  mkdirSync(p.keepDir, { recursive: true });
  const path = join(dir, 'vitals.sqlite');
  const config = defaultMonitorConfig();
  const store = await Store.open({ path, retention: config.retention });
  const SQL = await loadSqlJs();
  // Two databases, so each table's size per row can be read off its own page count.
  const naiveSys = new SQL.Database();
  const naiveProc = new SQL.Database();
  naiveSys.exec(`
    CREATE TABLE sys_naive(t INTEGER NOT NULL, metric INTEGER NOT NULL, value REAL NOT NULL);
    CREATE INDEX sys_naive_mt ON sys_naive(metric, t);
  `);
  naiveProc.exec(`
    CREATE TABLE proc_naive(t INTEGER NOT NULL, pid INTEGER NOT NULL, start INTEGER NOT NULL, cpu REAL NOT NULL, rss INTEGER NOT NULL);
    CREATE INDEX proc_naive_t ON proc_naive(t);
  `);
  const metricIds = new Map<string, number>();
  const insSys = naiveSys.prepare('INSERT INTO sys_naive VALUES (?, ?, ?)');
  const insProc = naiveProc.prepare('INSERT INTO proc_naive VALUES (?, ?, ?, ?, ?)');

  const intervals = Math.round((p.days * DAY) / STEP);
  const end = Math.floor(Date.now() / STEP) * STEP;
  const t0 = end - intervals * STEP;
  const checkpointEvery = Math.max(1, Math.round((p.checkpointEveryMinutes * 60_000) / STEP));
  const perDay = DAY / STEP;
  const recordMsPerDay: number[] = [];
  const checkpointMs: number[] = [];
  let recordMs = 0;
  let recordN = 0;
  let rawIntervalBytes = 0;
  let processesPerInterval = 0;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  naiveSys.exec('BEGIN');
  naiveProc.exec('BEGIN');
  try {
    for (let i = 0; i < intervals; i++) {
      const t = t0 + i * STEP;
      // Eight of the processes are VS Code's (an extension host, extensions' servers…): the
      // by-extension query has groups to sum, and the rollups keep their places.
      const snap = snapshotAt(t, STEP, { vscode: true });
      const r0 = process.cpuUsage();
      store.record(snap);
      const r = process.cpuUsage(r0);
      recordMs += (r.user + r.system) / 1000;
      recordN++;
      if (end - t <= DAY) {
        for (const [name, value] of flattenSystem(snap.system)) {
          let id = metricIds.get(name);
          if (id === undefined) metricIds.set(name, (id = metricIds.size + 1));
          insSys.run([t, id, value]);
        }
      }
      if (end - t <= HOUR) for (const q of snap.processes) insProc.run([t, q.pid, q.startTime, q.cpu, q.rssBytes]);
      if (i === intervals - 1) {
        processesPerInterval = snap.processes.length;
        const before = store.journal.size();
        store.flush(t);
        rawIntervalBytes = store.journal.size() - before;
      }
      if ((i + 1) % checkpointEvery === 0) {
        const c = store.checkpoint(t);
        if (c) checkpointMs.push(c.durationMs);
      }
      if ((i + 1) % perDay === 0 || i === intervals - 1) {
        recordMsPerDay.push(recordMs / recordN);
        const done = (i + 1) / intervals;
        const elapsed = (performance.now() - wall0) / 1000;
        console.error(
          `  history: day ${((i + 1) / perDay).toFixed(1)}/${p.days.toFixed(1)}, record ${(recordMs / recordN).toFixed(3)} ms/interval, ` +
            `live ${(store.liveSizeBytes / 1048576).toFixed(1)} MB, ${elapsed.toFixed(0)} s elapsed, ~${((elapsed / done) * (1 - done)).toFixed(0)} s left`,
        );
        recordMs = 0;
        recordN = 0;
      }
    }
    naiveSys.exec('COMMIT');
    naiveProc.exec('COMMIT');
  } finally {
    insSys.free();
    insProc.free();
  }
  const buildSeconds = (performance.now() - wall0) / 1000;
  const c = process.cpuUsage(cpu0);
  store.checkpoint(end);

  const now = end + STEP;
  const q = (name: string): QueryFigure => ({ name, ms: [], naiveMs: [], naiveNote: 'measured', tier: '', points: 0 });
  const queries: QueryFigure[] = [];
  const ids = METRICS.map((m) => metricIds.get(m)).filter((x): x is number => x !== undefined);
  const naiveHistory = (from: number, to: number): void => {
    const bucket = Math.max(STEP, Math.ceil((to - from) / 400));
    naiveSys.exec(
      `SELECT metric, (t - ${from}) / ${bucket} AS b, avg(value), min(value), max(value) FROM sys_naive
       WHERE metric IN (${ids.join(',')}) AND t >= ${from} AND t < ${to} GROUP BY metric, b`,
    );
  };
  const naiveTop = (from: number, to: number): void => {
    naiveProc.exec(
      `SELECT pid, start, avg(cpu), max(cpu), avg(rss), max(rss), count(*) FROM proc_naive
       WHERE t >= ${from} AND t < ${to} GROUP BY pid, start ORDER BY avg(cpu) DESC LIMIT 20`,
    );
  };
  const naiveSys24 = time(p.naiveRuns, () => naiveHistory(now - DAY, now));
  const naiveTop1h = time(p.naiveRuns, () => naiveTop(now - HOUR, now));
  for (const [label, span] of [
    ['1 h', HOUR],
    ['24 h', DAY],
    ['7 d', 7 * DAY],
    ['30 d', 30 * DAY],
    ['90 d', 90 * DAY],
  ] as const) {
    const f = q(`history ${label}`);
    let last: ReturnType<typeof history> | undefined;
    f.ms = time(p.queryRuns, () => (last = history(store, { metrics: METRICS, from: now - span, to: now, maxPoints: 400 }, STEP)));
    f.tier = last?.tier ?? '';
    f.points = last?.t.length ?? 0;
    if (span <= DAY) f.naiveMs = time(p.naiveRuns, () => naiveHistory(now - span, now));
    else {
      const k = span / DAY;
      f.naiveMs = naiveSys24.map((x) => x * k);
      f.naiveNote = `24 h figure ×${k}`;
    }
    queries.push(f);
  }
  const top = q('top processes 24 h');
  let topRows: ReturnType<typeof topProcesses> = [];
  top.ms = time(p.queryRuns, () => (topRows = topProcesses(store, { from: now - DAY, to: now, by: 'cpu', limit: 20 }, STEP)));
  top.naiveMs = naiveTop1h.map((x) => x * 24);
  top.naiveNote = '1 h figure ×24';
  top.points = topRows.length;
  queries.push(top);
  const busiest = topRows[0];
  if (busiest) {
    const ph = q('process history 24 h');
    let r: ReturnType<typeof processHistory> | undefined;
    ph.ms = time(
      p.queryRuns,
      () =>
        (r = processHistory(
          store,
          { select: { kind: 'process', pid: busiest.pid, startTime: busiest.startTime }, from: now - DAY, to: now, maxPoints: 400 },
          STEP,
        )),
    );
    ph.tier = r?.tier ?? '';
    ph.points = r?.t.length ?? 0;
    ph.naiveMs = time(p.naiveRuns, () =>
      naiveProc.exec(
        `SELECT (t - ${now - HOUR}) / 9000 AS b, avg(cpu), max(cpu), avg(rss) FROM proc_naive WHERE pid = ${busiest.pid} AND t >= ${now - HOUR} GROUP BY b`,
      ),
    ).map((x) => x * 24);
    ph.naiveNote = '1 h figure ×24';
    queries.push(ph);
  }
  // By extension: the naive comparator joins each raw row to its process's extension.
  naiveProc.exec('CREATE TABLE naive_ext(pid INTEGER PRIMARY KEY, ext TEXT NOT NULL)');
  for (const [i, role] of Object.entries(SYNTHETIC_ROLES))
    if (role.extensionId) naiveProc.run('INSERT INTO naive_ext VALUES (?, ?)', [1000 + Number(i), role.extensionId]);
  const naiveByExt1h = time(p.naiveRuns, () =>
    naiveProc.exec(
      `SELECT ext, (t - ${now - HOUR}) / 9000 AS b, sum(cpu), sum(rss) FROM proc_naive JOIN naive_ext USING (pid)
       WHERE t >= ${now - HOUR} GROUP BY ext, b`,
    ),
  );
  for (const [label, span] of [
    ['24 h', DAY],
    ['30 d', 30 * DAY],
  ] as const) {
    const f = q(`load by extension ${label}`);
    let r: ReturnType<typeof loadByGroup> | undefined;
    f.ms = time(
      p.queryRuns,
      () => (r = loadByGroup(store, { from: now - span, to: now, by: 'extension', maxPoints: 400, limit: 10 }, STEP)),
    );
    f.tier = r?.tier ?? '';
    f.points = r?.t.length ?? 0;
    f.naiveMs = naiveByExt1h.map((x) => x * (span / HOUR));
    f.naiveNote = `1 h figure ×${span / HOUR}`;
    queries.push(f);
  }
  const health = q('health');
  health.ms = time(p.queryRuns, () => healthReport(store, path, config, { role: 'recorder', recording: true }));
  health.naiveMs = time(p.naiveRuns, () => {
    naiveProc.exec('SELECT count(*), min(t), max(t) FROM proc_naive');
    naiveSys.exec('SELECT count(*), min(t), max(t) FROM sys_naive');
  });
  health.naiveNote = 'count/min/max over the naive tables';
  queries.push(health);

  const bytesPerRow = (db: typeof naiveSys, table: string): number => {
    const one = (sql: string): number => Number(db.exec(sql)[0]?.values[0]?.[0] ?? NaN);
    const rows = one(`SELECT count(*) FROM ${table}`);
    const bytes = (one('PRAGMA page_count') - one('PRAGMA freelist_count')) * one('PRAGMA page_size');
    return rows > 0 ? bytes / rows : NaN;
  };
  const naiveSysBytesPerRow = bytesPerRow(naiveSys, 'sys_naive');
  const naiveProcBytesPerRow = bytesPerRow(naiveProc, 'proc_naive');
  const result: HistoryResult = {
    days: p.days,
    intervals,
    processesPerInterval,
    metricsPerInterval: metricIds.size,
    fileBytes: statSync(path).size,
    liveBytes: store.liveSizeBytes,
    capBytes: config.retention.maxDatabaseMB * 1024 * 1024,
    rowCounts: tableRowCounts(store.db),
    rawIntervalBytes,
    naiveSysBytesPerRow,
    naiveProcBytesPerRow,
    buildSeconds,
    buildCpuSeconds: (c.user + c.system) / 1e6,
    recordMsPerDay,
    queries,
    keptAt: join(p.keepDir, 'db-history.sqlite'),
    checkpointMs,
  };
  copyFileSync(path, result.keptAt);
  store.close();
  naiveSys.close();
  naiveProc.close();
  rmSync(dir, { recursive: true, force: true });
  return result;
}
