// The bundled CLI recording with --metrics-listen, scraped every second by a real Prometheus (Debian's
// `prometheus` package, which CI installs) with the bearer token in its `authorization` option; what
// Prometheus' HTTP API returns must agree with `vitals export` of the same snapshot. Also the CLI's
// answers to bad endpoint options. Both processes are stopped by the test, pass or fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { bundleCli, removeDir, tempDir, waitFor } from '../durability/support/harness';

const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0 && spawnSync('promtool', ['--version']).status === 0;

let dir: string;
let cli: string;
const children: ChildProcess[] = [];

interface Proc {
  child: ChildProcess;
  out: () => string;
  done: Promise<number | null>;
}

function start(command: string, args: string[]): Proc {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const done = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  return { child, out: () => out, done };
}

async function cliRun(args: string[]): Promise<{ code: number | null; out: string }> {
  const p = start(process.execPath, [cli, ...args]);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
  const code = await p.done;
  clearTimeout(timer);
  return { code, out: p.out() };
}

async function freePort(): Promise<number> {
  const s: Server = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

beforeAll(async () => {
  dir = tempDir('prometheus');
  cli = await bundleCli(dir);
});

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  removeDir(dir);
});

describe('record --metrics-* refusals', () => {
  it('a port in use: one line, exit 2, nothing recorded', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await cliRun(['record', '--db', join(dir, 'busy.db'), '--duration', '2', '--metrics-listen', `127.0.0.1:${port}`]);
      expect(r).toEqual({ code: 2, out: `vitals: cannot serve metrics on 127.0.0.1:${port}: the address is already in use\n` });
      expect(existsSync(join(dir, 'busy.db'))).toBe(false);
    } finally {
      blocker.close();
    }
  });

  it('an invalid address and a missing token file: usage errors naming them', async () => {
    const bad = await cliRun(['record', '--db', join(dir, 'bad.db'), '--metrics-listen', 'localhost:http']);
    expect(bad.code).toBe(2);
    expect(bad.out).toMatch(/^vitals: "localhost:http" is not a listen address; expected HOST:PORT/);
    const missing = join(dir, 'no-such-token');
    const tok = await cliRun(['record', '--db', join(dir, 'bad.db'), '--metrics-listen', '0', '--metrics-token-file', missing]);
    expect(tok.code).toBe(2);
    expect(tok.out).toMatch(new RegExp(`^vitals: cannot read the metrics token file ${missing}: .*ENOENT`));
    const alone = await cliRun(['record', '--db', join(dir, 'bad.db'), '--metrics-token-file', missing]);
    expect(alone).toEqual({ code: 2, out: 'vitals: --metrics-token-file needs --metrics-listen or --metrics-textfile\n' });
  });
});

interface Vector {
  metric: Record<string, string>;
  value: [number, string];
}

