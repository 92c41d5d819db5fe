// Dev harness for the dashboard outside VS Code: serves the real webview document (same HTML and
// CSP as the panel) plus a stand-in for `acquireVsCodeApi`, and answers the webview through the
// panel's own router from the real backend worker (dist/backend-worker.js) on a real database.
// Run with `node media/dev/serve.mjs [--db FILE] [--port N] [--no-record] [--interval S]`.

import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  defaultMonitorConfig,
  parseFromWorker,
  type BackendStatus,
  type Method,
  type Params,
  type Result,
  type Snapshot,
  type StaticInfo,
} from '../../src/backend';
import { dashboardHtml } from '../../src/extension/dashboard/html';
import type { DashboardTarget, ExtensionMessage } from '../../src/shared/dashboardProtocol';
import { DashboardRouter, initMessage, storageHealth, toLiveSample, type DashboardBackend } from '../../src/extension/dashboard/router';
import { parseWebviewMessage } from '../../src/shared/dashboardChecks';
import { fromProtocolError } from '../../src/shared/errors';
import { RequestTracker } from '../../src/shared/requests';

const root = resolve(__dirname, '..', '..');
const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const dbPath = resolve(arg('db') ?? '/tmp/vitals-harness.db');
const port = Number(arg('port') ?? 0);
const record = !args.includes('--no-record');
const intervalMs = Math.round(Number(arg('interval') ?? 2) * 1000);

/** The backend worker behind the WorkerConnection-shaped object the router needs. */
class WorkerBackend implements DashboardBackend {
  lastSnapshot: Snapshot | undefined;
  lastStatus: BackendStatus | undefined;
  info: StaticInfo | undefined;
  private readonly requests = new RequestTracker<Method>();
  private readonly worker = new Worker(join(root, 'dist', 'backend-worker.js'));

  constructor(private readonly onEvent: (msg: ExtensionMessage) => void) {
    this.worker.on('message', (raw: unknown) => {
      const parsed = parseFromWorker(raw);
      if (!parsed.ok) return console.warn(`worker: malformed message: ${parsed.error}`);
      const m = parsed.value;
      if (m.kind === 'response') {
        const p = this.requests.take(m.inReplyTo);
        if (m.ok) p?.resolve(m.result);
        else p?.reject(fromProtocolError(m.error));
        return;
      }
      if (m.event === 'snapshot') {
        this.lastSnapshot = m.snapshot;
        this.onEvent({ kind: 'live', sample: toLiveSample(m.snapshot) });
      } else if (m.event === 'status') {
        this.lastStatus = m.status;
        this.onEvent({ kind: 'status', status: m.status });
      } else if (m.event === 'log' && (m.level === 'warn' || m.level === 'error')) console.warn(`backend ${m.level}: ${m.message}`);
      else if (m.event === 'problem') console.warn(`backend problem: ${m.message}`);
    });
    this.worker.on('error', (e) => console.error('worker error', e));
  }

  request<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const { id, answer } = this.requests.open<Result<M>>(method);
    this.worker.postMessage({ kind: 'request', id, method, params });
    return answer;
  }

  async start(): Promise<void> {
    const config = defaultMonitorConfig({ recording: record, sampleIntervalMs: intervalMs, flushIntervalMs: intervalMs });
    const r = await this.request('init', { dbPath, config });
    this.info = r.info;
    this.lastStatus = r.status;
  }

  async stop(): Promise<void> {
    await this.request('shutdown', {}).catch(() => undefined);
    await this.worker.terminate();
  }
}

const clients = new Set<ServerResponse>();
const broadcast = (msg: ExtensionMessage): void => {
  const line = `data: ${JSON.stringify(msg)}\n\n`;
  for (const c of clients) c.write(line);
};

