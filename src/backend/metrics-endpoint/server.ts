// The HTTP side of the endpoint: `GET`/`HEAD /metrics` serve the text rendered for the latest
// snapshot (a scrape never samples and never waits for sampling or writing); anything else is 404
// or 405. The endpoint is reachable by whoever can reach the address, so what a peer can cost is
// bounded: few connections at once, short timeouts for slow or idle ones, no request body read.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorText } from '../../shared/errors';
import { formatListenAddress, MetricsConfigError, type ListenAddress } from './address';
import { CONTENT_TYPE } from './exposition';

/** Connections at once: more are closed as they arrive (Prometheus needs one per target). */
export const MAX_CONNECTIONS = 32;
/** A scrape is one small request: a client slower than this is dropped. */
const REQUEST_TIMEOUT_MS = 10_000;
const HEADERS_TIMEOUT_MS = 5_000;
/** Prometheus keeps its connection open between scrapes (every 15 s by default). */
const KEEP_ALIVE_MS = 65_000;

/** The address is taken, or cannot be bound; the message is the one line to show. */
export class MetricsListenError extends Error {
  override name = 'MetricsListenError';
}

/** Reads the bearer token a scraper must send; a missing or empty file is refused with the reason. */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new MetricsConfigError(`cannot read the metrics token file ${path}: ${errorText(e)}`);
  }
  // Prometheus' credentials_file is read the same way: surrounding whitespace is not part of it.
  const token = text.trim();
  if (token === '') throw new MetricsConfigError(`the metrics token file ${path} is empty`);
  return token;
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

export class MetricsServer {
  private readonly server: Server;
  private readonly tokenDigest: Buffer | undefined;
  private text: string | undefined;

  constructor(token: string | undefined) {
    // Compared as digests so both sides have the same length and timingSafeEqual applies.
    this.tokenDigest = token === undefined ? undefined : digest(token);
    this.server = createServer(
      {
        requestTimeout: REQUEST_TIMEOUT_MS,
        headersTimeout: HEADERS_TIMEOUT_MS,
        keepAliveTimeout: KEEP_ALIVE_MS,
        // How often Node looks for requests past those timeouts (its default, 30 s, would let a slow client stay 6× longer).
        connectionsCheckingInterval: 1_000,
      },
      (req, res) => this.handle(req, res),
    );
    this.server.maxConnections = MAX_CONNECTIONS;
    this.server.on('connection', (socket) => socket.setTimeout(KEEP_ALIVE_MS + 5_000, () => socket.destroy()));
  }

  /** The text every scrape serves from now on. */
  publish(text: string): void {
    this.text = text;
  }

  listen(address: ListenAddress): Promise<ListenAddress> {
    return new Promise((resolve, reject) => {
      const onError = (e: NodeJS.ErrnoException): void => {
        const where = formatListenAddress(address);
        const why =
          e.code === 'EADDRINUSE'
            ? 'the address is already in use'
            : e.code === 'EADDRNOTAVAIL'
              ? 'this machine has no such address'
              : e.code === 'EACCES'
                ? 'permission denied'
                : errorText(e);
        reject(new MetricsListenError(`cannot serve metrics on ${where}: ${why}`));
      };
      this.server.once('error', onError);
      this.server.listen(address.port, address.host, () => {
        this.server.off('error', onError);
        const a = this.server.address() as AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return this.reply(res, 404, 'Not found: the metrics are at /metrics\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return this.reply(res, 405, 'Method not allowed: use GET or HEAD\n');
    }
    if (this.tokenDigest && !this.authorized(req.headers.authorization)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return this.reply(res, 401, 'Unauthorized: send the bearer token\n');
    }
    if (this.text === undefined) return this.reply(res, 503, 'No snapshot yet: try again after the first sampling interval\n');
    res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Content-Length': Buffer.byteLength(this.text), 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : this.text);
  }

  private authorized(header: string | undefined): boolean {
    const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
    // Always one comparison, so a missing header takes as long as a wrong one.
    const given = digest(m ? m[1]!.trim() : '');
    return timingSafeEqual(given, this.tokenDigest!) && m !== null;
  }

  private reply(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }
}
