// `vitals record` with the samplers macOS and Windows users get (VITALS_SAMPLER=fallback forces
// systeminformation on Linux) and a low --max-cpu: the cost governor stretches the process interval,
// then the system one (systeminformation spawns helpers for those on Linux), the summary line and
// `vitals health` say so, and the CPU figure is the recorder's thread's.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleCli, removeDir, tempDir, waitFor } from '../durability/support/harness';
import { runCli } from './support/inProcess';

let dir: string;
let cli: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = tempDir('cli-governor');
  cli = await bundleCli(dir);
});
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  removeDir(dir);
});

describe.runIf(process.platform === 'linux')('record with the fallback samplers and a CPU budget', () => {
  it('samples processes, then system metrics, less often to stay under --max-cpu, and says so', async () => {
    const db = join(dir, 'governed.sqlite');
    const child = spawn(process.execPath, [cli, 'record', '--db', db, '--interval', '1', '--max-cpu', '0.1'], {
      env: { ...process.env, VITALS_SAMPLER: 'fallback' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));

    // Piped output prints a summary line every 10 s; the governor decides after three process samples.
    await waitFor(
      () => /system every \d+ s +procs every \d+ s \(governor\)/.test(out),
      'a summary line naming the governed intervals',
      120_000,
    );
    expect(out).toMatch(/self cpu \d+\.\d% mem \d/);

    // `vitals health` asks the running recorder (over its live feed) for its report.
    const health = await runCli('health', '--db', db);
    expect(health.code).toBe(0);
    expect(health.out).toMatch(
      /Sampling +System every ([2-9]|10) s, processes every \d+ s to stay under 0\.1% of one core \(governor: sampling every 1 s costs \d/,
    );
    expect(health.out).toMatch(/CPU +\d+\.\d% of one core, the recorder's thread/);
    expect(health.out).toMatch(/Process RSS +.*, the whole process/);

    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(err).toBe('');
    expect(code).toBe(0);
    // System frames only every stretched interval, processes no more often (in a short run both may
    // still be at the warm-up's few samples each).
    const json = await runCli('health', '--db', db, '--json');
    const rows = (JSON.parse(json.out) as { rowCounts: Record<string, number> }).rowCounts;
    expect(rows.proc_raw).toBeLessThanOrEqual(rows.sys_raw!);
  });

  it('refuses a budget outside the setting’s range', async () => {
    const r = await runCli('record', '--db', join(dir, 'x.sqlite'), '--max-cpu', '0');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-cpu must be between 0.1 and 100/);
  });
});
