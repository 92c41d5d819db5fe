// The endpoint's HTTP server on a real socket: only GET/HEAD /metrics, the bearer token, what it
// serves before the first snapshot, a port already in use, and the listen addresses it accepts.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MetricsConfigError, parseListenAddress } from '../../../src/backend/metrics-endpoint/address';
import { MAX_CONNECTIONS, MetricsListenError, MetricsServer, readTokenFile } from '../../../src/backend/metrics-endpoint/server';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(token?: string): Promise<string> {
  const s = new MetricsServer(token);
  servers.push(s);
  const a = await s.listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${a.port}`;
}

describe('metrics server', () => {
  it('serves the published text on GET and its headers on HEAD, 503 before the first snapshot', async () => {
    const base = await serve();
    expect((await fetch(`${base}/metrics`)).status).toBe(503);
    servers[0]!.publish('vitals_x 1\n');
    const r = await fetch(`${base}/metrics`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await r.text()).toBe('vitals_x 1\n');
    const h = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect([h.status, h.headers.get('content-length'), await h.text()]).toEqual([200, '11', '']);
  });

  it('answers 404 elsewhere and 405 to other methods', async () => {
    const base = await serve();
    servers[0]!.publish('vitals_x 1\n');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/metrics/x`)).status).toBe(404);
    const post = await fetch(`${base}/metrics`, { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${base}/metrics`, { method: 'DELETE' })).status).toBe(405);
  });

  it('requires the bearer token when one is set: 401 without it or with a wrong one', async () => {
    const base = await serve('s3cret');
    servers[0]!.publish('vitals_x 1\n');
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer s3cre' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Basic s3cret' } })).status).toBe(401);
    const ok = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer s3cret' } });
    expect([ok.status, await ok.text()]).toEqual([200, 'vitals_x 1\n']);
  });

  it('serves concurrent scrapers the same text', async () => {
    const base = await serve();
    servers[0]!.publish('vitals_x 2\n');
    const all = await Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${base}/metrics`)).text()));
    expect(new Set(all)).toEqual(new Set(['vitals_x 2\n']));
  });

  it('drops a client that sends its headers too slowly, and connections beyond the bound', async () => {
    const base = await serve();
    const port = Number(new URL(base).port);
    const open = (): Promise<{ socket: Socket; closed: Promise<number> }> =>
      new Promise((resolve) => {
        const started = Date.now();
        const socket = connect(port, '127.0.0.1', () => resolve({ socket, closed }));
        const closed = new Promise<number>((r) => socket.once('close', () => r(Date.now() - started)));
        socket.on('error', () => undefined);
        socket.on('data', () => undefined);
      });
    const slow = await open();
    slow.socket.write('GET /metrics HTTP/1.1\r\nHost: x\r\n');
    // Never finishes its headers: closed after the 5 s headers timeout (checked every second).
    expect(await slow.closed).toBeLessThan(9_000);

    const held = await Promise.all(Array.from({ length: MAX_CONNECTIONS }, open));
    const extra = await open();
    expect(await extra.closed).toBeLessThan(2_000);
    for (const h of held) h.socket.destroy();
  });

  it('says in one line that the port is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = new MetricsServer(undefined);
      servers.push(s);
      const err = await s.listen({ host: '127.0.0.1', port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MetricsListenError);
      expect((err as Error).message).toBe(`cannot serve metrics on 127.0.0.1:${port}: the address is already in use`);
    } finally {
      blocker.close();
    }
  });

  it('reads the token file, and names a missing or empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vitals-token-'));
    try {
      writeFileSync(join(dir, 't'), '  abc\n');
      writeFileSync(join(dir, 'empty'), '\n');
      expect(readTokenFile(join(dir, 't'))).toBe('abc');
      expect(() => readTokenFile(join(dir, 'empty'))).toThrow(/token file .*empty is empty/);
      expect(() => readTokenFile(join(dir, 'none'))).toThrow(MetricsConfigError);
      expect(() => readTokenFile(join(dir, 'none'))).toThrow(/cannot read the metrics token file .*none: .*ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts HOST:PORT, [IPv6]:PORT and a port alone (loopback); refuses the rest', () => {
    expect(parseListenAddress('127.0.0.1:9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseListenAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseListenAddress('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseListenAddress('my-host.lan:9464')).toEqual({ host: 'my-host.lan', port: 9464 });
    for (const bad of ['', 'abc', '127.0.0.1', '127.0.0.1:99999', '1.2.3.4:-1', '[zz]:80', 'a b:80', 'http://x:80', '::1:80'])
      expect(() => parseListenAddress(bad), bad).toThrow(MetricsConfigError);
  });
});
