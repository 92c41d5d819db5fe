// How should a viewer (a window that does not record) get live samples? Measured, not guessed:
//   socket   the recorder streams each snapshot as JSON over a Unix socket (viewer/feed.ts)
//   journal  the viewer watches `<db>.journal`, applies each new record to its own read-only copy of
//            the database (Store.catchUp) and rebuilds the snapshot from the frames + process table
// One recorder process samples this machine for real and records; one child process per approach
// follows it. Reported: the viewer's CPU per interval, its memory, and the latency from the moment a
// sample exists to the moment the viewer has it.
//
// Not part of `npm run bench` (it answers a design question, docs/ARCHITECTURE.md "Why a socket
// for live data"); bench/build.mjs bundles it beside the benchmark:
//   node bench/build.mjs && node out/bench/viewer-feed.js [intervals] [intervalMs] [warmMinutes]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../src/backend/config';
import { createSamplers } from '../src/backend/sampling';
import { forEachProcRaw, forEachSysRaw } from '../src/backend/storage/frames';
import { loadSqlJs } from '../src/backend/storage/sqljs';
import { journalPathFor, Store } from '../src/backend/storage/store';
import type { ProcessSample, Snapshot } from '../src/backend/types';
import { FeedClient, FeedServer } from '../src/backend/viewer/feed';
import { snapshotAt } from '../test/support/synthetic';

const wallNow = (): number => performance.timeOrigin + performance.now();
const retention = defaultMonitorConfig().retention;

