// Export History… as SQLite in a real extension host: the worker loads the second SQLite engine
// (node-sqlite3-wasm, its .wasm beside the bundle) and writes a file sqlite3 reads, system and process
// tables together.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { ExportResult } from '../../src/backend';
import { samples, vitals } from './support/vitals';

/** 'VTLX', the application id an SQLite export carries (queries/exportTarget.ts). */
const EXPORT_APPLICATION_ID = 0x56544c58;

function hasSqlite3(): boolean {
  try {
    execFileSync('sqlite3', ['-version']);
    return true;
  } catch {
    return false;
  }
}

describe('Export History… as SQLite', function () {
  this.timeout(120_000);
  let scratch: string;

  before(async () => {
    await samples(await vitals(), 3);
    scratch = mkdtempSync(join(tmpdir(), 'vitals-itest-sqlite-'));
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('writes system and process tables into one SQLite file', async () => {
    const outPath = join(scratch, 'history.sqlite');
    const r = (await vscode.commands.executeCommand('vitals.exportHistory', {
      from: Date.now() - 3_600_000,
      to: Date.now() + 1000,
      format: 'sqlite',
      scope: { kind: 'all' },
      outPath,
    })) as ExportResult;
    assert.equal(r.outPath, outPath);
    assert.ok(r.rows > 0, 'rows exported');
    assert.equal(statSync(outPath).size, r.bytes);
    const head = readFileSync(outPath).subarray(0, 100);
    assert.equal(head.subarray(0, 16).toString('latin1'), 'SQLite format 3\0');
    assert.equal(head.readUInt32BE(68), EXPORT_APPLICATION_ID);
    if (hasSqlite3()) {
      const counts = execFileSync(
        'sqlite3',
        ['-readonly', outPath, 'SELECT (SELECT count(*) FROM system_samples) + (SELECT count(*) FROM process_samples)'],
        { encoding: 'utf8' },
      );
      assert.equal(Number(counts.trim()), r.rows);
    }
  });
});
