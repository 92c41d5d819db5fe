// Crash safety with real processes: a real recorder (the Monitor with the real samplers, bundled) is
// killed with SIGKILL at random moments, again and again, on the same database. After every kill
// the file must open, pass `PRAGMA integrity_check`, and hold every interval the recorder reported
// flushed before it died.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, watch } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';
import { bundleFixture, integrityOf, removeDir, tempDir, waitFor } from './support/harness';

const retention = defaultMonitorConfig().retention;
let fixtures: string;
let script: string;

beforeAll(async () => {
  fixtures = tempDir('crash-fixtures');
  script = await bundleFixture('recorder', fixtures);
});
afterAll(() => removeDir(fixtures));

interface Recorder {
  child: ChildProcess;
  flushed: number[];
  lines: string[];
  exited: Promise<void>;
}

function startRecorder(db: string, intervalMs: number, checkpointMs: number): Recorder {
  const child = spawn(process.execPath, [script, JSON.stringify({ db, intervalMs, checkpointMs })], { stdio: ['ignore', 'pipe', 'pipe'] });
  const r: Recorder = { child, flushed: [], lines: [], exited: new Promise((res) => child.once('exit', () => res())) };
  let partial = '';
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      r.lines.push(line);
      const m = /^flushed (\d+)$/.exec(line);
      if (m) r.flushed.push(Number(m[1]));
    }
  });
  child.stderr!.on('data', (d: Buffer) => r.lines.push(`stderr: ${d.toString().trim()}`));
  return r;
}

/** Every sample time in the database, read the way the next recorder reads it (file + journal). */
async function recordedTimes(db: string): Promise<Set<number>> {
  const store = await Store.open({ path: db, mode: 'read', allowMissing: true, retention });
  try {
    return new Set((store.db.exec('SELECT t FROM sys_raw')[0]?.values ?? []).map((r) => Number(r[0])));
  } finally {
    store.close();
  }
}

/** A small deterministic generator, so a failing run can be repeated with the seed it prints. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('crash safety (real recorder processes, SIGKILL)', () => {
  it('loses nothing that was reported flushed, however often the recorder is killed', async () => {
    const dir = tempDir('crash');
    const db = join(dir, 'vitals.sqlite');
    const seed = Date.now() % 100_000;
    const rnd = random(seed);
    const flushed: number[] = [];
    try {
      for (let round = 0; round < 8; round++) {
        // Checkpoints every few intervals, so some kills land in the middle of one.
        const r = startRecorder(db, 150, 450);
        await waitFor(() => r.flushed.length > 0 || r.child.exitCode !== null, 'the recorder to flush once');
        expect(r.child.exitCode, r.lines.join('\n')).toBeNull();
        await new Promise((res) => setTimeout(res, 50 + rnd() * 800));
        r.child.kill('SIGKILL');
        await r.exited;
        flushed.push(...r.flushed);
        const context = `seed ${seed}, round ${round}\n${r.lines.slice(-5).join('\n')}`;
        if (existsSync(db)) expect(await integrityOf(db), context).toBe('ok');
        const times = await recordedTimes(db);
        const missing = flushed.filter((t) => !times.has(t));
        expect(missing, context).toEqual([]);
      }
      expect(flushed.length).toBeGreaterThan(8);
      // The next recorder opens it without setting anything aside, and tidies what the kills left.
      const next = await Store.open({ path: db, retention });
      expect(next.openReport.setAside).toBeUndefined();
      next.checkpoint(Date.now());
      next.close();
      expect(await integrityOf(db)).toBe('ok');
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.corrupt-'))).toEqual([]);
    } finally {
      removeDir(dir);
    }
  }, 120_000);

  it('a kill in the middle of a checkpoint leaves the previous complete file', async () => {
    const dir = tempDir('crash-checkpoint');
    const db = join(dir, 'vitals.sqlite');
    try {
      // A database big enough that writing it takes a while: the kill lands while the temp file is written.
      const seedStore = await Store.open({ path: db, retention });
      const t0 = Date.now() - 40 * 60_000;
      for (let i = 0; i < 800; i++) seedStore.record(snapshotAt(t0 + i * 2000, 2000, { processes: 300 }));
      seedStore.checkpoint(Date.now());
      seedStore.close();
      const flushed: number[] = [];
      let midCheckpoint = 0;
      // From the instant the temp file appears to well into writing it.
      // Until a kill has landed mid-checkpoint (on a busy machine the kill itself can come late).
      const delays = [0, 5, 10, 20, 40, 0, 0, 0];
      for (let round = 0; round < delays.length && (round < 3 || midCheckpoint === 0); round++) {
        const r = startRecorder(db, 200, 200);
        await waitFor(() => r.flushed.length > 0 || r.child.exitCode !== null, 'the recorder to flush once');
        expect(r.child.exitCode, r.lines.join('\n')).toBeNull();
        const tempName = `.vitals.sqlite.tmp-${r.child.pid}`;
        // Kill a moment after the next checkpoint starts writing (its temp file, or the database
        // itself if it were written in place).
        let armed = true;
        const watcher = watch(dir, (_event, name) => {
          if (!armed || (name !== tempName && name !== 'vitals.sqlite')) return;
          armed = false;
          setTimeout(() => r.child.kill('SIGKILL'), delays[round]);
        });
        await Promise.race([r.exited, new Promise((res) => setTimeout(res, 10_000))]);
        watcher.close();
        r.child.kill('SIGKILL');
        await r.exited;
        flushed.push(...r.flushed);
        if (existsSync(join(dir, tempName))) midCheckpoint++;
        expect(await integrityOf(db)).toBe('ok');
        const times = await recordedTimes(db);
        expect(flushed.filter((t) => !times.has(t))).toEqual([]);
      }
      expect(midCheckpoint).toBeGreaterThan(0);
      const next = await Store.open({ path: db, retention });
      next.close();
      expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    } finally {
      removeDir(dir);
    }
  }, 120_000);
});
