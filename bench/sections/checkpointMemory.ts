// checkpoint() — the periodic atomic rewrite — as a backend worker does it: a lean host process
// (out/bench/lean.js: the store and the synthetic data only) starts a worker thread that opens a copy
// of the database, records a few intervals and checkpoints. The worker's memory is what the process
// gains over the bare host measured before the worker started: with the database open, and at the
// peak while checkpointing (peak reset through /proc/self/clear_refs just before each checkpoint and
// read just after it).
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
import { errorDetail } from '../../src/shared/errors';

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
  /** What the worker adds at the peak of a checkpoint (the highest of the runs). */
  peakRssBytes: number;
  /** What it adds at the peak of recording the interval before each checkpoint. */
  recordingPeakRssBytes: number;
  /** Peak while opening the file, added over the base. */
  lifetimePeakRssBytes: number;
  peakResetWorks: boolean;
}

type FromWorker =
  | { kind: 'opened' }
  | { kind: 'before' }
  | { kind: 'after'; ms: number }
  | { kind: 'done'; fileBytes: number }
  | { kind: 'failed'; error: string };

/** Runs in the worker thread: open and record a little, then per run record, collect, and checkpoint when told. */
export async function checkpointWorker(): Promise<void> {
  const port = parentPort!;
  const { path, runs } = workerData as { path: string; runs: number };
  const go = (): Promise<unknown> => new Promise((r) => port.once('message', r));
  try {
    const store = await Store.open({ path, retention: GROWTH_RETENTION });
    let t = Number(store.db.exec('SELECT max(t) FROM sys_raw')[0]?.values[0]?.[0] ?? Date.now()) + STEP;
    // A few intervals first, as a recorder has recorded some before its checkpoint is due.
    for (let i = 0; i < 5; i++, t += STEP) store.record(snapshotAt(t));
    store.flush(t);
    collect();
    port.postMessage({ kind: 'opened' } satisfies FromWorker);
    await go();
    for (let i = 0; i < runs; i++, t += STEP) {
      store.record(snapshotAt(t));
      collect();
      port.postMessage({ kind: 'before' } satisfies FromWorker);
      await go();
      const c = store.checkpoint(t);
      port.postMessage({ kind: 'after', ms: c?.durationMs ?? NaN } satisfies FromWorker);
      await go();
    }
    store.close();
    port.postMessage({ kind: 'done', fileBytes: statSync(path).size } satisfies FromWorker);
  } catch (e) {
    port.postMessage({ kind: 'failed', error: errorDetail(e) } satisfies FromWorker);
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
    let openingPeak = 0;
    let peak = 0;
    let recordingPeak = 0;
    let peakResetWorks = false;
    const checkpointMs: number[] = [];
    const done = await new Promise<Extract<FromWorker, { kind: 'done' }>>((resolve, reject) => {
      worker.on('error', reject);
      worker.on('message', (m: FromWorker) => {
        if (m.kind === 'opened') {
          open = rssBytes();
          openingPeak = peakRssBytes();
          peakResetWorks = resetPeakRss();
        } else if (m.kind === 'before') {
          // What recording reached since the last checkpoint (a growing file is copied to grow).
          recordingPeak = Math.max(recordingPeak, peakRssBytes());
          resetPeakRss();
        } else if (m.kind === 'after') {
          peak = Math.max(peak, peakRssBytes());
          checkpointMs.push(m.ms);
          resetPeakRss();
        } else if (m.kind === 'done') return resolve(m);
        else return reject(new Error(m.error));
        worker.postMessage('go');
      });
    });
    await worker.terminate();
    return {
      fileBytes: done.fileBytes,
      checkpointMs,
      baseRssBytes: base,
      openRssBytes: open - base,
      peakRssBytes: peak - base,
      recordingPeakRssBytes: recordingPeak - base,
      lifetimePeakRssBytes: openingPeak - base,
      peakResetWorks,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
