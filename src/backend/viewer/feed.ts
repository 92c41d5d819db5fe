// The recorder's live feed: a Unix socket (a named pipe on Windows) in a folder only its user may
// enter (beside the database when that folder is private, else a per-user runtime folder), that streams every snapshot to the viewers (other windows) as newline-delimited JSON, and carries
// the few requests only the recorder can carry out (clear, back up, restore). The messages are the
// worker protocol's own types, validated on both ends with parseToWorker / parseFromWorker; failures
// travel as the same error kinds as the worker's (shared/errors.ts).
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import {
  parseFromWorker,
  parseToWorker,
  type BackendStatus,
  type EventMessage,
  type FromWorker,
  type Params,
  type RequestMessage,
  type Result,
  type ToWorker,
} from '../protocol';
import type { Snapshot } from '../types';
import type { AlertChange } from '../alerts/types';
import { int, isRecord } from '../../shared/check';
import { BadRequestError, fromProtocolError, IoError, RefusedError, toProtocolError } from '../../shared/errors';
import { RequestTracker } from '../../shared/requests';
import { isLogWorthy } from '../../shared/logThrottle';

/** Bumped when the feed's messages change incompatibly; a viewer only connects to its own version. */
export const FEED_VERSION = 1;

/** What a viewer may ask the recorder to do on its behalf. */
const FORWARDED = [
  'clearHistory',
  'backupNow',
  'restore',
  'status',
  'health',
  'setWindowContext',
  'activeAlerts',
  'snoozeAlert',
  'reportFocus',
] as const;
export type ForwardedMethod = (typeof FORWARDED)[number];

/** A client that reads slower than this much queued output is dropped rather than buffered without end. */
const MAX_BUFFERED = 4 * 1024 * 1024;
/**
 * Longest line the recorder accepts from a viewer. Requests are a few hundred bytes (a backup path),
 * except a window's context: one path per installed extension, ~40 KB for 300 of them. A peer that sends more without a newline is dropped before it can grow the recorder's
 * memory or keep its thread busy re-scanning one endless line.
 */
const MAX_REQUEST_LINE = 512 * 1024;
/** Longest line a viewer accepts: a snapshot of thousands of processes with long command lines. */
const MAX_EVENT_LINE = 16 * 1024 * 1024;

// Unix socket paths are limited to ~104–108 bytes.
const MAX_SOCKET_PATH = 100;

/**
 * Where a recorder serves its feed. Each recorder gets its own name (from its lock token): closing a
 * listening socket unlinks its path, and that must never remove the socket of the recorder that took
 * over. The lock file says which one is current.
 */
export function feedPathFor(dbPath: string, token: string, platform: NodeJS.Platform = process.platform): string {
  const hash = createHash('sha256').update(dbPath).digest('hex').slice(0, 16);
  const id = token.slice(0, 8);
  if (platform === 'win32') return `\\\\.\\pipe\\vitals-${hash}-${id}`;
  const beside = `${dbPath}.${id}.sock`;
  // A socket is reachable by whoever may enter its folder, from the moment it is bound: it goes only
  // where that is this user alone.
  if (Buffer.byteLength(beside) <= MAX_SOCKET_PATH && isPrivateDir(dirname(dbPath))) return beside;
  return join(runtimeDir(), `vitals-${hash}-${id}.sock`);
}

/** Whether only this user may enter `dir`: a real folder (not a symlink) of ours, no group/other bits. */
function isPrivateDir(dir: string): boolean {
  try {
    const st = lstatSync(dir);
    return st.isDirectory() && (st.mode & 0o077) === 0 && st.uid === process.getuid?.();
  } catch {
    return false;
  }
}

/**
 * The per-user folder for feeds whose path beside the database would be too long or reachable by
 * others: `$XDG_RUNTIME_DIR` when it is private as it should be, else `<tmp>/vitals-<uid>`, which
 * FeedServer.listen creates 0700 and refuses to use when someone else made it.
 */
function runtimeDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg && isAbsolute(xdg) && isPrivateDir(xdg)) return xdg;
  return join(tmpdir(), `vitals-${process.getuid?.() ?? 'user'}`);
}

/** Creates `dir` 0700 if needed; throws unless it is a private folder of this user. */
function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (!isPrivateDir(dir)) throw new Error(`${dir} is not a folder only this user may enter, so no live feed is served in it`);
}

