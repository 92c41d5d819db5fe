// Per-process disk I/O, CPU of finished children, state and pressure, end to end on this machine:
// the real samplers on the real /proc record into a real store, real child processes do the work,
// and `vitals export` is what the assertions read. No timing asserts: the test waits for the
// children to say they are done, however long the loaded machine takes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { LinuxProcessSampler } from '../../../src/backend/sampling/linux/processSampler';
import { LinuxSystemSampler } from '../../../src/backend/sampling/linux/systemSampler';
import { Store } from '../../../src/backend/storage/store';
import { runCli } from './support/inProcess';

const MiB = 1 << 20;
let dir: string;
let db: string;
const children: ChildProcess[] = [];
/** The sample times, in order: a row's interval is its time minus the sample before. */
const ticks: number[] = [];
let writer: ChildProcess;
let shell: ChildProcess;
/** The shell's cutime + cstime in seconds once its children are done: what /proc says they used. */
let shellChildSeconds = 0;

function saysDone(c: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    c.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('done')) resolve();
    });
    c.once('exit', (code) => reject(new Error(`child exited (${code}) before it was done`)));
  });
}

function childSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5) (cutime, cstime); f[0] is field 3. CLK_TCK is 100 on Linux.
  return (Number(f[13]) + Number(f[14])) / 100;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-deeper-'));
  db = join(dir, 'rec.sqlite');
  const store = await Store.open({ path: db, retention: defaultMonitorConfig().retention });
  const sys = new LinuxSystemSampler();
  const procs = new LinuxProcessSampler({ commandLine: 'redacted' });
  const tick = async (): Promise<void> => {
    const t = Math.max(Date.now(), (ticks.at(-1) ?? 0) + 1);
    const [system, processes] = await Promise.all([sys.sample(t), procs.sample(t)]);
    store.record({ t, system, processes });
    ticks.push(t);
  };
  let ticking = true;
  const loop = (async () => {
    while (ticking) {
      await tick();
      await new Promise((r) => setTimeout(r, 400));
    }
  })();
  try {
    // Started after the recorder's first sample: everything they do is inside recorded intervals.
    await new Promise((r) => setTimeout(r, 600));
    // /tmp is a real disk here (ext4); on tmpfs write_bytes would stay 0, which is right for tmpfs.
    writer = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); const fd = fs.openSync(process.argv[1], 'w'); const b = Buffer.alloc(${MiB}, 7);
         for (let i = 0; i < 64; i++) fs.writeSync(fd, b);
         fs.fsyncSync(fd); fs.closeSync(fd); process.stdout.write('done\\n'); setInterval(() => {}, 1000);`,
        join(dir, 'big.bin'),
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    // A make-like shell: 20 short busy children, each gone before the next starts.
    shell = spawn(
      'sh',
      [
        '-c',
        'i=0; while [ $i -lt 20 ]; do awk "BEGIN { for (k = 0; k < 1500000; k++) x += k }"; i=$((i+1)); done; echo done; exec sleep 600',
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    children.push(writer, shell);
    await Promise.all([saysDone(writer), saysDone(shell)]);
    shellChildSeconds = childSeconds(shell.pid!);
    // Two more samples: the last interval of each child's work is recorded.
    const n = ticks.length;
    while (ticks.length < n + 2) await new Promise((r) => setTimeout(r, 100));
  } finally {
    ticking = false;
    await loop;
    sys.dispose();
    procs.dispose();
    store.checkpoint(Date.now());
    store.close();
  }
}, 180_000);

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Row {
  time: string;
  tier: string;
  pid: number;
  state: string | null;
  readBytes: number | null;
  writeBytes: number | null;
  childrenCpuPercent: number | null;
}

async function exported(format: string, scope: string): Promise<string> {
  const out = join(dir, `${scope.replace(':', '-')}.${format}`);
  const r = await runCli('export', '--db', db, '--format', format, '--scope', scope, '--out', out);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  return readFileSync(out, 'utf8');
}

async function rowsOf(pid: number): Promise<Row[]> {
  return (await exported('ndjson', `pid:${pid}`))
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Row)
    .filter((r) => r.tier === 'raw');
}

describe.runIf(process.platform === 'linux')('deeper metrics, recorded and exported', () => {
  it('a child that writes 64 MB with fsync shows at least that much written in its rows', async () => {
    const rows = await rowsOf(writer.pid!);
    expect(rows.length).toBeGreaterThan(0);
    // Known for every row: the recorder runs as this user (or root), so the child's io is readable.
    for (const r of rows) expect(r.writeBytes).not.toBeNull();
    const written = rows.reduce((n, r) => n + r.writeBytes!, 0);
    expect(written).toBeGreaterThanOrEqual(64 * MiB);
    for (const r of rows) expect(r.state).toMatch(/^[RSD]$/);
  });

  it('a shell that ran 20 short busy children shows their CPU as its children_cpu', async () => {
    const rows = await rowsOf(shell.pid!);
    const seconds = rows.reduce((s, r) => {
      const t = Date.parse(r.time);
      const prev = ticks[ticks.indexOf(t) - 1]!;
      return s + ((r.childrenCpuPercent ?? 0) / 100) * ((t - prev) / 1000);
    }, 0);
    expect(shellChildSeconds).toBeGreaterThan(0.2);
    // What /proc says the children used, as recorded (percentages keep 2 decimals: a little slack).
    expect(seconds).toBeGreaterThanOrEqual(shellChildSeconds * 0.95);
    expect(seconds).toBeLessThanOrEqual(shellChildSeconds * 1.05 + 0.05);
  });

  it('the CSV carries the new columns', async () => {
    const [head, ...lines] = (await exported('csv', `pid:${writer.pid!}`)).trim().split('\n');
    const cols = head!.split(',');
    for (const c of ['state', 'read_bytes', 'write_bytes', 'children_cpu_percent']) expect(cols).toContain(c);
    const first = lines[0]!.split(',');
    expect(first[cols.indexOf('state')]).toMatch(/^[RSD]$/);
  });

  it.runIf(existsSync('/proc/pressure/io'))('records pressure, steal and task counts as system metrics', async () => {
    const metrics = new Set(
      (await exported('ndjson', 'system'))
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { metric: string }).metric),
    );
    for (const m of [
      'psi.cpu.some',
      'psi.memory.some',
      'psi.memory.full',
      'psi.io.some',
      'psi.io.full',
      'cpu.steal',
      'tasks.running',
      'tasks.blocked',
    ])
      expect(metrics.has(m), m).toBe(true);
  });
});
