// `vitals mcp` as an MCP client sees it: the SDK's real Client starts the bundled CLI over stdio
// against a database a real `vitals record` child is recording, lists the tools and calls each.
// A busy child this test starts must top the CPU ranking; bad inputs come back as tool errors and
// the server goes on answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { bundleCli, removeDir, tempDir, waitFor } from '../durability/support/harness';

let dir: string;
let cli: string;
let db: string;
let recorder: ChildProcess;
let busy: ChildProcess;
let busyStarted = 0;
let client: Client;
let transport: StdioClientTransport;
let serverErr = '';

/** The text of a tool's answer, and whether it is an error. */
async function call(name: string, args: Record<string, unknown> = {}): Promise<{ text: string; isError: boolean }> {
  const r = await client.callTool({ name, arguments: args });
  const content = r.content as { type: string; text: string }[];
  expect(content).toHaveLength(1);
  expect(content[0]!.type).toBe('text');
  return { text: content[0]!.text, isError: r.isError === true };
}

/**
 * The average CPU a ranking gives the process with this pid, or undefined when it is not listed. (The
 * machine is shared with other work, so the busy child is listed with its share, not always first.)
 */
const cpuOf = (text: string, pid: number | undefined): number | undefined => {
  const m = new RegExp(`^\\d+\\. node \\(pid ${pid}, [^)]*\\): CPU avg ([\\d.]+)%`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
};

/**
 * The share of one core the busy child really had since it started, from its own /proc/<pid>/stat
 * (utime + stime in clock ticks of 1/100 s). On a loaded shared machine a spinning child gets far
 * less than a core, so the checks compare Vitals' figure with this rather than with a fixed floor.
 */
function trueShare(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / ((Date.now() - busyStarted) / 10);
}

/** Vitals' figure for the busy child is plausible: well above idle and near what /proc says it had. */
function expectBusyShare(cpu: number | undefined): void {
  const truth = trueShare(busy.pid!) * 100;
  expect(cpu, `the busy child (really ${truth.toFixed(1)} % of a core)`).toBeGreaterThan(Math.max(2, truth * 0.4));
}

beforeAll(async () => {
  dir = tempDir('mcp');
  cli = await bundleCli(dir);
  db = join(dir, 'history.sqlite');
  // A process that keeps one core busy: what "what used the most CPU" must name.
  busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  busyStarted = Date.now();
  // Processes every interval whatever this loaded machine makes them cost (no governor): the busy
  // child's share is measured over several samples within the few seconds this waits.
  recorder = spawn(process.execPath, [cli, 'record', '--db', db, '--interval', '0.5', '--max-cpu', '100'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  recorder.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes('Recording'), 'the recorder to start');
  // A few intervals in the journal: the busy child has a baseline and a measured share by then.
  await new Promise((r) => setTimeout(r, 3000));
  transport = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--db', db], stderr: 'pipe' });
  transport.stderr?.on('data', (d: Buffer) => (serverErr += d.toString()));
  client = new Client({ name: 'vitals-test', version: '1.0.0' });
  await client.connect(transport);
});

afterAll(async () => {
  await client?.close();
  busy?.kill('SIGKILL');
  if (recorder && recorder.exitCode === null) {
    const exited = new Promise((r) => recorder.once('exit', r));
    recorder.kill('SIGINT');
    await exited;
  }
  removeDir(dir);
});

describe('vitals mcp over stdio', () => {
  it('lists the six read-only tools with their input schemas', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([
      'vitals_now',
      'vitals_top_processes',
      'vitals_metric_history',
      'vitals_process_history',
      'vitals_load_by_group',
      'vitals_events',
      'vitals_storage_health',
    ]);
    for (const t of tools) {
      expect(t.description!.length).toBeGreaterThan(40);
      expect(t.inputSchema.type).toBe('object');
      expect(t.annotations?.readOnlyHint).toBe(true);
    }
    expect(tools.find((t) => t.name === 'vitals_metric_history')!.inputSchema.required).toEqual(['metric']);
  });

  it('names the busy child among the top processes by CPU, from raw samples', async () => {
    // Enough rows that the child is listed even when the machine's other work outranks it.
    const r = await call('vitals_top_processes', { from: '-15m', to: 'now', by: 'cpu', limit: 15 });
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^Top processes by average CPU, .* \(local time\), from (raw samples|1-minute rollups)( \+ 1-minute rollups)?:/);
    expectBusyShare(cpuOf(r.text, busy.pid));
    expect(r.text).toMatch(/CPU avg \d+\.\d% max \d+\.\d% of one core, memory avg [\d.]+ (MB|KB|GB) max/);
    // Small by default: a model's context is precious.
    expect(r.text.length).toBeLessThan(4096);
  });

  it('answers the machine right now, with the busy child among the top processes', async () => {
    const r = await call('vitals_now');
    expect(r.isError).toBe(false);
    expect(r.text).toMatch(/^Machine at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d local time \(.* ago\), from raw samples\./);
    expect(r.text).toMatch(/CPU \d+% of all cores; load [\d.]+ [\d.]+ [\d.]+/);
    expect(r.text).toMatch(/Memory [\d.]+ (MB|GB) used of [\d.]+ (MB|GB)/);
    expectBusyShare(cpuOf(r.text, busy.pid));
  });

  it('summarises a metric to at most the points asked for, with units', async () => {
    const r = await call('vitals_metric_history', { metric: 'mem.used', from: '-5m', points: 4 });
    expect(r.isError).toBe(false);
    const points = r.text.split('\n').filter((l) => /^\d{4}-/.test(l));
    expect(points.length).toBeGreaterThanOrEqual(1);
    expect(points.length).toBeLessThanOrEqual(4);
    for (const p of points) expect(p).toMatch(/avg [\d.]+ (MB|GB)\s{2}min [\d.]+ (MB|GB)\s{2}max [\d.]+ (MB|GB)$/);
    // A range that crosses a minute boundary is answered from the minute rollups of it.
    expect(r.text).toMatch(/from (raw samples|1-minute rollups), points of /);
  });

  it("follows the recorder's journal: each call sees the newest interval", async () => {
    const newest = (text: string): string => /^Machine at (\S+ \S+)/.exec(text)![1]!;
    const before = newest((await call('vitals_now')).text);
    await new Promise((r) => setTimeout(r, 1500));
    const after = newest((await call('vitals_now')).text);
    expect(after > before).toBe(true);
  });

  it("gives a process's history by pid and by name", async () => {
    const byPid = await call('vitals_process_history', { pid: busy.pid, from: '-10m' });
    expect(byPid.isError).toBe(false);
    expect(byPid.text).toMatch(new RegExp(`^node \\(pid ${busy.pid}\\), .* from (raw samples|1-minute rollups)`));
    expect(byPid.text).toMatch(new RegExp(`pid ${busy.pid} \\(parent ${process.pid}, .*\\) started .*, running at the newest sample`));
    // A core kept as busy as the machine lets it: near its real share in some point at least.
    const cpus = [...byPid.text.matchAll(/CPU avg ([\d.]+)%/g)].map((m) => Number(m[1]));
    expectBusyShare(Math.max(...cpus));
    // The busy child is this test's own: its io file is readable, so its disk rates are known.
    expect(byPid.text).toMatch(/disk read \d[\d.]* (B|KB|MB)\/s write \d[\d.]* (B|KB|MB)\/s/);
    const byName = await call('vitals_process_history', { name: 'node', from: '-10m', points: 3 });
    expect(byName.isError).toBe(false);
    expect(byName.text).toMatch(/^processes named "node" \(summed\)/);
  });

  it('reports storage health from the recorder', async () => {
    const r = await call('vitals_storage_health');
    expect(r.isError).toBe(false);
    expect(r.text).toContain(`File            ${db}`);
    expect(r.text).toMatch(/State\s+Recording/);
  });

  it('returns bad input as tool errors with a clear message, and keeps answering', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['vitals_metric_history', { metric: 'cpu.bogus' }, /unknown metric "cpu.bogus"; known: cpu.total, /],
      ['vitals_metric_history', {}, /metric: expected a string/],
      ['vitals_top_processes', { from: 'now', to: '-1h' }, /from \(.*\) must be before to/],
      ['vitals_top_processes', { from: 'yesterday' }, /from must be now, a relative time like -15m/],
      ['vitals_top_processes', { from: '2026-02-30' }, /is not a valid date/],
      ['vitals_top_processes', { by: 'disk' }, /by: expected one of "cpu", "memory"/],
      ['vitals_top_processes', { limit: 1000 }, /limit: expected an integer in 1..50/],
      ['vitals_top_processes', { from: '2001-01-01', to: '2001-01-02' }, /no process samples between .*; the history holds /],
      ['vitals_process_history', { pid: 1, name: 'x' }, /give either name or pid/],
      ['vitals_process_history', { name: 'no-such-process-name' }, /no samples of processes named "no-such-process-name"/],
      ['vitals_now', { kill: 1 }, /unknown argument "kill"; vitals_now takes limit/],
      ['vitals_kill', {}, /unknown tool "vitals_kill"/],
    ];
    for (const [name, args, message] of cases) {
      const r = await call(name, args);
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true);
      expect(r.text).toMatch(message);
    }
    expect((await call('vitals_now')).isError).toBe(false);
    // stdout is the protocol; the refusals were logged on stderr.
    expect(serverErr).toContain('unknown metric "cpu.bogus"');
  });
});