/** Removes the sockets recorders killed before they could close left behind. Only the lock holder may. */
export function removeStaleFeeds(dbPath: string, keep: string): void {
  if (process.platform === 'win32') return;
  const hash = createHash('sha256').update(dbPath).digest('hex').slice(0, 16);
  const beside = basename(dbPath);
  for (const [dir, test] of [
    [dirname(dbPath), (n: string) => n.startsWith(`${beside}.`) && /^[0-9a-f]{8}\.sock$/.test(n.slice(beside.length + 1))],
    [runtimeDir(), (n: string) => new RegExp(`^vitals-${hash}-[0-9a-f]{8}\\.sock$`).test(n)],
  ] as const) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const full = join(dir, name);
      if (full !== keep && test(name)) rmSync(full, { force: true });
    }
  }
}

/**
 * Splits a byte stream into lines, holding at most `maxLine` bytes of a partial line; past that it
 * calls `onTooLong` once and ignores the rest (the caller drops the peer). Bytes are kept as the
 * chunks that arrived and joined once per line, so a long line costs its length, not its square.
 */
function lineReader(maxLine: number, onLine: (line: string) => void, onTooLong: () => void): (chunk: Buffer) => void {
  let parts: Buffer[] = [];
  let held = 0;
  let over = false;
  const tooLong = (): void => {
    over = true;
    parts = [];
    held = 0;
    onTooLong();
  };
  return (chunk) => {
    if (over) return;
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, nl);
      start = nl + 1;
      if (held + piece.length > maxLine) return tooLong();
      const line = (held === 0 ? piece : Buffer.concat([...parts, piece])).toString('utf8');
      parts = [];
      held = 0;
      if (line) onLine(line);
    }
    if (start === chunk.length) return;
    if (held + chunk.length - start > maxLine) return tooLong();
    parts.push(chunk.subarray(start));
    held += chunk.length - start;
  };
}

/** One viewer's connection, for what the recorder keeps per viewer (its window's context). */
export type FeedPeer = number;

export interface FeedHandler {
  request<M extends ForwardedMethod>(method: M, params: Params<M>, peer: FeedPeer): Promise<Result<M>>;
  /** The viewer's connection closed: what it sent about its window leaves with it. */
  peerGone?(peer: FeedPeer): void;
  log(level: 'debug' | 'warn', message: string): void;
}

/** Runs in the recorder. */
export class FeedServer {
  private readonly clients = new Set<Socket>();
  /** Malformed requests and over-long lines so far, for logging them at 1, 10, 100… only. */
  private malformed = 0;
  private tooLong = 0;
  private nextPeer = 1;

  private constructor(
    private readonly server: Server,
    readonly path: string,
  ) {}

  static async listen(path: string, handler: FeedHandler): Promise<FeedServer> {
    // Bound inside a private folder, the socket is never reachable by another user, not even in
    // the moment between listen() and the chmod below (the chmod only makes its mode say so too).
    if (process.platform !== 'win32') ensurePrivateDir(dirname(path));
    const server = createServer();
    const feed = new FeedServer(server, path);
    server.on('connection', (socket) => feed.accept(socket, handler));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (e) => handler.log('warn', `Live feed: ${String(e)}`));
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    server.unref();
    return feed;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private accept(socket: Socket, handler: FeedHandler): void {
    const peer = this.nextPeer++;
    this.clients.add(socket);
    socket.unref();
    socket.on('close', () => {
      this.clients.delete(socket);
      handler.peerGone?.(peer);
    });
    socket.on('error', () => socket.destroy());
    socket.on(
      'data',
      lineReader(
        MAX_REQUEST_LINE,
        (line) => void this.onRequest(socket, peer, line, handler),
        () => {
          this.tooLong++;
          if (isLogWorthy(this.tooLong))
            handler.log(
              'warn',
              `Live feed: dropped a viewer that sent a line longer than ${MAX_REQUEST_LINE} bytes (seen ${this.tooLong}×).`,
            );
          socket.destroy();
        },
      ),
    );
  }

