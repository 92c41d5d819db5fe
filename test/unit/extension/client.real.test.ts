// WorkerClient driving the real backend worker (bundled from src/ here, as esbuild.mjs bundles it
// for dist/): real sampling of this machine, a real sql.js database in a temporary folder.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import type { Snapshot } from '../../../src/backend/types';
import { WorkerClient } from '../../../src/extension/worker/client';
import type { Logger } from '../../../src/extension/log';

const root = join(__dirname, '../../..');
let dir: string;
let workerPath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-client-'));
  workerPath = join(dir, 'backend-worker.js');
  await esbuild.build({
    entryPoints: [join(root, 'src/backend/worker/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: workerPath,
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), join(dir, 'sql-wasm.wasm'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('WorkerClient with the real worker', () => {
  it('samples this machine, answers health and export, and flushes on shutdown', async () => {
    const lines: string[] = [];
    const at =
      (level: string) =>
      (m: string | Error, ...a: unknown[]) =>
        void lines.push(`${level} ${[m, ...a].map(String).join(' ')}`);
    const log: Logger = { trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
    const notes: string[] = [];
    // A folder that does not exist yet: the worker creates it, activate() must not.
    const dbPath = join(dir, 'globalStorage', 'vitals.sqlite');
    const client = new WorkerClient({
      workerPath,
      dbPath,
      config: defaultMonitorConfig({ sampleIntervalMs: 500, flushIntervalMs: 500 }),
      log,
      notify: (_s, m) => notes.push(m),
    });
    try {
      const snapshots: Snapshot[] = [];
      const two = new Promise<void>((resolve) =>
        client.onSnapshot((s) => {
          snapshots.push(s);
          if (snapshots.length === 2) resolve();
        }),
      );
      client.start();
      await two;
      expect(client.info?.hostname).toBeTruthy();
      const last = snapshots[1]!;
      expect(last.processes.some((p) => p.pid === process.pid)).toBe(true);
      expect(last.system.mem.totalBytes).toBeGreaterThan(0);

      const health = await client.request('health', {});
      expect(health.databasePath).toBe(dbPath);
      expect(health.role).toBe('recorder');

      const outPath = join(dir, 'system.csv');
      const progress: number[] = [];
      const result = await client.request(
        'export',
        { from: 0, to: Date.now() + 1000, format: 'csv', scope: { kind: 'system' }, outPath },
        { onProgress: (d) => progress.push(d) },
      );
      expect(result.outPath).toBe(outPath);
      const csv = readFileSync(outPath, 'utf8');
      expect(csv).toContain(',cpu.total,');
      expect(result.rows).toBeGreaterThan(0);
    } finally {
      await client.shutdown();
    }
    expect(existsSync(dbPath)).toBe(true);
    expect(notes).toEqual([]);
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
  });
});
