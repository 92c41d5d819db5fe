// Exports carry each process's VS Code role and extension: `role` and `extension` columns in CSV,
// JSON and NDJSON rows and in the SQLite export (whose processes table has the whole role).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { exportHistory } from '../../../src/backend/queries/export';
import { loadSqlJs } from '../../../src/backend/storage/sqljs';
import { Store } from '../../../src/backend/storage/store';
import { snapshotAt } from '../../support/synthetic';
import type { ExportFormat, ExportScope } from '../../../src/backend/types';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
let dir: string;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-role-export-'));
  let now = T0;
  store = await Store.open({ path: join(dir, 'vitals.sqlite'), retention: defaultMonitorConfig().retention, now: () => now });
  for (let t = T0; t < T0 + 20_000; t += 2000) {
    now = t;
    store.record(snapshotAt(t, 2000, { processes: 20, vscode: true, churn: 0 }));
  }
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function exported(format: ExportFormat, scope: ExportScope = { kind: 'processes' }): Promise<string> {
  const outPath = join(dir, `out-${n++}.${format}`);
  await exportHistory(store, { from: T0, to: T0 + 20_000, format, scope, outPath }, 2000);
  return outPath;
}

describe('exports with VS Code roles', () => {
  it('CSV: role and extension columns, empty for processes that are not VS Code’s', async () => {
    const [head, ...rows] = readFileSync(await exported('csv'), 'utf8')
      .trim()
      .split('\n');
    const cols = head!.split(',');
    expect(cols.slice(-3)).toEqual(['role', 'extension', 'command']);
    const at = (r: string, c: string): string => r.split(',')[cols.indexOf(c)]!;
    const byPid = new Map(rows.map((r) => [at(r, 'pid'), r]));
    expect(at(byPid.get('1006')!, 'role')).toBe('extension');
    expect(at(byPid.get('1006')!, 'extension')).toBe('a.alpha');
    expect(at(byPid.get('1005')!, 'role')).toBe('extension-host');
    expect(at(byPid.get('1005')!, 'extension')).toBe('');
    expect(at(byPid.get('1001')!, 'role')).toBe('');
  });

  it('NDJSON and JSON: the same fields', async () => {
    const nd = readFileSync(await exported('ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { pid: number; role: string; extension: string });
    expect(nd.find((o) => o.pid === 1008)).toMatchObject({ role: 'extension', extension: 'b.beta' });
    expect(nd.find((o) => o.pid === 1000)).toMatchObject({ role: '', extension: '' });
    const json = JSON.parse(readFileSync(await exported('json'), 'utf8')) as { rows: { pid: number; role: string }[] };
    expect(json.rows.find((o) => o.pid === 1011)?.role).toBe('pty-host');
  });

  it('SQLite: role and extension in process_samples, the whole role in processes', async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(await exported('sqlite', { kind: 'all' })));
    try {
      const sample = db.exec('SELECT role, extension FROM process_samples WHERE pid = 1010 LIMIT 1')[0]!.values[0];
      expect(sample).toEqual(['extension', 'c.gamma']);
      expect(db.exec('SELECT role, extension FROM process_samples WHERE pid = 1001 LIMIT 1')[0]!.values[0]).toEqual([null, null]);
      const proc = db.exec('SELECT role, role_detail, extension, extension_name, host_pid FROM processes WHERE pid = 1006')[0]!.values[0];
      expect(proc).toEqual(['extension', 'language server', 'a.alpha', 'Alpha', 1005]);
      expect(db.exec('SELECT role, host_pid FROM processes WHERE pid = 1012')[0]!.values[0]).toEqual(['terminal', 1005]);
    } finally {
      db.close();
    }
  });
});