describe('vitals mcp on a database nobody records', () => {
  /** Every file beside the database with its size, mtime, mode and bytes: what "never writes" compares. */
  const filesOf = (folder: string): Record<string, string> =>
    Object.fromEntries(
      readdirSync(folder)
        .filter((f) => f.startsWith('idle'))
        .map((f) => {
          const st = statSync(join(folder, f));
          return [
            f,
            `${st.size} ${st.mtimeMs} ${st.mode} ${createHash('sha256')
              .update(readFileSync(join(folder, f)))
              .digest('hex')}`,
          ];
        }),
    );

  it('answers every tool and changes no file', async () => {
    const idle = join(dir, 'idle.sqlite');
    const rec = spawn(process.execPath, [cli, 'record', '--db', idle, '--interval', '0.5', '--duration', '2'], { stdio: 'ignore' });
    await new Promise((r) => rec.once('exit', r));
    const before = filesOf(dir);
    expect(Object.keys(before)).toContain('idle.sqlite');
    const t = new StdioClientTransport({ command: process.execPath, args: [cli, 'mcp', '--db', idle], stderr: 'ignore' });
    const c = new Client({ name: 'vitals-test', version: '1.0.0' });
    await c.connect(t);
    try {
      for (const [name, args] of [
        ['vitals_now', {}],
        ['vitals_top_processes', { by: 'memory' }],
        ['vitals_metric_history', { metric: 'cpu.total' }],
        ['vitals_process_history', { name: 'node' }],
        ['vitals_storage_health', {}],
      ] as const) {
        const r = await c.callTool({ name, arguments: args });
        expect(r.isError, name).toBeFalsy();
      }
      const health = await c.callTool({ name: 'vitals_storage_health', arguments: {} });
      expect((health.content as { text: string }[])[0]!.text).toMatch(/State\s+Stopped/);
    } finally {
      await c.close();
    }
    expect(filesOf(dir)).toEqual(before);
  });

  it('says there is no history yet for a database that does not exist, and keeps answering', async () => {
    const t = new StdioClientTransport({
      command: process.execPath,
      args: [cli, 'mcp', '--db', join(dir, 'none.sqlite')],
      stderr: 'ignore',
    });
    const c = new Client({ name: 'vitals-test', version: '1.0.0' });
    await c.connect(t);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await c.callTool({ name: 'vitals_now', arguments: {} });
        expect(r.isError).toBe(true);
        expect((r.content as { text: string }[])[0]!.text).toMatch(/no history at .*none\.sqlite yet: start recording/);
      }
    } finally {
      await c.close();
    }
    expect(existsSync(join(dir, 'none.sqlite'))).toBe(false);
  });
});
