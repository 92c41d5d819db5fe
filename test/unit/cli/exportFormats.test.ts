// What analysis tools read from `vitals export`: NDJSON one object a line with the CSV's rows, the
// parent pid and thread count of every process row (as /proc has them), and values at the
// precision they were measured with (no 32-bit float printed as 64-bit).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/inProcess';

let dir: string;
let db: string;

/** Rows the last export said it wrote. */
let lastRows = 0;

async function exported(format: string, scope: string): Promise<string> {
  const out = join(dir, `${scope.replace(':', '-')}.${format}`);
  const r = await runCli('export', '--db', db, '--format', format, '--scope', scope, '--out', out);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);
  lastRows = Number(/^Wrote (\d+) rows/.exec(r.out)?.[1]);
  return readFileSync(out, 'utf8');
}

/** Every number in a parsed JSON value. */
function numbersIn(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v.flatMap(numbersIn);
  if (typeof v === 'object' && v !== null) return Object.values(v).flatMap(numbersIn);
  return [];
}

/** More than two decimals: what a float32 printed as a float64 looks like (7.820000171661377). */
const NOISE = /\.\d{3,}/;

/** This process's parent and thread count as /proc has them. */
function procOf(pid: number): { ppid: number; threads: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(f[1]), threads: Number(f[17]) };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-export-'));
  db = join(dir, 'rec.sqlite');
  const rec = await runCli('record', '--db', db, '--interval', '0.5', '--duration', '3');
  expect(rec.code).toBe(0);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(process.platform === 'linux')('export formats', () => {
  it('NDJSON parses line by line and has the rows of the CSV', async () => {
    for (const scope of ['system', 'processes']) {
      // System CSV: one line a metric and interval. Process CSV: command lines may hold quoted
      // newlines, so its row count is what the export reports.
      const csvLines = (await exported('csv', scope)).trim().split('\n').length - 1;
      const csvRows = lastRows;
      const lines = (await exported('ndjson', scope)).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines.length).toBe(scope === 'system' ? csvLines : csvRows);
      const objects = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      for (const o of objects) expect(['raw', '1m']).toContain(o.tier);
      if (scope === 'system') {
        expect(Object.keys(objects[0]!)).toEqual(['time', 'tier', 'metric', 'avg', 'min', 'max']);
        expect(objects.some((o) => o.metric === 'cpu.total')).toBe(true);
      } else {
        expect(Object.keys(objects[0]!)).toEqual(
          expect.arrayContaining(['pid', 'ppid', 'startTime', 'name', 'cpuPercent', 'rssBytes', 'threads', 'role', 'extension', 'command']),
        );
      }
    }
  });

  it('process rows carry ppid, threads and state as /proc has them', async () => {
    const [head, ...rows] = (await exported('csv', `pid:${process.pid}`)).trim().split('\n');
    expect(head).toBe(
      'time,tier,pid,ppid,start_time,name,user,cpu_percent,cpu_max_percent,rss_bytes,rss_max_bytes,threads,state,read_bytes,write_bytes,children_cpu_percent,role,extension,command',
    );
    expect(rows.length).toBeGreaterThan(2);
    const proc = procOf(process.pid);
    let raw = 0;
    for (const r of rows) {
      const f = r.split(',');
      expect(f[2]).toBe(String(process.pid));
      expect(f[3]).toBe(String(proc.ppid));
      // Rollups keep no thread count (a recording across a minute boundary has a 1-minute row).
      if (f[1] !== 'raw') {
        expect(f[11]).toBe('');
        continue;
      }
      raw++;
      // This process is running or sleeping whenever it is sampled; /proc/<pid>/io is ours to read.
      expect(f[12]).toMatch(/^[RS]$/);
      if (raw > 1) {
        expect(Number(f[13])).toBeGreaterThanOrEqual(0);
        expect(Number(f[14])).toBeGreaterThanOrEqual(0);
      }
      expect(Number(f[15])).toBeGreaterThanOrEqual(0);
      // The thread count moves a little (the worker pool of the test runner): near /proc's, never 0.
      expect(Number(f[11])).toBeGreaterThan(0);
      expect(Math.abs(Number(f[11]) - proc.threads)).toBeLessThanOrEqual(proc.threads);
    }
    expect(raw).toBeGreaterThan(2);
    const nd = (await exported('ndjson', `pid:${process.pid}`))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tier: string; ppid: number; threads: number | null; state: string | null; writeBytes: number | null });
    for (const o of nd) {
      expect(o.ppid).toBe(proc.ppid);
      expect(o.state).toMatch(/^[RS]$/);
      expect(Object.keys(o)).toEqual(expect.arrayContaining(['readBytes', 'writeBytes', 'childrenCpuPercent']));
      if (o.tier === 'raw') expect(o.threads).toBeGreaterThan(0);
      else expect(o.threads).toBeNull();
    }
  });

  it('prints values at measured precision: percentages 2 decimals, bytes whole', async () => {
    // Every number of the JSON and NDJSON exports, and every value column of the system CSV.
    const nums: number[] = [];
    for (const scope of ['system', 'processes']) {
      nums.push(...numbersIn(JSON.parse(await exported('json', scope))));
      for (const l of (await exported('ndjson', scope)).trim().split('\n')) nums.push(...numbersIn(JSON.parse(l)));
    }
    for (const l of (await exported('csv', 'system')).trim().split('\n').slice(1)) nums.push(...l.split(',').slice(3).map(Number));
    expect(nums.length).toBeGreaterThan(1000);
    const noisy = nums.filter((n) => NOISE.test(String(n)));
    expect(noisy.slice(0, 5)).toEqual([]);
    const rows = (await exported('ndjson', 'system'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { metric: string; avg: number });
    for (const r of rows.filter((x) => x.metric.startsWith('mem.') || x.metric.startsWith('net.')))
      expect(Number.isInteger(r.avg), r.metric).toBe(true);
    // And some percentages keep their decimals (the rounding is to 2 places, not to whole numbers).
    expect(rows.some((r) => r.metric === 'cpu.total' && !Number.isInteger(r.avg))).toBe(true);
  });
});