interface Report {
  received: Record<number, number>;
  cpuMs: number;
  rssBytes: number;
  startCpuMs: number;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Waits for `report` on stdin, then prints what was measured. */
function reportWhenAsked(received: Record<number, number>, start: number, startCpuMs: number): void {
  process.stdin.on('data', () => {
    const r: Report = { received, cpuMs: cpuMs() - start, rssBytes: process.memoryUsage().rss, startCpuMs };
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  });
}

async function socketViewer(feedPath: string): Promise<void> {
  const received: Record<number, number> = {};
  const t0 = cpuMs();
  await FeedClient.connect(feedPath, {
    snapshot: (s) => (received[s.t] = wallNow()),
    status: () => undefined,
    closed: () => undefined,
  });
  const start = cpuMs();
  process.stdout.write('ready\n');
  reportWhenAsked(received, start, start - t0);
}

async function journalViewer(db: string): Promise<void> {
  const received: Record<number, number> = {};
  const SQL = await loadSqlJs();
  const t0 = cpuMs();
  let store = Store.openWith(SQL, { path: db, mode: 'read', allowMissing: true, retention });
  const names = new Map<number, string>();
  const rebuild = (): Snapshot | undefined => {
    const last = store.db.exec('SELECT s.t, s.v, p.v FROM sys_raw s JOIN proc_raw p ON p.t = s.t ORDER BY s.t DESC LIMIT 1')[0]?.values[0];
    if (!last) return undefined;
    const metrics = new Map<string, number>();
    forEachSysRaw(last[1] as Uint8Array, (id, value) => {
      let name = names.get(id);
      if (name === undefined) {
        name = String(store.db.exec(`SELECT name FROM metric WHERE id = ${id}`)[0]?.values[0]?.[0]);
        names.set(id, name);
      }
      metrics.set(name, value);
    });
    const values: { id: number; cpu: number; rssKiB: number; threads: number }[] = [];
    forEachProcRaw(last[2] as Uint8Array, (id, cpu, rssKiB, threads) => values.push({ id, cpu, rssKiB, threads }));
    const rows = new Map<number, unknown[]>();
    for (const r of store.db.exec(
      `SELECT id, pid, start_time, ppid, name, command, user FROM process WHERE id IN (${values.map((v) => v.id).join(',')})`,
    )[0]?.values ?? [])
      rows.set(Number(r[0]), r);
    const processes: ProcessSample[] = values.map((v) => {
      const r = rows.get(v.id) ?? [];
      return {
        pid: Number(r[1]),
        startTime: Number(r[2]),
        ppid: Number(r[3]),
        name: String(r[4]),
        command: String(r[5]),
        user: String(r[6]),
        state: '?', // not recorded
        cpu: v.cpu,
        rssBytes: v.rssKiB * 1024,
        threads: v.threads,
      };
    });
    const m = (k: string): number => metrics.get(k) ?? 0;
    const t = Number(last[0]);
    const share = {
      total: m('cpu.total'),
      user: m('cpu.user'),
      system: m('cpu.system'),
      iowait: m('cpu.iowait'),
      idle: 100 - m('cpu.total'),
    };
    return {
      t,
      system: {
        t,
        cpu: share,
        cores: [...metrics]
          .filter(([k]) => k.startsWith('core.'))
          .map(([, v]) => ({ total: v, user: 0, system: 0, iowait: 0, idle: 100 - v })),
        load: [m('load.1'), m('load.5'), m('load.15')],
        mem: { totalBytes: m('mem.total'), usedBytes: m('mem.used'), availableBytes: m('mem.available'), cachedBytes: m('mem.cached') },
        swap: { totalBytes: m('swap.total'), usedBytes: m('swap.used') },
        disk: { readBps: m('disk.read'), writeBps: m('disk.write') },
        net: { rxBps: m('net.rx'), txBps: m('net.tx'), interfaces: [] },
        filesystems: [],
      },
      processes,
    };
  };
  const onChange = (): void => {
    if (store.catchUp().state === 'reload') {
      store.close();
      store = Store.openWith(SQL, { path: db, mode: 'read', allowMissing: true, retention });
    }
    const s = rebuild();
    if (s && received[s.t] === undefined) received[s.t] = wallNow();
  };
  watch(journalPathFor(db), onChange);
  const start = cpuMs();
  process.stdout.write('ready\n');
  reportWhenAsked(received, start, start - t0);
}

function child(kind: string, arg: string): { ready: Promise<void>; report: () => Promise<Report> } {
  const c = spawn(process.execPath, [__filename, '--child', kind, arg], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  c.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const until = (pred: () => boolean): Promise<void> =>
    new Promise((res) => {
      const check = (): void => (pred() ? res() : void setTimeout(check, 5));
      check();
    });
  return {
    ready: until(() => out.startsWith('ready\n')),
    report: async () => {
      c.stdin.write('report\n');
      await until(() => out.split('\n').length > 2);
      return JSON.parse(out.split('\n')[1]!) as Report;
    },
  };
}

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;

async function parent(): Promise<void> {
  const intervals = Number(process.argv[2] ?? 60);
  const intervalMs = Number(process.argv[3] ?? 500);
  const warmMinutes = Number(process.argv[4] ?? 60);
  const dir = mkdtempSync(join(tmpdir(), 'vitals-viewer-bench-'));
  const db = join(dir, 'vitals.sqlite');
  try {
    // A database with history in it, as a viewer meets it: `warmMinutes` of 300 processes.
    const warm = await Store.open({ path: db, retention });
    const now = Date.now();
    for (let t = now - warmMinutes * 60_000; t < now - 10_000; t += 2000) warm.record(snapshotAt(t, 2000, { processes: 300 }));
    warm.checkpoint(now);
    warm.close();

    const store = await Store.open({ path: db, retention });
    const feedPath = join(dir, 'vitals.sqlite.sock');
    const feed = await FeedServer.listen(feedPath, { request: () => Promise.reject(new Error('no')), log: () => undefined });
    const samplers = createSamplers({ commandLine: 'redacted' });
    await samplers.processes.sample(Date.now());
    const viewers = { socket: child('socket', feedPath), journal: child('journal', db) };
    await Promise.all([viewers.socket.ready, viewers.journal.ready]);

    const sampledAt: Record<number, number> = {};
    let recorderMs = 0;
    let stringifyMs = 0;
    let processes = 0;
    for (let i = 0; i < intervals; i++) {
      await new Promise((r) => setTimeout(r, intervalMs));
      const t = Date.now();
      const [system, procs] = await Promise.all([samplers.system.sample(t), samplers.processes.sample(t)]);
      const snapshot: Snapshot = { t, system, processes: procs };
      processes = procs.length;
      sampledAt[t] = wallNow();
      const a = performance.now();
      store.record(snapshot);
      store.flush(t);
      const b = performance.now();
      const line = JSON.stringify({ kind: 'event', event: 'snapshot', snapshot });
      stringifyMs += performance.now() - b;
      recorderMs += b - a;
      feed.broadcast({ kind: 'event', event: 'snapshot', snapshot });
      if (i === 0) console.log(`snapshot: ${processes} processes, ${line.length} bytes of JSON`);
    }
    await new Promise((r) => setTimeout(r, 500));
    for (const [name, v] of Object.entries(viewers)) {
      const r = await v.report();
      const lat = Object.entries(sampledAt).flatMap(([t, at]) =>
        r.received[Number(t)] !== undefined ? [r.received[Number(t)]! - at] : [],
      );
      console.log(
        `${name.padEnd(8)} viewer: ${(r.cpuMs / intervals).toFixed(2)} ms CPU per interval (${((r.cpuMs / intervals / 2000) * 100).toFixed(3)} % of a core at 2 s), ` +
          `start ${r.startCpuMs.toFixed(0)} ms CPU, RSS ${(r.rssBytes / 1048576).toFixed(0)} MB, got ${lat.length}/${intervals}, ` +
          `latency median ${pct(lat, 0.5).toFixed(1)} ms, p95 ${pct(lat, 0.95).toFixed(1)} ms`,
      );
    }
    console.log(
      `recorder: record+flush ${(recorderMs / intervals).toFixed(2)} ms, JSON for the feed ${(stringifyMs / intervals).toFixed(2)} ms per interval; database ${store.fileSizeBytes} bytes`,
    );
    await feed.close();
    store.close();
    samplers.system.dispose();
    samplers.processes.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const run = process.argv[3] === 'socket' ? socketViewer(process.argv[4]!) : journalViewer(process.argv[4]!);
  void run.catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else void parent();
