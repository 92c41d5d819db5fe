// WorkerClient against a real worker thread speaking the protocol (fixtures/protocol-worker.mjs).
import { afterEach, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { WorkerClient, WorkerRequestError, restartDelayMs, type ClientState } from '../../../src/extension/worker/client';
import { defaultMonitorConfig } from '../../../src/backend/config';
import type { Logger } from '../../../src/extension/log';

const fixture = fileURLToPath(new URL('./fixtures/protocol-worker.mjs', import.meta.url));

interface Recorded {
  log: Logger;
  lines: { level: string; text: string }[];
  notes: { severity: string; message: string }[];
}

function recorder(): Recorded {
  const lines: { level: string; text: string }[] = [];
  const at =
    (level: string) =>
    (message: string | Error, ...args: unknown[]) =>
      lines.push({ level, text: [message, ...args].map(String).join(' ') });
  return { log: { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, lines, notes: [] };
}

const clients: WorkerClient[] = [];
function client(mode: string | ((spawn: number) => string) = 'normal', rec = recorder()) {
  let spawns = 0;
  const c = new WorkerClient({
    workerPath: fixture,
    dbPath: '/tmp/unused.sqlite',
    config: defaultMonitorConfig(),
    log: rec.log,
    notify: (severity, message) => rec.notes.push({ severity, message }),
    createWorker: (p) => new Worker(p, { workerData: { mode: typeof mode === 'function' ? mode(spawns++) : mode } }),
    restartDelayMs: () => 20,
    shutdownTimeoutMs: 2000,
  });
  clients.push(c);
  return { c, rec };
}

function state(c: WorkerClient, wanted: ClientState): Promise<void> {
  if (c.state === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const d = c.onDidChangeState((s) => {
      if (s === wanted) {
        d.dispose();
        resolve();
      }
    });
  });
}

/** A CancellationToken as VS Code's API shapes it. */
function cancellation() {
  const listeners: ((e: unknown) => unknown)[] = [];
  const token = {
    isCancellationRequested: false,
    onCancellationRequested: (l: (e: unknown) => unknown) => {
      listeners.push(l);
      return { dispose: () => undefined };
    },
  };
  return {
    token,
    cancel: () => {
      token.isCancellationRequested = true;
      listeners.forEach((l) => l(undefined));
    },
  };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.shutdown()));
});

describe('restartDelayMs', () => {
  it('doubles from one second and stops at a minute', () => {
    expect([0, 1, 2, 3, 5, 6, 7, 20].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 32000, 60000, 60000, 60000]);
  });
});

