// `export --scope events` and the agent tool vitals_events over real events: a recorder with a low
// threshold raises an alert for a real busy child, then the export writes it as CSV, JSON, NDJSON and
// an `events` table of the SQLite file (scope events, and scope all beside the samples), and the tool
// lists it with its pid and its peak in its unit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Store } from '../../../src/backend/storage/store';
import { runTool } from '../../../src/backend/tools/run';
import { runCli } from './support/inProcess';

let dir: string;
let db: string;
let child: ChildProcess | undefined;
let pid = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-export-events-'));
  db = join(dir, 'vitals.sqlite');
  const config = join(dir, 'settings.json');
  writeFileSync(
    config,
    JSON.stringify({
      'vitals.alerts.processCpu.percent': 5,
      'vitals.alerts.processCpu.seconds': 2,
      'vitals.alerts.endAfterSeconds': 0,
      'vitals.alerts.machineCpu.enabled': false,
      'vitals.alerts.lowMemory.enabled': false,
      'vitals.alerts.filesystem.enabled': false,
    }),
  );
  child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  pid = child.pid!;
  const rec = await runCli('record', '--db', db, '--interval', '1', '--duration', '10', '--config', config);
  expect(rec.code).toBe(0);
  child.kill('SIGKILL');
  child = undefined;
}, 120_000);
afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function exported(format: string, scope: string): Promise<string> {
  const out = join(dir, `${scope}.${format}`);
  const r = await runCli('export', '--db', db, '--format', format, '--scope', scope, '--out', out);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return out;
}

function sqlite3(file: string, sql: string): Record<string, unknown>[] {
  const out = execFileSync('sqlite3', ['-readonly', '-json', file, sql], { encoding: 'utf8' });
  return out.trim() === '' ? [] : (JSON.parse(out) as Record<string, unknown>[]);
}

describe.runIf(process.platform === 'linux')('export --scope events, vitals_events', () => {
  it('CSV, JSON and NDJSON hold the event with its culprit, peak and unit, and details', async () => {
    const csv = readFileSync(await exported('csv', 'events'), 'utf8')
      .trim()
      .split('\n');
    expect(csv[0]).toBe('start,end,rule,culprit,pids,group,peak,unit,text,details');
    const row = csv.find((l) => l.includes(',processCpu,') && l.includes(`,${pid},`));
    expect(row, csv.join('\n')).toMatch(/^\d{4}-\d\d-\d\dT[^,]+Z,\d{4}-[^,]+Z,processCpu,node,\d+,,[\d.]+,%core,/);
    expect(row).toContain('""threshold"":5');

    const json = JSON.parse(readFileSync(await exported('json', 'events'), 'utf8')) as {
      scope: string;
      rows: { rule: string; pids: string; peak: number; unit: string; end: string | null; details: Record<string, unknown> }[];
    };
    expect(json.scope).toBe('events');
    const mine = json.rows.find((r) => r.rule === 'processCpu' && r.pids.split(' ').includes(String(pid)));
    expect(mine).toMatchObject({ unit: '%core', details: { threshold: 5 } });
    expect(mine!.peak).toBeGreaterThan(5);
    // The recorder stopped: its alerts ended with it.
    expect(mine!.end).not.toBeNull();

    const lines = readFileSync(await exported('ndjson', 'events'), 'utf8')
      .trim()
      .split('\n');
    expect(lines).toHaveLength(json.rows.length);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(json.rows);
  });

  it('SQLite: an events table for scope events, and beside the samples for scope all', async () => {
    const only = await exported('sqlite', 'events');
    const rows = sqlite3(only, `SELECT rule, pids, unit, peak, json_extract(details, '$.threshold') AS threshold, end_iso FROM events`);
    const mine = rows.find((r) => r.rule === 'processCpu' && String(r.pids).split(' ').includes(String(pid)));
    expect(mine).toMatchObject({ unit: '%core', threshold: 5 });
    expect(sqlite3(only, 'SELECT count(*) AS n FROM process_samples')).toEqual([{ n: 0 }]);

    const all = await exported('sqlite', 'all');
    expect(sqlite3(all, 'SELECT count(*) AS n FROM events')).toEqual([{ n: rows.length }]);
    expect(Number(sqlite3(all, 'SELECT count(*) AS n FROM process_samples')[0]!.n)).toBeGreaterThan(0);
  });

  it('vitals_events lists it with its pid and peak in its unit; bad input is a tool error', async () => {
    const store = await Store.open({ path: db, retention: defaultMonitorConfig().retention, mode: 'read' });
    try {
      const ctx = () =>
        Promise.resolve({ store, sampleIntervalMs: 1000, now: Date.now(), health: () => Promise.reject(new Error('unused')) });
      const r = await runTool('vitals_events', { from: '-1h' }, ctx);
      expect(r.isError).toBe(false);
      expect(r.text).toMatch(/^Alert events from .* to .*: \d+ events?, 0 active \(newest first\):/);
      expect(r.text).toMatch(new RegExp(`processCpu, lasted [^:]+: node \\(pid ${pid}\\), peak [\\d.]+% of one core\\. node has used`));
      expect((await runTool('vitals_events', { from: '-2d', to: '-1d' }, ctx)).text).toMatch(/: none\.$/);
      expect((await runTool('vitals_events', { from: 'yesterday' }, ctx)).isError).toBe(true);
      expect((await runTool('vitals_events', { from: 'now', to: '-1h' }, ctx)).isError).toBe(true);
      expect((await runTool('vitals_events', { limit: 3 }, ctx)).isError).toBe(true);
    } finally {
      store.close();
    }
  });
});
