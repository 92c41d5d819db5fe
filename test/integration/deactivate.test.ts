// Runs last (index.ts loads it after every other file): it stops the backend, as deactivate() does
// when VS Code closes the window. Before that, the whole run's log is checked for errors.
import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { describe, it } from 'mocha';
import { readDatabaseFile } from './support/database';
import { logErrors, nextSnapshot, vitals } from './support/vitals';

/** The WorkerClient behind the handle has the shutdown() that deactivate() returns. */
function shutdownOf(backend: object): () => Promise<void> {
  const f = (backend as { shutdown?: unknown }).shutdown;
  assert.equal(typeof f, 'function', 'the handle’s backend has shutdown()');
  return () => (f as () => Promise<void>).call(backend);
}

describe('deactivate', () => {
  it('left no error in the Vitals log and no backend crash over the whole run', async () => {
    const api = await vitals();
    assert.deepEqual(logErrors(api), [], 'errors in the Vitals log');
    assert.equal(api.backendRestarts(), 0);
  });

  it('flushes the latest sample into the database file on shutdown', async () => {
    const api = await vitals();
    const dbPath = api.backend.lastStatus?.databasePath;
    assert.ok(dbPath);
    const shutdown = shutdownOf(api.backend);
    // What the file held before (earlier tests made checkpoints), then a sample newer than all of it.
    const before = existsSync(dbPath) ? await readDatabaseFile(dbPath) : undefined;
    const latest = await nextSnapshot(api, 'a sample newer than the file');
    assert.ok(!before?.hasSystemSample(latest.t), 'the file did not hold the latest sample yet');

    await shutdown();

    const after = await readDatabaseFile(dbPath);
    assert.ok(after.hasSystemSample(latest.t), `the file holds the latest sample (${latest.t}; newest in file ${after.newestSample})`);
    assert.ok((after.rowCounts.sys_raw ?? 0) >= (before?.rowCounts.sys_raw ?? 0));
    const journal = `${dbPath}.journal`;
    assert.equal(existsSync(journal) ? statSync(journal).size : 0, 0, 'the journal was emptied into the file');
    await assert.rejects(api.backend.request('status', {}), /shut down/, 'the backend is stopped');
  });
});