const backend = new WorkerBackend(broadcast);
const done = (message?: string) => Promise.resolve({ done: true, ...(message ? { message } : {}) });
const router = new DashboardRouter(backend, {
  export: async ({ from, to, pid }) => {
    const outPath = `/tmp/vitals-harness-export-${Date.now()}.csv`;
    const r = await backend.request('export', {
      from,
      to,
      format: 'csv',
      scope: pid !== undefined ? { kind: 'pid', pid } : { kind: 'system' },
      outPath,
    });
    console.log(`harness: exported ${r.rows} rows to ${r.outPath}`);
    return { done: true, message: r.outPath };
  },
  backupNow: async () => {
    const b = await backend.request('backupNow', {});
    return { done: true, message: b.path };
  },
  clearHistory: async () => {
    await backend.request('clearHistory', {});
    return { done: true };
  },
  setRecording: async ({ enabled }) => {
    await backend.request('setRecording', { enabled });
    return { done: true };
  },
  openSettings: () => done('settings would open here'),
  copyHealthJson: async () => {
    console.log(JSON.stringify(await storageHealth(backend)).slice(0, 200));
    return { done: true };
  },
  showLogs: () => done(),
});

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.html': 'text/html',
};

function serveFile(res: ServerResponse, path: string): void {
  const abs = normalize(join(root, path));
  const allowed = [join(root, 'dist'), join(root, 'media')].some((d) => abs.startsWith(d + '/'));
  if (!allowed || !existsSync(abs) || !statSync(abs).isFile()) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(abs)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  createReadStream(abs).pipe(res);
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

let pendingTarget: DashboardTarget | null = null;

async function onWebviewMessage(raw: unknown): Promise<void> {
  const parsed = parseWebviewMessage(raw);
  if (!parsed.ok) return console.warn(`harness: ignored malformed webview message: ${parsed.error}`);
  const msg = parsed.value;
  if (msg.kind === 'ready') {
    broadcast(initMessage(backend, pendingTarget));
    pendingTarget = null;
  } else if (msg.kind === 'log') console.log(`webview ${msg.level}: ${msg.message}`);
  else broadcast(await router.handle(msg));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const origin = `http://${req.headers.host ?? 'localhost'}`;
  if (req.method === 'GET' && url.pathname === '/') {
    const theme = url.searchParams.get('theme') ?? 'dark';
    const tab = url.searchParams.get('tab');
    if (tab === 'overview' || tab === 'process' || tab === 'storage') pendingTarget = { tab };
    const html = dashboardHtml({
      cspSource: origin,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: `${origin}/dist/webview/dashboard.js`,
      styleUri: `${origin}/dist/webview/dashboard.css`,
      codiconsUri: `${origin}/dist/codicons/codicon.css`,
      harness: {
        scriptUri: `${origin}/media/dev/harness.js`,
        connectSrc: origin,
        themeUri: `${origin}/media/dev/theme-${theme.replace(/[^a-z-]/g, '')}.css`,
      },
    });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    return;
  }
  if (req.method === 'GET' && url.pathname === '/events') {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(': connected\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/message') {
    void body(req).then(async (text) => {
      res.writeHead(204).end();
      try {
        await onWebviewMessage(JSON.parse(text));
      } catch (e) {
        console.warn('harness: bad message', e);
      }
    });
    return;
  }
  if (req.method === 'POST' && url.pathname === '/show') {
    // Test hook: what `Dashboard.show(target)` does for a visible panel.
    void body(req).then((text) => {
      broadcast({ kind: 'show', target: JSON.parse(text) as DashboardTarget });
      res.writeHead(204).end();
    });
    return;
  }
  if (req.method === 'GET' && url.pathname === '/favicon.ico') return void res.writeHead(204).end();
  if (req.method === 'GET') return serveFile(res, url.pathname);
  res.writeHead(405).end();
});

void backend.start().then(
  () => {
    server.listen(port, '127.0.0.1', () => {
      const a = server.address();
      const p = typeof a === 'object' && a ? a.port : port;
      console.log(`Vitals dashboard harness: http://127.0.0.1:${p}/?theme=dark  (db ${dbPath}, ${record ? 'recording' : 'not recording'})`);
    });
  },
  (e: unknown) => {
    console.error('harness: backend failed to start:', e);
    process.exit(1);
  },
);

const stop = (): void => {
  for (const c of clients) c.end();
  server.close();
  void backend.stop().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
