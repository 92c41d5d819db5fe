// One recorder across real processes and real backend workers: a second recorder process views the
// first (its live snapshots, no writes) and takes over when the first is killed; two backend
// workers driven through the protocol as two windows' extension hosts drive them; the CLI refuses
// or waits.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { defaultMonitorConfig } from '../../../src/backend/config';
import {
  parseFromWorker,
  type BackendStatus,
  type EventMessage,
  type FromWorker,
  type Method,
  type Params,
  type Result,
} from '../../../src/backend/protocol';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import { main } from '../../../src/cli/main';
import { bundleFixture, integrityOf, removeDir, tempDir, waitFor } from './support/harness';

let fixtures: string;
let script: string;
beforeAll(async () => {
  fixtures = tempDir('proc-fixtures');
  script = await bundleFixture('recorder', fixtures);
  await build({
    entryPoints: ['src/cli/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(fixtures, 'cli.js'),
    logLevel: 'error',
  });
  await build({
    entryPoints: ['src/backend/worker/main.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(fixtures, 'backend-worker.js'),
    logLevel: 'error',
  });
});
afterAll(() => removeDir(fixtures));

interface Proc {
  child: ChildProcess;
  out: string;
  exited: Promise<void>;
}

function recorderProcess(db: string): Proc {
  const child = spawn(process.execPath, [script, JSON.stringify({ db, intervalMs: 250, checkpointMs: 1500, lockPollMs: 100 })], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const p: Proc = { child, out: '', exited: new Promise((res) => child.once('exit', () => res())) };
  child.stdout!.on('data', (d: Buffer) => (p.out += d.toString()));
  return p;
}
const numbers = (out: string, what: string): number[] => [...out.matchAll(new RegExp(`^${what} (\\d+)$`, 'gm'))].map((m) => Number(m[1]));

async function sysTimes(db: string): Promise<Set<number>> {
  const s = await Store.open({ path: db, mode: 'read', retention: defaultMonitorConfig().retention });
  try {
    return new Set((s.db.exec('SELECT t FROM sys_raw')[0]?.values ?? []).map((r) => Number(r[0])));
  } finally {
    s.close();
  }
}

describe('recorder processes', () => {
  it('a second process views the first (live, no writes); killed, the first is replaced within seconds', async () => {
    const dir = tempDir('procs');
    const db = join(dir, 'vitals.sqlite');
    const a = recorderProcess(db);
    let b: Proc | undefined;
    try {
      await waitFor(() => numbers(a.out, 'flushed').length >= 2, 'the first recorder flushing');
      b = recorderProcess(db);
      const viewer = b;
      await waitFor(() => /^role viewer$/m.test(viewer.out) && /^recorder \d+$/m.test(viewer.out), 'the second process to view');
      expect(numbers(viewer.out, 'recorder')).toEqual([a.child.pid]);
      await waitFor(() => numbers(viewer.out, 'snapshot').length >= 4, 'live snapshots in the viewer');
      const shownByA = new Set(numbers(a.out, 'snapshot'));
      for (const t of numbers(viewer.out, 'snapshot')) expect(shownByA.has(t)).toBe(true);
      expect(numbers(viewer.out, 'flushed')).toEqual([]);

      a.child.kill('SIGKILL');
      await a.exited;
      const lastOfA = Math.max(...numbers(a.out, 'snapshot'));
      await waitFor(() => /^role recorder$/m.test(viewer.out), 'the viewer to take over', 10_000);
      await waitFor(() => numbers(viewer.out, 'flushed').length >= 3, 'the new recorder flushing');
      // Never two writers: everything the second wrote comes after the first died.
      expect(Math.min(...numbers(viewer.out, 'flushed'))).toBeGreaterThan(lastOfA);
      viewer.child.kill('SIGTERM');
      await viewer.exited;
      expect(viewer.out).toMatch(/^closed$/m);
      expect(await integrityOf(db)).toBe('ok');
      const times = await sysTimes(db);
      for (const t of [...numbers(a.out, 'flushed'), ...numbers(viewer.out, 'flushed')]) expect(times.has(t)).toBe(true);
    } finally {
      a.child.kill('SIGKILL');
      b?.child.kill('SIGKILL');
      await Promise.all([a.exited, b?.exited]);
      removeDir(dir);
    }
  }, 60_000);

  it('the CLI refuses to record into a database another process records, or waits for it with --wait', async () => {
    const dir = tempDir('procs-cli');
    const db = join(dir, 'vitals.sqlite');
    const a = recorderProcess(db);
    let out = '';
    let err = '';
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => ((out += String(s)), true));
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => ((err += String(s)), true));
    try {
      await waitFor(() => numbers(a.out, 'flushed').length >= 1, 'the recorder flushing');
      expect(await main(['record', '--db', db, '--duration', '1'])).toBe(1);
      expect(err).toBe(
        `vitals: ${db} is being recorded by another process (pid ${a.child.pid} on ${hostname()}). Stop that one first, or wait for it with --wait.\n`,
      );

      err = '';
      const waiting = main(['record', '--db', db, '--wait', '--interval', '0.5', '--duration', '1']);
      await waitFor(() => /Waiting: .* is being recorded by pid \d+/.test(out), 'the CLI to wait');
      expect(out).not.toMatch(/^Recording/m);
      a.child.kill('SIGTERM');
      expect(await waiting).toBe(0);
      expect(out).toMatch(/^Recording .* every 0.5 s for 1 s/m);
      expect(out).toMatch(/Stopped\. \d+ rows/);
    } finally {
      o.mockRestore();
      e.mockRestore();
      a.child.kill('SIGKILL');
      await a.exited;
      removeDir(dir);
    }
    expect(a.out).toMatch(/^closed$/m);
  }, 60_000);
});

describe('the CLI as a real process', () => {
  it('records until Ctrl-C (nothing but the command keeps it running), then closes cleanly', async () => {
    const dir = tempDir('cli-proc');
    const db = join(dir, 'vitals.sqlite');
    // Output to a file, as `vitals record > log` does: a pipe would itself keep the process alive.
    const log = join(dir, 'out.log');
    const fd = openSync(log, 'w');
    const child = spawn(process.execPath, [join(fixtures, 'cli.js'), 'record', '--db', db, '--interval', '0.5'], {
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    const output = (): string => readFileSync(log, 'utf8');
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    try {
      await waitFor(() => existsSync(journalPathFor(db)) && statSync(journalPathFor(db)).size > 0, 'the first flush');
      const size = statSync(journalPathFor(db)).size;
      await waitFor(() => statSync(journalPathFor(db)).size > size || child.exitCode !== null, 'more flushes');
      expect(child.exitCode, output()).toBeNull();
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output()).toMatch(/^Stopped\. \d+ rows/m);
      expect(existsSync(`${db}.lock`)).toBe(false);
      expect(await integrityOf(db)).toBe('ok');
    } finally {
      child.kill('SIGKILL');
      await exited;
      removeDir(dir);
    }
  });
});

describe('two backend workers (two windows) on one database', () => {
  class Window {
    readonly events: EventMessage[] = [];
    private readonly pending = new Map<number, (m: FromWorker) => void>();
    private nextId = 1;
    readonly worker = new Worker(join(fixtures, 'backend-worker.js'));
    constructor() {
      this.worker.on('message', (raw: unknown) => {
        const parsed = parseFromWorker(raw);
        if (!parsed.ok) throw new Error(parsed.error);
        const m = parsed.value;
        if (m.kind === 'response') this.pending.get(m.inReplyTo)?.(m);
        else this.events.push(m);
      });
    }
    request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.pending.set(id, (m) => {
          if (m.kind !== 'response') return;
          if (m.ok) resolve(m.result as Result<M>);
          else reject(new Error(`${m.error.code}: ${m.error.message}`));
        });
        this.worker.postMessage({ kind: 'request', id, method, params });
      });
    }
    statuses(): BackendStatus[] {
      return this.events.flatMap((e) => (e.event === 'status' ? [e.status] : []));
    }
    snapshots(): number {
      return this.events.filter((e) => e.event === 'snapshot').length;
    }
  }

  it('one records, the other views; when the recording window closes, the other records', async () => {
    const dir = tempDir('windows');
    const dbPath = join(dir, 'vitals.sqlite');
    const config = defaultMonitorConfig({ sampleIntervalMs: 500, flushIntervalMs: 500 });
    const one = new Window();
    const two = new Window();
    try {
      const first = await one.request('init', { dbPath, config });
      const second = await two.request('init', { dbPath, config });
      expect(first.status.role).toBe('recorder');
      expect(second.status).toMatchObject({ role: 'viewer', recording: false, recorder: { pid: process.pid, host: hostname() } });
      await waitFor(() => two.snapshots() >= 2, 'live snapshots in the viewing window');
      const health = await two.request('health', {});
      expect(health.role).toBe('viewer');

      await one.request('shutdown', {});
      await waitFor(() => two.statuses().some((s) => s.role === 'recorder' && s.recording), 'the viewing window to take over', 10_000);
      const status = await two.request('status', {});
      expect(status.role).toBe('recorder');
      await two.request('shutdown', {});
    } finally {
      await one.worker.terminate();
      await two.worker.terminate();
      removeDir(dir);
    }
  }, 60_000);
});
