// checkpoint() — the periodic atomic rewrite — as a backend worker does it: a lean host process
// (out/bench/lean.js: the store and the synthetic data only) starts a worker thread that opens a copy
// of the database, records a few intervals and checkpoints. The worker's memory is what the process
// gains over the bare host measured before the worker started: with the database open, and at the
// peak while checkpointing (peak reset through /proc/self/clear_refs once the database is open).
// Checkpoints come 15 minutes apart, and V8 collects the previous one's garbage (the exported copy)
// in between; the process runs with --expose-gc so a collection before each checkpoint can stand
// for those 15 minutes: the peak is one checkpoint's, not three back-to-back ones' piled up.
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { Store } from '../../src/backend/storage/store';
import { snapshotAt } from '../../test/support/synthetic';
import { peakRssBytes, resetPeakRss, rssBytes } from '../lib/cpu';
import { GROWTH_RETENTION } from './storage';

const STEP = 2000;

const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

export interface CheckpointParams {
  dbPath: string;
  runs: number;
}

export interface CheckpointResult {
  fileBytes: number;
  checkpointMs: number[];
  /** RSS of the host process before the worker started. */
  baseRssBytes: number;
  /** What the worker adds with the database open. */
  openRssBytes: number;
  /** What the worker adds at the peak while checkpointing. */
  peakRssBytes: number;
  /** Peak over the whole run (opening the file included), added over the base. */
  lifetimePeakRssBytes: number;
  peakResetWorks: boolean;
}

type FromWorker = { kind: 'opened' } | { kind: 'done'; checkpointMs: number[]; fileBytes: number } | { kind: 'failed'; error: string };

/** Runs in the worker thread: open, record, wait for the go, checkpoint `runs` times. */
export async function checkpointWorker(): Promise<void> {
  const port = parentPort!;
  const { path, runs } = workerData as { path: string; runs: number };
  try {
    const store = await Store.open({ path, retention: GROWTH_RETENTION });
    let t = Number(store.db.exec('SELECT max(t) FROM sys_raw')[0]?.values[0]?.[0] ?? Date.now()) + STEP;
    // A few intervals first, as a recorder has recorded some before its checkpoint is due.
    for (let i = 0; i < 5; i++, t += STEP) store.record(snapshotAt(t));
    store.flush(t);
    collect();
    port.postMessage({ kind: 'opened' } satisfies FromWorker);
    await new Promise((r) => port.once('message', r));
    const checkpointMs: number[] = [];
    for (let i = 0; i < runs; i++, t += STEP) {
      store.record(snapshotAt(t));
      collect();
      const c = store.checkpoint(t);
      if (c) checkpointMs.push(c.durationMs);
    }
    store.close();
    port.postMessage({ kind: 'done', checkpointMs, fileBytes: statSync(path).size } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ kind: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) } satisfies FromWorker);
  }
}

export async function checkpointMemory(p: CheckpointParams): Promise<CheckpointResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vitals-bench-checkpoint-'));
  const path = join(dir, 'vitals.sqlite');
  copyFileSync(p.dbPath, path);
  try {
    const base = rssBytes();
    resetPeakRss();
    const worker = new Worker(__filename, { workerData: { path, runs: p.runs }, argv: ['--checkpoint-worker'] });
    let open = 0;
    let lifetime = 0;
    let peakResetWorks = false;
    const done = await new Promise<Extract<FromWorker, { kind: 'done' }>>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'opened') {
          open = rssBytes();
          lifetime = peakRssBytes();
          peakResetWorks = resetPeakRss();
          worker.postMessage('go');
        } else if (m.kind === 'done') resolve(m);
        else reject(new Error(m.error));
      });
    });
    const peak = peakRssBytes();
    await worker.terminate();
    return {
      fileBytes: done.fileBytes,
      checkpointMs: done.checkpointMs,
      baseRssBytes: base,
      openRssBytes: open - base,
      peakRssBytes: peak - base,
      lifetimePeakRssBytes: lifetime - base,
      peakResetWorks,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