describe.skipIf(!hasPrometheus)(
  `a real Prometheus scraping record --metrics-listen${hasPrometheus ? '' : ' (SKIPPED: the prometheus and promtool binaries are not installed; apt-get install prometheus)'}`,
  () => {
    it('returns CPU, memory and process-group series that agree with vitals export', async () => {
      const [vitalsPort, promPort] = [await freePort(), await freePort()];
      const db = join(dir, 'scraped.db');
      const token = join(dir, 'token');
      writeFileSync(token, 'tok-123\n', { mode: 0o600 });
      const vitals = start(process.execPath, [
        cli,
        'record',
        '--db',
        db,
        '--interval',
        '1',
        // Every snapshot's processes recorded (a loaded machine could make the governor sample them
        // less often): the export must hold the scraped snapshot's process rows.
        '--max-cpu',
        '100',
        '--metrics-listen',
        `127.0.0.1:${vitalsPort}`,
        '--metrics-token-file',
        token,
      ]);
      const config = join(dir, 'prometheus.yml');
      writeFileSync(
        config,
        [
          'global: { scrape_interval: 1s, scrape_timeout: 1s }',
          'scrape_configs:',
          '  - job_name: vitals',
          `    authorization: { credentials_file: ${token} }`,
          `    static_configs: [{ targets: ['127.0.0.1:${vitalsPort}'] }]`,
          '',
        ].join('\n'),
      );
      const prom = start('prometheus', [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ]);
      const api = async (query: string, time?: number): Promise<Vector[]> => {
        const q = new URLSearchParams({ query, ...(time === undefined ? {} : { time: String(time) }) });
        const r = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/query?${q}`)).json()) as {
          status: string;
          data: { result: Vector[] };
        };
        expect(r.status).toBe('success');
        return r.data.result;
      };
      try {
        await waitFor(() => vitals.out().includes('Recording '), 'the recorder to start', 60_000);
        // A few scrapes of the recorder's snapshots.
        const until = Date.now() + 90_000;
        for (;;) {
          const n = await api('count_over_time(vitals_snapshot_timestamp_seconds[1m])').catch(() => []);
          if (Number(n[0]?.value[1] ?? 0) >= 4) break;
          if (Date.now() > until) throw new Error(`Prometheus did not scrape 4 times:\n${prom.out().slice(-2000)}\n${vitals.out()}`);
          await new Promise((r) => setTimeout(r, 500));
        }
        expect((await api('up{job="vitals"}'))[0]?.value[1]).toBe('1');

        // Every series at one evaluation time comes from the same scrape, so from one snapshot.
        const at = Date.now() / 1000;
        const one = async (q: string): Promise<number> => Number((await api(q, at))[0]!.value[1]);
        const snapshotT = Math.round((await one('vitals_snapshot_timestamp_seconds')) * 1000);
        const available = await one('vitals_memory_available_bytes');
        const cpuRatio = await one('vitals_cpu_usage_ratio');
        const cpuCounters = await api('vitals_cpu_seconds_total', at);
        const rate = await api('sum(rate(vitals_cpu_seconds_total{mode!="idle"}[30s]))', at);
        const groups = await api('vitals_process_group_resident_memory_bytes', at);
        const counts = await api('vitals_process_group_processes', at);
        const busiest = (await api('topk(1, vitals_process_group_resident_memory_bytes{group!="other"})', at))[0]!;

        // The scrape itself, with the token, is what promtool accepts without a word.
        const text = await (await fetch(`http://127.0.0.1:${vitalsPort}/metrics`, { headers: { authorization: 'Bearer tok-123' } })).text();
        const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
        expect({ status: check.status, output: `${check.stdout}${check.stderr}` }).toEqual({ status: 0, output: '' });
        expect((await fetch(`http://127.0.0.1:${vitalsPort}/metrics`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);

        vitals.child.kill('SIGINT');
        expect(await vitals.done).toBe(0);

        const sysOut = join(dir, 'system.json');
        const procOut = join(dir, 'processes.json');
        expect((await cliRun(['export', '--db', db, '--format', 'json', '--out', sysOut])).code).toBe(0);
        expect((await cliRun(['export', '--db', db, '--format', 'json', '--scope', 'processes', '--out', procOut])).code).toBe(0);
        type SysRow = { time: string; metrics: Record<string, { avg: number }> };
        type ProcRow = { time: string; name: string; rssBytes: number };
        const sysRows = (JSON.parse(readFileSync(sysOut, 'utf8')) as { rows: SysRow[] }).rows;
        const procRows = (JSON.parse(readFileSync(procOut, 'utf8')) as { rows: ProcRow[] }).rows;
        const sys = sysRows.find((r) => Date.parse(r.time) === snapshotT);
        expect(sys, `export has the snapshot of ${new Date(snapshotT).toISOString()}`).toBeDefined();

        // The database keeps values as 32-bit floats (and RSS in KiB): that is the tolerance.
        expect(Math.abs(available - sys!.metrics['mem.available']!.avg) / available).toBeLessThan(1e-6);
        expect(cpuRatio).toBeCloseTo(sys!.metrics['cpu.total']!.avg / 100, 5);
        expect(new Set(cpuCounters.map((v) => v.metric.mode))).toEqual(new Set(['user', 'system', 'iowait', 'idle', 'steal']));
        // The counters grow like the machine's CPU time: busy seconds per second between 0 and the core count.
        const cores = new Set(cpuCounters.map((v) => v.metric.cpu)).size;
        expect(cpuCounters.length).toBe(cores * 5);
        expect(Number(rate[0]!.value[1])).toBeGreaterThan(0);
        expect(Number(rate[0]!.value[1])).toBeLessThanOrEqual(cores * 1.05);

        const name = busiest.metric.group!;
        const members = procRows.filter((r) => Date.parse(r.time) === snapshotT && r.name === name);
        expect(members.length).toBe(Number(counts.find((c) => c.metric.group === name)!.value[1]));
        const rss = members.reduce((a, r) => a + r.rssBytes, 0);
        expect(Math.abs(Number(busiest.value[1]) - rss)).toBeLessThanOrEqual(members.length * 1024);
        expect(groups.some((g) => g.metric.group === 'other')).toBe(true);
        // No pid label anywhere, and the group count stays within the cap (10 by CPU + 10 by memory + other).
        expect(groups.length).toBeLessThanOrEqual(21);
        expect(text).not.toMatch(/pid=/);
      } finally {
        for (const p of [vitals, prom]) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
        await Promise.all([vitals.done, prom.done]);
      }
    });
  },
);
