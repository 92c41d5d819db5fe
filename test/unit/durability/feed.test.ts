// The live feed on real Unix sockets: what viewers receive, what they may ask, what is refused, and
// that a recorder closing its feed never removes the feed of the recorder that took over.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnection } from 'node:net';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendStatus } from '../../../src/backend/protocol';
import { FeedClient, feedPathFor, FeedServer, removeStaleFeeds, type FeedHandler } from '../../../src/backend/viewer/feed';
import type { Snapshot } from '../../../src/backend/types';
import { snapshotAt } from '../../support/synthetic';
import { removeDir, tempDir, waitFor } from './support/harness';

let dir: string;
let db: string;
const servers: FeedServer[] = [];
beforeEach(() => {
  dir = tempDir('feed');
  db = join(dir, 'vitals.sqlite');
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
  removeDir(dir);
});

const status: BackendStatus = { role: 'recorder', recording: true, databasePath: 'x', lastFlushAt: null, databaseSizeBytes: 0 };
const handler: FeedHandler = {
  request: (method) => (method === 'status' ? Promise.resolve(status) : Promise.reject(new Error(`${method} failed here`))) as never,
  log: () => undefined,
};

async function serve(token: string): Promise<FeedServer> {
  const s = await FeedServer.listen(feedPathFor(db, token), handler);
  servers.push(s);
  return s;
}

function viewer(path: string): Promise<{ client: FeedClient; snapshots: Snapshot[]; closed: () => boolean }> {
  const snapshots: Snapshot[] = [];
  let closed = false;
  return FeedClient.connect(path, { snapshot: (s) => snapshots.push(s), status: () => undefined, closed: () => (closed = true) }).then((client) => ({
    client,
    snapshots,
    closed: () => closed,
  }));
}

describe('live feed', () => {
  it('streams every snapshot to every viewer, on a socket only its owner may open', async () => {
    const server = await serve('aaaaaaaa11');
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    const [v1, v2] = await Promise.all([viewer(server.path), viewer(server.path)]);
    await waitFor(() => server.clientCount === 2, 'two viewers');
    const sent = [snapshotAt(Date.UTC(2026, 0, 5), 2000, { processes: 50 }), snapshotAt(Date.UTC(2026, 0, 5) + 2000, 2000, { processes: 50 })];
    for (const snapshot of sent) server.broadcast({ kind: 'event', event: 'snapshot', snapshot });
    await waitFor(() => v1.snapshots.length === 2 && v2.snapshots.length === 2, 'the snapshots');
    expect(v1.snapshots).toEqual(sent);
    expect(v2.snapshots).toEqual(sent);
    v1.client.close();
    v2.client.close();
  });

  it('answers what viewers may ask, refuses the rest, and drops a peer that sends garbage', async () => {
    const server = await serve('bbbbbbbb22');
    const v = await viewer(server.path);
    expect(await v.client.request('status', {})).toEqual(status);
    await expect(v.client.request('backupNow', {})).rejects.toThrow(/backupNow failed here/);
    // A method outside the forwarded set, sent by hand.
    const raw = createConnection(server.path);
    let answer = '';
    raw.on('data', (d) => (answer += d.toString()));
    raw.write(`${JSON.stringify({ kind: 'request', id: 7, method: 'setRecording', params: { enabled: false } })}\n`);
    await waitFor(() => answer.includes('\n'), 'an answer');
    expect(JSON.parse(answer)).toMatchObject({ inReplyTo: 7, ok: false, error: { code: 'refused' } });
    let dropped = false;
    raw.on('close', () => (dropped = true));
    raw.write('this is not json\n');
    await waitFor(() => dropped, 'the garbage sender dropped');
    v.client.close();
  });

  it('a recorder closing its feed leaves the feed of the recorder that took over in place', async () => {
    const old = await serve('cccccccc33');
    const taken = await serve('dddddddd44');
    expect(old.path).not.toBe(taken.path);
    await old.close();
    servers.splice(servers.indexOf(old), 1);
    expect(existsSync(old.path)).toBe(false);
    expect(existsSync(taken.path)).toBe(true);
    const v = await viewer(taken.path);
    expect(await v.client.request('status', {})).toEqual(status);
    v.client.close();
  });

  it('the lock holder clears sockets killed recorders left, and nothing else', async () => {
    const left = [`vitals.sqlite.0123abcd.sock`, `vitals.sqlite.89abcdef.sock`];
    for (const f of left) writeFileSync(join(dir, f), '');
    writeFileSync(join(dir, 'vitals.sqlite.notes.sock'), '');
    writeFileSync(join(dir, 'other.sqlite.0123abcd.sock'), '');
    const mine = await serve('eeeeeeee55');
    removeStaleFeeds(db, mine.path);
    expect(readdirSync(dir).sort()).toEqual(['other.sqlite.0123abcd.sock', 'vitals.sqlite.eeeeeeee.sock', 'vitals.sqlite.notes.sock']);
  });
});
