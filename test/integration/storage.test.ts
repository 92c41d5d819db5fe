// Show Storage Health tells the truth about the database on disk, and Export History writes files
// that parse and hold the recorded samples.
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import type * as vscode from 'vscode';
import type { ExportRequest, ExportResult, HealthReport, Snapshot } from '../../src/backend';
import { EXTENSION_ID } from './harness/extension';
import { executeCommandWithin, waitFor } from './harness/wait';
import { healthText } from '../../src/shared/healthText';
import { parseCsv } from './support/csv';
import { readDatabaseFile } from './support/database';
import { closeDashboard, latestSnapshot, samples, vitals, type VitalsTestApi } from './support/vitals';

const COMMAND_TIMEOUT_MS = 60_000;
const health = () => executeCommandWithin<HealthReport>(COMMAND_TIMEOUT_MS, 'vitals.showStorageHealth');
const fileSize = (p: string) => (existsSync(p) ? statSync(p).size : 0);

describe('Show Storage Health', () => {
  let api: VitalsTestApi;
  const seen = new Set<number>();
  let listener: vscode.Disposable | undefined;

  before(async () => {
    api = await vitals();
    const first = await latestSnapshot(api);
    seen.add(first.t);
    listener = api.backend.onSnapshot((s: Snapshot) => seen.add(s.t));
    await samples(api, 3);
  });

  after(async () => {
    listener?.dispose();
    await closeDashboard();
  });

  it('reports the database in the extension’s globalStorage, with the samples it recorded', async () => {
    const h = await waitFor(
      async () => {
        const r = await health();
        return r && (r.rowCounts.sys_raw ?? 0) > 0 ? r : undefined;
      },
      'system samples in the database',
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    assert.equal(h.databasePath, api.backend.lastStatus?.databasePath);
    assert.equal(basename(dirname(h.databasePath)), EXTENSION_ID.toLowerCase(), 'in the extension’s own storage folder');
    assert.equal(basename(dirname(dirname(h.databasePath))), 'globalStorage', 'in globalStorage');
    assert.equal(h.role, 'recorder');
    assert.equal(h.recording, true);
    assert.ok((h.rowCounts.proc_raw ?? 0) > 0, 'process samples recorded');
    assert.ok((h.rowCounts.process ?? 0) > 0, 'processes recorded');
    assert.ok((h.rowCounts.metric ?? 0) > 0, 'metric names recorded');
    assert.ok(h.newestSample !== null && seen.has(h.newestSample), `the newest sample ${h.newestSample} is one the backend published`);
    assert.ok(h.oldestSample !== null && h.oldestSample <= h.newestSample);
    const settings = api.settings().monitor.retention;
    assert.deepEqual(h.retention, settings, 'the retention in force is the settings’');
    assert.equal(h.capBytes, settings.maxDatabaseMB * 1024 * 1024);
    assert.ok(h.liveSizeBytes > 0);
    assert.ok(h.self.rssBytes > 0 && h.self.cpuPercent >= 0);
    assert.equal(h.databaseSizeBytes, fileSize(h.databasePath), 'the database size is the file’s');
  });

  it("reports the monitor's own cost as the worker thread's, each figure labelled", async () => {
    const h = await health();
    // The backend's worker thread, not the extension host every extension runs in.
    assert.equal(h.self.cpuScope, process.platform === 'linux' ? 'worker-thread' : h.self.cpuScope);
    assert.ok(h.self.cpuPercent >= 0 && h.self.cpuPercent < 100, `CPU ${h.self.cpuPercent} % of one core`);
    assert.ok(h.self.heapBytes > 0, 'the worker heap');
    assert.ok(h.self.wasmBytes > 0, "sql.js's memory");
    assert.ok(h.self.rssBytes > h.self.heapBytes, 'the whole process is bigger than the worker');
    assert.ok(h.sampling, 'the sampling intervals in force');
    assert.equal(h.sampling.intervalMs, api.settings().monitor.sampleIntervalMs);
    assert.equal(h.sampling.budgetPercent, api.settings().monitor.governorMaxCpuPercent);
    const text = healthText(h);
    if (process.platform === 'linux') assert.match(text, /CPU +\d+\.\d% of one core, the backend's worker thread \(average since start\)/);
    assert.match(text, /Memory +[\d.]+ [KMG]B \(JavaScript heap [\d.]+ [KMG]B \+ SQLite [\d.]+ [KMG]B\)/);
    assert.match(text, /Process RSS +[\d.]+ [KMG]B, the whole extension host, every extension in it/);
    assert.match(text, /Sampling +(System and processes every|System every)/);
  });

  it('counts the journal as the file beside the database holds it', async () => {
    // Flushes append to the journal every interval: compare a report with the file until one pair
    // falls between two flushes.
    await waitFor(
      async () => {
        const h = await health();
        return h.journalBytes === fileSize(`${h.databasePath}.journal`);
      },
      'a report whose journal size matches the file',
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  });

  it('matches the database file after a checkpoint (Back Up Now writes one)', async () => {
    await executeCommandWithin(COMMAND_TIMEOUT_MS, 'vitals.backupNow');
    const h = await health();
    assert.ok(h.lastCheckpoint, 'a checkpoint was written');
    const onDisk = statSync(h.databasePath).size;
    assert.ok(onDisk > 0);
    assert.equal(h.databaseSizeBytes, onDisk);
    assert.equal(readFileSync(h.databasePath).subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    const file = await readDatabaseFile(h.databasePath);
    assert.ok((file.rowCounts.sys_raw ?? 0) > 0, 'the file holds system samples');
    // The live database can only have gained samples since the checkpoint.
    for (const t of ['sys_raw', 'proc_raw', 'process', 'metric'])
      assert.ok((file.rowCounts[t] ?? 0) <= (h.rowCounts[t] ?? 0), `${t}: file ${file.rowCounts[t]} > reported ${h.rowCounts[t]}`);
    assert.ok(file.newestSample !== null && h.newestSample !== null && file.newestSample <= h.newestSample);
  });
});

describe('Export History', () => {
  let api: VitalsTestApi;
  let scratch: string;

  before(async () => {
    api = await vitals();
    scratch = mkdtempSync(join(tmpdir(), 'vitals-itest-export-'));
    await samples(api, 2);
  });

  after(() => rmSync(scratch, { recursive: true, force: true }));

  async function exportTo(
    request: Omit<ExportRequest, 'outPath' | 'from' | 'to'>,
    name: string,
  ): Promise<{ result: ExportResult; text: string; from: number; to: number }> {
    const to = Date.now();
    const from = to - 3_600_000;
    const outPath = join(scratch, name);
    const result = await executeCommandWithin<ExportResult | undefined>(COMMAND_TIMEOUT_MS, 'vitals.exportHistory', {
      ...request,
      from,
      to,
      outPath,
    });
    assert.ok(result, 'Export History returned its result');
    assert.equal(result.outPath, outPath);
    assert.ok(result.rows > 0, 'rows exported');
    assert.equal(statSync(outPath).size, result.bytes, 'the reported size is the file’s');
    return { result, text: readFileSync(outPath, 'utf8'), from, to };
  }

  function checkTime(iso: string, from: number, to: number): void {
    const t = Date.parse(iso);
    assert.ok(Number.isFinite(t) && t >= from && t <= to, `time ${iso} is within the range`);
  }

  it('writes system history as CSV that parses, one line per metric and sample', async () => {
    const { result, text, from, to } = await exportTo({ format: 'csv', scope: { kind: 'system' } }, 'system.csv');
    const [head, ...rows] = parseCsv(text);
    assert.deepEqual(head, ['time', 'tier', 'metric', 'avg', 'min', 'max']);
    assert.ok(rows.length > 0);
    for (const r of rows) {
      assert.equal(r.length, 6, `a row of 6 fields: ${r.join(',')}`);
      checkTime(r[0]!, from, to);
      for (const v of r.slice(3)) assert.ok(Number.isFinite(Number(v)), `a number: ${v}`);
    }
    assert.equal(new Set(rows.map((r) => r[0])).size, result.rows, 'one sample per exported row');
    const cpu = rows.filter((r) => r[2] === 'cpu.total').map((r) => Number(r[3]));
    assert.equal(cpu.length, result.rows, 'cpu.total in every sample');
    for (const v of cpu) assert.ok(v >= 0 && v <= 100, `cpu.total ${v} is a percentage`);
    // The machine's memory, as the kernel reports it to Node too.
    const memTotal = rows.filter((r) => r[2] === 'mem.total').map((r) => Number(r[3]));
    assert.ok(memTotal.length > 0);
    for (const v of memTotal) assert.ok(Math.abs(v - totalmem()) <= totalmem() * 0.01, `mem.total ${v} vs ${totalmem()}`);
  });

  it('writes process history as CSV that parses, including the extension host', async () => {
    const { result, text, from, to } = await exportTo({ format: 'csv', scope: { kind: 'processes' } }, 'processes.csv');
    const [head, ...rows] = parseCsv(text);
    assert.deepEqual(head, [
      'time',
      'tier',
      'pid',
      'ppid',
      'start_time',
      'name',
      'user',
      'cpu_percent',
      'cpu_max_percent',
      'rss_bytes',
      'rss_max_bytes',
      'threads',
      'state',
      'read_bytes',
      'write_bytes',
      'children_cpu_percent',
      'role',
      'extension',
      'command',
    ]);
    assert.equal(rows.length, result.rows);
    for (const r of rows) {
      assert.equal(r.length, 19);
      checkTime(r[0]!, from, to);
    }
    const host = rows.filter((r) => r[2] === String(process.pid));
    assert.ok(host.length > 0, 'the extension host was recorded');
    assert.ok(
      host.every((r) => Number(r[9]) > 0),
      'with its memory',
    );
    assert.ok(
      host.every((r) => r[3] === String(process.ppid)),
      'with its parent',
    );
  });

  it('writes system history as JSON that parses', async () => {
    const { result, text, from, to } = await exportTo({ format: 'json', scope: { kind: 'system' } }, 'system.json');
    const doc = JSON.parse(text) as { scope: string; rows: { time: string; tier: string; metrics: Record<string, { avg: number }> }[] };
    assert.equal(doc.scope, 'system');
    assert.equal(doc.rows.length, result.rows);
    for (const r of doc.rows) {
      checkTime(r.time, from, to);
      assert.ok(r.metrics['cpu.total'] && Number.isFinite(r.metrics['cpu.total'].avg));
    }
  });

  it('writes process history as JSON that parses', async () => {
    const { result, text } = await exportTo({ format: 'json', scope: { kind: 'processes' } }, 'processes.json');
    const doc = JSON.parse(text) as { scope: string; rows: { pid: number | null; name: string; rssBytes: number }[] };
    assert.equal(doc.scope, 'processes');
    assert.equal(doc.rows.length, result.rows);
    assert.ok(
      doc.rows.some((r) => r.pid === process.pid),
      'the extension host is in it',
    );
  });

  it('exports one process by pid', async () => {
    const snapshot = await latestSnapshot(api);
    assert.ok(snapshot.processes.some((p) => p.pid === process.pid));
    const { result, text } = await exportTo({ format: 'json', scope: { kind: 'pid', pid: process.pid } }, 'host.json');
    const doc = JSON.parse(text) as { rows: { pid: number }[] };
    assert.equal(doc.rows.length, result.rows);
    assert.ok(
      doc.rows.every((r) => r.pid === process.pid),
      'only that process',
    );
  });
});