describe('WorkerClient', () => {
  it('sends init first, then answers requests matched by id, and keeps the latest snapshot and status', async () => {
    const { c } = client();
    const snap = new Promise((resolve) => c.onSnapshot(resolve));
    c.start();
    // Requested before init finished: queued behind it rather than refused.
    const [a, b] = await Promise.all([c.request('status', {}), c.request('setRecording', { enabled: false })]);
    expect(a.recording).toBe(true);
    expect(b.recording).toBe(false);
    await snap;
    expect(c.state).toBe('ready');
    expect(c.info?.hostname).toBe('fakehost');
    expect(c.lastSnapshot?.processes[0]?.name).toBe('fake');
    expect(c.lastStatus?.role).toBe('recorder');
  });

  it('turns an error response into a WorkerRequestError with the protocol code', async () => {
    const { c } = client();
    c.start();
    const err = await c.request('backupNow', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkerRequestError);
    expect((err as WorkerRequestError).code).toBe('bad-request');
    expect((err as WorkerRequestError).message).toMatch(/does not do backupNow/);
  });

  it('reports progress and cancels through a cancel request', async () => {
    const { c } = client();
    c.start();
    const progress: number[] = [];
    const done = await c.request(
      'export',
      { from: 0, to: 1, format: 'csv', scope: { kind: 'system' }, outPath: '/tmp/x.csv' },
      { onProgress: (d) => progress.push(d) },
    );
    expect(done.rows).toBe(1000);
    expect(progress.at(-1)).toBe(1000);

    const { token, cancel } = cancellation();
    const seen: number[] = [];
    const pending = c.request(
      'export',
      { from: 0, to: 1, format: 'csv', scope: { kind: 'system' }, outPath: '/tmp/slow.csv' },
      {
        token,
        onProgress: (d) => {
          seen.push(d);
          if (d === 200) cancel();
        },
      },
    );
    const err = await pending.catch((e: unknown) => e);
    expect((err as WorkerRequestError).code).toBe('cancelled');
    expect(seen.at(-1)).toBeLessThan(1000);
  });

  it('drops malformed messages, logging each kind once rather than per message', async () => {
    const { c, rec } = client('malformed');
    c.start();
    const status = await c.request('status', {});
    expect(status.role).toBe('recorder');
    const dropped = rec.lines.filter((l) => l.text.includes('malformed message'));
    expect(dropped.map((l) => l.text.replace(/;.*/, ''))).toEqual([
      'Dropped a malformed message from the Vitals backend (snapshot: expected an object',
      'Dropped a malformed message from the Vitals backend (kind: unknown message kind undefined',
      'Dropped a malformed message from the Vitals backend (inReplyTo: expected an integer',
    ]);
    expect(c.lastSnapshot?.t).toBe(1);
  });

  it('shows each problem key once and forwards worker logs', async () => {
    const { c, rec } = client();
    c.start();
    await c.request('summary', { from: 0, to: 1, metrics: [] });
    expect(rec.notes).toEqual([
      { severity: 'warning', message: 'The disk refuses writes.' },
      { severity: 'error', message: 'Newer schema.' },
    ]);
    expect(rec.lines.some((l) => l.level === 'info' && l.text === '[backend] init recording=true interval=2000')).toBe(true);
  });

  it('rejects pending requests when the worker dies, restarts it with the current config, and warns once', async () => {
    const { c, rec } = client();
    c.start();
    await state(c, 'ready');
    c.updateConfig(defaultMonitorConfig({ sampleIntervalMs: 5000 }));

    const err = await c.request('history', { metrics: ['cpu.total'], from: 0, to: 1, maxPoints: 10 }).catch((e: unknown) => e);
    expect((err as WorkerRequestError).code).toBe('worker-exited');
    expect((err as WorkerRequestError).message).toMatch(/stopped unexpectedly \(exit code 7\)/);
    await state(c, 'ready');
    expect(c.restartCount).toBe(1);
    expect(rec.lines.filter((l) => l.text.startsWith('[backend] init')).map((l) => l.text)).toEqual([
      '[backend] init recording=true interval=2000',
      '[backend] init recording=true interval=5000',
    ]);

    // A second crash restarts again but does not notify again.
    await c.request('history', { metrics: ['cpu.total'], from: 0, to: 1, maxPoints: 10 }).catch(() => undefined);
    await state(c, 'ready');
    expect(c.restartCount).toBe(2);
    expect(rec.notes.filter((n) => /stopped unexpectedly/.test(n.message))).toHaveLength(1);
    expect((await c.request('status', {})).role).toBe('recorder');
  });

  it('keeps a session pause across a restart until the recording setting itself changes', async () => {
    const { c, rec } = client();
    c.start();
    const statuses: boolean[] = [];
    c.onStatus((s) => statuses.push(s.recording));
    await c.setRecording(false);
    // A status returned by a request is the newest status: views and context keys follow it.
    expect(c.lastStatus?.recording).toBe(false);
    expect(statuses.at(-1)).toBe(false);
    await c.request('history', { metrics: [], from: 0, to: 1, maxPoints: 1 }).catch(() => undefined);
    await state(c, 'ready');
    expect(rec.lines.filter((l) => l.text.startsWith('[backend] init')).at(-1)?.text).toBe('[backend] init recording=false interval=2000');

    c.updateConfig(defaultMonitorConfig({ recording: false }));
    c.updateConfig(defaultMonitorConfig({ recording: true }));
    await c.request('status', {});
    expect(rec.lines.filter((l) => l.text.startsWith('[backend] updateConfig')).at(-1)?.text).toBe(
      '[backend] updateConfig recording=true interval=2000',
    );
  });

  it('fails requests with the reason when init is refused, and notifies once', async () => {
    const { c, rec } = client('init-fails');
    c.start();
    await state(c, 'failed');
    const err = await c.request('status', {}).catch((e: unknown) => e);
    expect((err as Error).message).toBe('The Vitals backend could not start: the disk is full');
    expect(rec.notes).toEqual([{ severity: 'error', message: 'Vitals could not start its monitor: the disk is full' }]);
  });

  it('flushes on shutdown, then refuses further requests', async () => {
    const { c, rec } = client();
    c.start();
    await state(c, 'ready');
    await c.shutdown();
    expect(rec.lines.some((l) => l.text === '[backend] final flush')).toBe(true);
    expect(c.state).toBe('stopped');
    await expect(c.request('status', {})).rejects.toMatchObject({ code: 'shut-down' });
    // dispose() after deactivate joins the same shutdown.
    c.dispose();
    await c.shutdown();
  });

  it('restarts a worker whose script is missing with backoff, without a stream of warnings', async () => {
    const rec = recorder();
    const c = new WorkerClient({
      workerPath: '/nonexistent/backend-worker.js',
      dbPath: '/tmp/unused.sqlite',
      config: defaultMonitorConfig(),
      log: rec.log,
      notify: (severity, message) => rec.notes.push({ severity, message }),
      restartDelayMs: () => 5,
    });
    clients.push(c);
    c.start();
    while (c.restartCount < 3) await state(c, 'restarting').then(() => state(c, 'starting'));
    expect(rec.notes).toHaveLength(1);
  });
});