  private async onRequest(socket: Socket, peer: FeedPeer, line: string, handler: FeedHandler): Promise<void> {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      socket.destroy();
      return;
    }
    const parsed = parseToWorker(raw);
    if (!parsed.ok) {
      // Counted across all connections: a peer reconnecting for each bad line is still one flood.
      this.malformed++;
      if (isLogWorthy(this.malformed))
        handler.log('warn', `Live feed: ignored a malformed request (${parsed.error}; seen ${this.malformed}×).`);
      if (isRecord(raw) && int(raw.id, 'id') === undefined)
        this.send(socket, {
          kind: 'response',
          inReplyTo: raw.id as number,
          ok: false,
          error: toProtocolError(new BadRequestError(parsed.error)),
        });
      return;
    }
    const req = parsed.value;
    if (!(FORWARDED as readonly string[]).includes(req.method)) {
      const refused = new RefusedError(`${req.method} is not served to other windows`);
      this.send(socket, { kind: 'response', inReplyTo: req.id, ok: false, error: toProtocolError(refused) });
      return;
    }
    try {
      const result = await handler.request(req.method as ForwardedMethod, req.params as Params<ForwardedMethod>, peer);
      this.send(socket, { kind: 'response', inReplyTo: req.id, ok: true, result });
    } catch (e) {
      this.send(socket, { kind: 'response', inReplyTo: req.id, ok: false, error: toProtocolError(e) });
    }
  }

  private send(socket: Socket, msg: FromWorker): void {
    if (socket.destroyed) return;
    if (socket.writableLength > MAX_BUFFERED) {
      socket.destroy();
      return;
    }
    socket.write(`${JSON.stringify(msg)}\n`);
  }

  /** Sends one event to every viewer, serialized once. */
  broadcast(msg: EventMessage): void {
    if (this.clients.size === 0) return;
    const line = `${JSON.stringify(msg)}\n`;
    for (const socket of this.clients) {
      if (socket.destroyed) continue;
      if (socket.writableLength > MAX_BUFFERED) socket.destroy();
      else socket.write(line);
    }
  }

  async close(): Promise<void> {
    for (const socket of this.clients) socket.destroy();
    this.clients.clear();
    // Closing unlinks the socket file (its name is this recorder's own).
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface FeedClientEvents {
  snapshot(s: Snapshot): void;
  status(s: BackendStatus): void;
  /** Optional: a reader that only wants samples (the CLI, a bench) ignores alerts. */
  alert?(change: AlertChange): void;
  closed(): void;
}

/** Runs in a viewer. */
export class FeedClient {
  private readonly requests = new RequestTracker<ForwardedMethod>();
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly events: FeedClientEvents,
  ) {
    socket.on(
      'data',
      lineReader(
        MAX_EVENT_LINE,
        (line) => this.onLine(line),
        () => socket.destroy(),
      ),
    );
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.onClose());
  }

  static connect(path: string, events: FeedClientEvents, timeoutMs = 2000): Promise<FeedClient> {
    return new Promise((resolve, reject) => {
      const socket = createConnection(path);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new IoError(`timed out connecting to ${path}`));
      }, timeoutMs);
      timer.unref();
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.unref();
        resolve(new FeedClient(socket, events));
      });
    });
  }

  get connected(): boolean {
    return !this.closed;
  }

  private onLine(line: string): void {
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      this.socket.destroy();
      return;
    }
    const parsed = parseFromWorker(raw);
    if (!parsed.ok) return;
    const msg = parsed.value;
    if (msg.kind === 'response') {
      const p = this.requests.take(msg.inReplyTo);
      if (!p) return;
      if (this.requests.size === 0) this.socket.unref();
      if (msg.ok) p.resolve(msg.result);
      else p.reject(fromProtocolError(msg.error));
    } else if (msg.event === 'snapshot') this.events.snapshot(msg.snapshot);
    else if (msg.event === 'status') this.events.status(msg.status);
    else if (msg.event === 'alert') this.events.alert?.({ change: msg.change, alert: msg.alert, notify: msg.notify });
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.requests.rejectAll(() => new IoError('The recording window went away before it answered.'));
    this.events.closed();
  }

  request<M extends ForwardedMethod>(method: M, params: Params<M>): Promise<Result<M>> {
    if (this.closed) return Promise.reject(new IoError('The recording window cannot be reached.'));
    const { id, answer } = this.requests.open<Result<M>>(method);
    const msg = { kind: 'request', id, method, params } as RequestMessage satisfies ToWorker;
    // Waiting for an answer keeps the process alive (a CLI has nothing else running); the feed
    // alone does not.
    this.socket.ref();
    this.socket.write(`${JSON.stringify(msg)}\n`);
    return answer;
  }

  close(): void {
    this.socket.destroy();
    this.onClose();
  }
}
