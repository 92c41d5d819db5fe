// The real backend worker, bundled from source and run in a worker thread, driven through the typed
// protocol exactly as the extension's client does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { BACKEND_NICE } from '../../../src/backend/worker/priority';
import { parseFromWorker, type EventMessage, type FromWorker, type Method, type Params, type Result } from '../../../src/backend/protocol';

let dir: string;
let worker: Worker;
/** The main thread's nice value before the worker started: the worker must leave it alone. */
const mainNice = getPriority(process.pid);
const events: EventMessage[] = [];
const pending = new Map<number, (m: FromWorker) => void>();
let nextId = 1;

function request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, (m) => {
      if (m.kind !== 'response') return;
      if (m.ok) resolve(m.result as Result<M>);
      else reject(new Error(`${m.error.code}: ${m.error.message}`));
    });
    worker.postMessage({ kind: 'request', id, method, params });
  });
}

const waitFor = async (pred: () => boolean, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-worker-'));
  await build({
    entryPoints: ['src/backend/worker/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(dir, 'backend-worker.js'),
    logLevel: 'error',
  });
  copyFileSync('node_modules/sql.js/dist/sql-wasm.wasm', join(dir, 'sql-wasm.wasm'));
  worker = new Worker(join(dir, 'backend-worker.js'));
  worker.on('message', (raw: unknown) => {
    const parsed = parseFromWorker(raw);
    if (!parsed.ok) throw new Error(parsed.error);
    const m = parsed.value;
    if (m.kind === 'response') pending.get(m.inReplyTo)?.(m);
    else events.push(m);
  });
});
afterAll(async () => {
  await worker?.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe('backend worker', () => {
  it.runIf(process.platform === 'linux')("runs its thread at a lower priority than the host's main thread", async () => {
    await waitFor(() => events.some((e) => e.kind === 'event' && e.event === 'log' && /Backend thread/.test(e.message)));
    const line = events.find((e) => e.kind === 'event' && e.event === 'log' && /Backend thread/.test(e.message));
    const m = line && line.kind === 'event' && line.event === 'log' ? /Backend thread (\d+) runs at nice (\d+)/.exec(line.message) : null;
    expect(m, line && 'message' in line ? line.message : 'no log line').not.toBeNull();
    const tid = Number(m![1]);
    expect(tid).not.toBe(process.pid);
    expect(getPriority(tid)).toBe(BACKEND_NICE);
    expect(getPriority(process.pid)).toBe(mainNice);
  });

  it('answers a request before init with a not-ready error value', async () => {
    await expect(request('health', {})).rejects.toThrow(/not-ready/);
  });

  it('rejects malformed requests with an error value, not a crash', async () => {
    const id = nextId++;
    const answer = new Promise<FromWorker>((r) => pending.set(id, r));
    worker.postMessage({ kind: 'request', id, method: 'history', params: { metrics: 'cpu', from: 5, to: 1 } });
    const m = await answer;
    expect(m.kind === 'response' && !m.ok && m.error.code).toBe('bad-request');
  });

  it('starts, streams snapshots, records, answers queries and flushes on shutdown', async () => {
    const dbPath = join(dir, 'db', 'vitals.sqlite');
    const config = defaultMonitorConfig({ sampleIntervalMs: 500, flushIntervalMs: 500 });
    const init = await request('init', { dbPath, config });
    expect(init.status.role).toBe('recorder');
    expect(init.info.cpuCount).toBeGreaterThan(0);
    await waitFor(() => events.filter((e) => e.event === 'snapshot').length >= 4);
    const snap = events.find((e) => e.event === 'snapshot');
    expect(snap?.event === 'snapshot' && snap.snapshot.processes.some((p) => p.pid === process.pid)).toBe(true);

    const now = Date.now();
    const h = await request('history', { metrics: ['cpu.total', 'mem.used'], from: now - 60_000, to: now + 1000, maxPoints: 100 });
    expect(h.series['mem.used']!.avg.some((v) => v !== null && v > 0)).toBe(true);
    const top = await request('topProcesses', { from: now - 60_000, to: now + 1000, by: 'memory', limit: 3 });
    expect(top.length).toBe(3);
    const health = await request('health', {});
    expect(health.rowCounts.sys_raw).toBeGreaterThan(0);
    expect(health.lastFlush).not.toBeNull();

    const paused = await request('setRecording', { enabled: false });
    expect(paused.recording).toBe(false);
    await request('setRecording', { enabled: true });

    const out = join(dir, 'export.json');
    const ex = await request('export', { from: 0, to: Date.now() + 1000, format: 'json', scope: { kind: 'system' }, outPath: out });
    expect(ex.rows).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(true);

    const bye = await request('shutdown', {});
    expect(bye.flushed).toBe(true);
    expect(existsSync(dbPath)).toBe(true);
  });
});
