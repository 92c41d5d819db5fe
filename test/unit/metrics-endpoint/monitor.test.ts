// `vitals.metrics.*` in the extension's backend: two real Monitors on one database, as two windows
// run them. The recorder serves the endpoint, the viewer does not; when the recorder closes, the
// window that takes over serves it; a port in use is one warning and recording goes on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { defaultMonitorConfig, type MonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { METRICS_PROBLEM } from '../../../src/backend/metrics-endpoint/duty';
import { INFO, recordingSink, removeDir, syntheticSamplers, tempDir, waitFor, type RecordingSink } from '../durability/support/harness';

let dir: string;
let db: string;
const open: Monitor[] = [];

async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function configFor(port: number): MonitorConfig {
  return defaultMonitorConfig({
    sampleIntervalMs: 200,
    flushIntervalMs: 200,
    checkpointIntervalMs: 3_600_000,
    backupsKept: 0,
    metrics: { listen: { host: '127.0.0.1', port }, tokenFile: null, processGroups: 5 },
  });
}

async function window(config: MonitorConfig): Promise<{ monitor: Monitor; sink: RecordingSink }> {
  const sink = recordingSink();
  const monitor = await Monitor.open({ dbPath: db, config, sink, samplers: syntheticSamplers(15), info: INFO, lockPollMs: 50 });
  open.push(monitor);
  return { monitor, sink };
}

async function scrape(port: number): Promise<number | string> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/metrics`);
    return r.status === 200 ? await r.text() : r.status;
  } catch (e) {
    return (e as { cause?: { code?: string } }).cause?.code ?? String(e);
  }
}

beforeEach(() => {
  dir = tempDir('metrics-monitor');
  db = join(dir, 'vitals.sqlite');
});
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
  removeDir(dir);
});

describe('the metrics endpoint follows the recorder', () => {
  it('is served by the recording window, then by the window that takes over', async () => {
    const port = await freePort();
    const a = await window(configFor(port));
    const b = await window(configFor(port));
    expect([a.monitor.status().role, b.monitor.status().role]).toEqual(['recorder', 'viewer']);
    let text: number | string = 0;
    for (let i = 0; i < 100 && typeof text !== 'string'; i++) {
      text = await scrape(port);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(String(text)).toMatch(/^vitals_process_group_processes\{group="other"\} \d+$/m);
    // The viewer tried nothing: no warning about the port the recorder holds.
    expect(b.sink.problems.filter((p) => p.key === METRICS_PROBLEM)).toEqual([]);

    await a.monitor.close();
    open.splice(open.indexOf(a.monitor), 1);
    await waitFor(() => b.monitor.status().role === 'recorder', 'the takeover');
    const tookOver = b.sink.snapshots.length;
    let after: number | string = 0;
    for (let i = 0; i < 100; i++) {
      after = await scrape(port);
      if (typeof after === 'string' && b.sink.snapshots.length > tookOver) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(typeof after).toBe('string');
    expect(b.sink.problems.filter((p) => p.key === METRICS_PROBLEM)).toEqual([]);
    await b.monitor.close();
    open.splice(0);
    expect(await scrape(port)).toBe('ECONNREFUSED');
  });

  it('warns once when the port is in use, and records all the same', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const a = await window(configFor(port));
      await waitFor(() => a.sink.snapshots.length >= 5, 'five intervals recorded');
      const warnings = a.sink.problems.filter((p) => p.key === METRICS_PROBLEM);
      expect(warnings).toEqual([
        {
          key: METRICS_PROBLEM,
          severity: 'warning',
          message: `Vitals cannot serve metrics on 127.0.0.1:${port}: the address is already in use; recording goes on without the metrics endpoint.`,
        },
      ]);
      expect(a.monitor.status()).toMatchObject({ role: 'recorder', recording: true });
    } finally {
      blocker.close();
    }
  });
});
