// The schema 1 → 2 migration on a real version-1 file and journal (written by the version-1 Store:
// test/fixtures/storage/makeV1.ts says how), and the roles schema 2 stores with each process.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Store } from '../../../src/backend/storage/store';
import { SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { decodeRecord, encodeRecord } from '../../../src/backend/storage/records';
import { snapshotAt } from '../../support/synthetic';
import { copyV1Database, V1_END, sqlValue, sqlRows } from '../../support/v1Database';
import type { ProcessRole, Snapshot } from '../../../src/backend/types';

const retention = defaultMonitorConfig().retention;
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-migrate-'));
  path = join(dir, 'vitals.sqlite');
  copyV1Database(path);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const rows = sqlRows;
const one = sqlValue;

const hostRole: ProcessRole = { kind: 'extension-host', detail: 'my-app', hostPid: 4100 };
const jsonRole: ProcessRole = {
  kind: 'extension',
  detail: 'language server',
  extensionId: 'vscode.json-language-features',
  extensionName: 'JSON Language Features',
  hostPid: 4100,
};

/** A snapshot after the fixture's end in which its two VS Code processes have their roles. */
function withRoles(t: number): Snapshot {
  const s = snapshotAt(t, 2000, { processes: 22 });
  s.processes.push(
    {
      pid: 4100,
      ppid: 4000,
      startTime: V1_END - 240_000,
      name: 'node',
      command: 'ext host',
      user: 'dev',
      state: 'S',
      cpu: 12,
      rssBytes: 3e8,
      threads: 12,
      role: hostRole,
    },
    {
      pid: 4200,
      ppid: 4100,
      startTime: V1_END - 230_000,
      name: 'node',
      command: 'json server',
      user: 'dev',
      state: 'S',
      cpu: 3,
      rssBytes: 8e7,
      threads: 7,
      role: jsonRole,
    },
  );
  return s;
}

describe('schema 1 → 2 on a real version-1 file', () => {
  it('migrates in place: every sample and process kept, the role columns added and empty, the v1 journal replayed', async () => {
    const s = await Store.open({ path, retention, now: () => V1_END });
    expect(Number(one(s, 'PRAGMA user_version'))).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2);
    // 76 checkpointed intervals + 14 in the journal.
    expect(s.openReport.replayedRecords).toBe(14);
    expect(Number(one(s, 'SELECT count(*) FROM proc_raw'))).toBe(90);
    expect(Number(one(s, 'SELECT count(*) FROM proc_1m'))).toBeGreaterThanOrEqual(2);
    const columns = rows(s, 'PRAGMA table_info(process)').map((r) => String(r[1]));
    expect(columns).toEqual(expect.arrayContaining(['role_kind', 'role_detail', 'extension_id', 'extension_name', 'host_pid']));
    expect(Number(one(s, 'SELECT count(*) FROM process WHERE role_kind IS NOT NULL'))).toBe(0);
    expect(Number(one(s, "SELECT count(*) FROM process WHERE command LIKE '%jsonServerMain%'"))).toBe(1);
    expect(one(s, 'PRAGMA integrity_check')).toBe('ok');
    s.close();
  });

  it('stores a role learnt for a process recorded by version 1 on its row, through the journal and a checkpoint', async () => {
    let now = V1_END;
    const s = await Store.open({ path, retention, now: () => now });
    for (let i = 0; i < 3; i++) {
      now = V1_END + i * 2000;
      s.record(withRoles(now));
      s.flush(now);
    }
    const stored = (st: Store): unknown[][] =>
      rows(
        st,
        'SELECT pid, role_kind, role_detail, extension_id, extension_name, host_pid FROM process WHERE role_kind IS NOT NULL ORDER BY pid',
      );
    const expected = [
      [4100, 'extension-host', 'my-app', null, null, 4100],
      [4200, 'extension', 'language server', 'vscode.json-language-features', 'JSON Language Features', 4100],
    ];
    expect(stored(s)).toEqual(expected);
    // The same processes as version 1 recorded: the role went onto their rows, no second row.
    expect(Number(one(s, 'SELECT count(*) FROM process WHERE pid = 4200'))).toBe(1);
    // A crash: the roles come back from the journal (kind 3 records), in sequence with the samples.
    s.journal.close();
    const replayed = await Store.open({ path, retention, now: () => now });
    expect(stored(replayed)).toEqual(expected);
    replayed.checkpoint(now);
    replayed.close();
    const reopened = await Store.open({ path, retention, now: () => now });
    expect(reopened.openReport.replayedRecords).toBe(0);
    expect(stored(reopened)).toEqual(expected);
    reopened.close();
  });

  it('journals a role once when learnt and again only when it changes', async () => {
    let now = V1_END;
    const s = await Store.open({ path, retention, now: () => now });
    s.checkpoint(now);
    for (let i = 0; i < 4; i++) {
      now = V1_END + i * 2000;
      const snap = withRoles(now);
      if (i === 3) snap.processes[snap.processes.length - 1]!.role = { ...jsonRole, detail: 'debug adapter' };
      // A left-behind mark is live only: it does not make a new record.
      if (i === 2) snap.processes[snap.processes.length - 2]!.role = { ...hostRole, leftBehindSince: now };
      s.record(snap);
    }
    s.flush(now);
    const kinds = s.journal.read({ repair: false }).records.map((p) => decodeRecord(p).kind);
    expect(kinds).toEqual(['interval', 'roles', 'interval', 'interval', 'interval', 'roles']);
    expect(one(s, 'SELECT role_detail FROM process WHERE pid = 4200')).toBe('debug adapter');
    s.close();
  });
});

describe('roles records', () => {
  it('round-trip, and a malformed one is refused rather than half-applied', () => {
    const r = {
      kind: 'roles' as const,
      seq: 7,
      t: 1000,
      roles: [{ id: 3, kind: 'pty-host', detail: '', extensionId: null, extensionName: null, hostPid: null }],
    };
    expect(decodeRecord(encodeRecord(r))).toEqual(r);
    const json = new TextEncoder().encode(JSON.stringify({ r: [[3, 'pty-host']] }));
    const forged = new Uint8Array(17 + 4 + json.byteLength + 8);
    const v = new DataView(forged.buffer);
    v.setUint8(0, 3);
    v.setFloat64(1, 7, true);
    v.setFloat64(9, 1000, true);
    v.setUint32(17, json.byteLength, true);
    forged.set(json, 21);
    expect(() => decodeRecord(forged)).toThrow(/malformed role/);
  });
});
