// The live feed on real Unix sockets: what viewers receive, what they may ask, what is refused, and
// that a recorder closing its feed never removes the feed of the recorder that took over.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConnection, createServer, type Socket } from 'node:net';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BackendStatus } from '../../../src/backend/protocol';
import { FeedClient, feedPathFor, FeedServer, removeStaleFeeds, type FeedHandler } from '../../../src/backend/viewer/feed';
import { InternalError, NotReadyError } from '../../../src/shared/errors';
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

async function serve(token: string, h: FeedHandler = handler): Promise<FeedServer> {
  const s = await FeedServer.listen(feedPathFor(db, token), h);
  servers.push(s);
  return s;
}

function viewer(path: string): Promise<{ client: FeedClient; snapshots: Snapshot[]; closed: () => boolean }> {
  const snapshots: Snapshot[] = [];
  let closed = false;
  return FeedClient.connect(path, { snapshot: (s) => snapshots.push(s), status: () => undefined, closed: () => (closed = true) }).then(
    (client) => ({
      client,
      snapshots,
      closed: () => closed,
    }),
  );
}

describe('live feed', () => {
  it('streams every snapshot to every viewer, on a socket only its owner may open', async () => {
    const server = await serve('aaaaaaaa11');
    expect(statSync(server.path).mode & 0o777).toBe(0o600);
    const [v1, v2] = await Promise.all([viewer(server.path), viewer(server.path)]);
    await waitFor(() => server.clientCount === 2, 'two viewers');
    const sent = [
      snapshotAt(Date.UTC(2026, 0, 5), 2000, { processes: 50 }),
      snapshotAt(Date.UTC(2026, 0, 5) + 2000, 2000, { processes: 50 }),
    ];
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

  it('answers a malformed request that has an id with bad-request, and one that fails with the error kind it threw', async () => {
    const server = await serve('ffffffff66', {
      request: (method) =>
        (method === 'clearHistory'
          ? Promise.reject(new NotReadyError('still opening'))
          : Promise.reject(new Error('disk on fire'))) as never,
      log: () => undefined,
    });
    const raw = rawPeer(server.path);
    raw.socket.write(`${JSON.stringify({ kind: 'request', id: 5, method: 'restore', params: { from: 42 } })}\n`);
    await waitFor(() => raw.lines().length === 1, 'an answer');
    expect(raw.lines()[0]).toMatchObject({
      inReplyTo: 5,
      ok: false,
      error: { code: 'bad-request', message: expect.stringMatching(/params\.from/) },
    });
    const v = await viewer(server.path);
    const notReady = await v.client.request('clearHistory', {}).catch((e: unknown) => e);
    expect(notReady).toBeInstanceOf(NotReadyError);
    expect((notReady as Error).message).toBe('still opening');
    // Anything not thrown on purpose is internal now (it used to be reported as 'io').
    await expect(v.client.request('backupNow', {})).rejects.toBeInstanceOf(InternalError);
    raw.socket.destroy();
    v.client.close();
  });

  it('a viewer ignores malformed messages from the recorder and keeps the valid ones', async () => {
    const path = feedPathFor(db, '0000000077');
    let peer: Socket | undefined;
    const fake = createServer((s) => (peer = s));
    await new Promise<void>((r) => fake.listen(path, r));
    try {
      const v = await viewer(path);
      await waitFor(() => peer !== undefined, 'the viewer connected');
      const good = snapshotAt(Date.UTC(2026, 0, 5), 2000, { processes: 3 });
      const asked = v.client.request('status', {});
      for (const m of [
        { kind: 'event', event: 'snapshot', snapshot: { t: 'soon', processes: [] } },
        { kind: 'event', event: 'snapshot' },
        { kind: 'gossip' },
        { kind: 'response', inReplyTo: 1, ok: false, error: { code: 'teapot', message: 'x' } },
        { kind: 'event', event: 'snapshot', snapshot: good },
        { kind: 'response', inReplyTo: 1, ok: false, error: { code: 'not-ready', message: 'wait' } },
      ])
        peer!.write(`${JSON.stringify(m)}\n`);
      await expect(asked).rejects.toBeInstanceOf(NotReadyError);
      await waitFor(() => v.snapshots.length === 1, 'the valid snapshot');
      expect(v.snapshots).toEqual([good]);
      expect(v.closed()).toBe(false);
      v.client.close();
    } finally {
      peer?.destroy();
      await new Promise<void>((r) => fake.close(() => r()));
    }
  });

  it('drops a peer that sends an endless line, without holding more than one line of it', async () => {
    const server = await serve('12121212aa');
    const raw = rawPeer(server.path);
    let dropped = false;
    raw.socket.on('close', () => (dropped = true));
    raw.socket.on('error', () => undefined);
    // 1 MiB without a newline, in 64 KiB writes, stopping as soon as the recorder hangs up.
    const chunk = 'x'.repeat(64 * 1024);
    for (let sent = 0; sent < 1024 * 1024 && !dropped; sent += chunk.length) {
      raw.socket.write(chunk);
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => dropped, 'the endless sender dropped');
    // The recorder goes on serving everyone else.
    const v = await viewer(server.path);
    expect(await v.client.request('status', {})).toEqual(status);
    v.client.close();
  });

  it('logs a flood of malformed requests at 1, 10, 100… only, and keeps answering', async () => {
    const logged: string[] = [];
    const server = await serve('34343434bb', { ...handler, log: (_level, message) => logged.push(message) });
    const raw = rawPeer(server.path);
    const bad = `${JSON.stringify({ kind: 'request', id: 'x', method: 'nope', params: {} })}\n`;
    raw.socket.write(bad.repeat(5000));
    raw.socket.write(`${JSON.stringify({ kind: 'request', id: 9, method: 'status', params: {} })}\n`);
    await waitFor(() => raw.lines().some((m) => (m as { inReplyTo?: number }).inReplyTo === 9), 'the answer after the flood');
    const malformed = logged.filter((l) => l.includes('malformed'));
    expect(malformed.length).toBe(4); // 1st, 10th, 100th, 1000th
    expect(malformed[3]).toMatch(/seen 1000×/);
    raw.socket.destroy();
  });

  describe('where the socket is bound', () => {
    const saved = { xdg: process.env.XDG_RUNTIME_DIR, tmp: process.env.TMPDIR };
    let tmp: string;
    beforeEach(() => {
      // A temp folder of the test's own stands in for /tmp, so nothing of this machine's is touched.
      tmp = tempDir('feed-tmp');
      process.env.TMPDIR = tmp;
      delete process.env.XDG_RUNTIME_DIR;
    });
    afterEach(() => {
      for (const [k, v] of [
        ['XDG_RUNTIME_DIR', saved.xdg],
        ['TMPDIR', saved.tmp],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      removeDir(tmp);
    });
    const uid = process.getuid?.() ?? 0;
    const modeOf = (p: string): number => statSync(p).mode & 0o777;

    it('beside the database when its folder is private', async () => {
      const s = await serve('aaaaaaaa01');
      expect(dirname(s.path)).toBe(dir);
    });

    it('too long a path, or a folder others may enter: a private per-user folder, never a predictable name in /tmp itself', async () => {
      const long = join(dir, `${'x'.repeat(120)}.sqlite`);
      const a = feedPathFor(long, 'aaaaaaaa02');
      expect(dirname(a)).toBe(join(tmp, `vitals-${uid}`));
      servers.push(await FeedServer.listen(a, handler));
      expect(modeOf(dirname(a))).toBe(0o700);
      expect(statSync(dirname(a)).uid).toBe(uid);

      chmodSync(dir, 0o755);
      const b = feedPathFor(db, 'aaaaaaaa03');
      expect(dirname(b)).toBe(join(tmp, `vitals-${uid}`));

      const xdg = join(tmp, 'run-user');
      mkdirSync(xdg, { mode: 0o700 });
      process.env.XDG_RUNTIME_DIR = xdg;
      expect(dirname(feedPathFor(long, 'aaaaaaaa04'))).toBe(xdg);
      // An XDG_RUNTIME_DIR others may enter is not used.
      chmodSync(xdg, 0o755);
      expect(dirname(feedPathFor(long, 'aaaaaaaa05'))).toBe(join(tmp, `vitals-${uid}`));
    });

    it.skipIf(uid !== 0)('refuses to serve in a per-user folder another user made first', async () => {
      const taken = join(tmp, `vitals-${uid}`);
      mkdirSync(taken, { mode: 0o777 });
      chmodSync(taken, 0o777);
      chownSync(taken, 65534, 65534);
      const path = feedPathFor(join(dir, `${'y'.repeat(120)}.sqlite`), 'aaaaaaaa06');
      expect(dirname(path)).toBe(taken);
      await expect(FeedServer.listen(path, handler)).rejects.toThrow(/not a folder only this user may enter/);
      expect(readdirSync(taken)).toEqual([]);
    });
  });
});

/** A peer speaking the feed by hand: what it receives, parsed line by line. */
function rawPeer(path: string): { socket: Socket; lines: () => unknown[] } {
  const socket = createConnection(path);
  let text = '';
  socket.on('data', (d) => (text += d.toString()));
  return {
    socket,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown),
  };
}
