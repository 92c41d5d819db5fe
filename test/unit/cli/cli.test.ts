// The CLI's commands and error paths, run in-process against real files and the real sampler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './support/inProcess';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vitals CLI', () => {
  it('records, then reports health and exports real data', async () => {
    const db = join(dir, 'rec.sqlite');
    const rec = await runCli('record', '--db', db, '--interval', '0.5', '--duration', '3');
    expect(rec.err).toBe('');
    expect(rec.code).toBe(0);
    expect(rec.out).toMatch(/Recording .* every 0.5 s/);

    const health = await runCli('health', '--db', db, '--json');
    expect(health.code).toBe(0);
    const report = JSON.parse(health.out) as { rowCounts: Record<string, number>; newestSample: number; oldestSample: number };
    expect(report.rowCounts.sys_raw).toBeGreaterThanOrEqual(3);
    expect(report.rowCounts.process).toBeGreaterThan(5);
    expect(report.newestSample).toBeGreaterThan(report.oldestSample);

    const text = await runCli('health', '--db', db);
    expect(text.out).toMatch(/Oldest sample/);
    // The recorder stopped cleanly: the file says when it last flushed and checkpointed.
    const stamp = /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.source;
    expect(text.out).toMatch(new RegExp(`Last flush +${stamp}\n`));
    expect(text.out).toMatch(new RegExp(`Last checkpoint +${stamp}\n`));
    // The same text Show Storage Health writes to the log (src/shared/healthText.ts).
    expect(text.out).toMatch(/^Vitals storage health\n {2}File {12}.*rec\.sqlite\n/);

    const csv = join(dir, 'sys.csv');
    const ex = await runCli('export', '--db', db, '--format', 'csv', '--scope', 'system', '--out', csv);
    expect(ex.code).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time,tier,metric,avg,min,max');
    expect(lines.some((l) => l.includes(',raw,cpu.total,'))).toBe(true);

    const json = join(dir, 'procs.json');
    const ej = await runCli('export', '--db', db, '--format', 'json', '--scope', 'processes', '--out', json);
    expect(ej.code).toBe(0);
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as { rows: { pid: number; name: string }[] };
    expect(parsed.rows.length).toBeGreaterThan(5);
    const mine = parsed.rows.filter((r) => r.pid === process.pid);
    expect(mine.length).toBeGreaterThan(0);

    const pidOnly = join(dir, 'pid.csv');
    await runCli('export', '--db', db, '--format', 'csv', '--scope', `pid:${process.pid}`, '--out', pidOnly);
    const pidLines = readFileSync(pidOnly, 'utf8').trim().split('\n').slice(1);
    expect(pidLines.length).toBeGreaterThan(0);
    for (const l of pidLines) expect(l.split(',')[2]).toBe(String(process.pid));
  });

  it.each([
    [['record', '--interval', 'fast'], /--interval must be a number/],
    [['record', '--interval', '0'], /--interval must be between 0.5 and 3600/],
    [['record', '--duration', '0'], /--duration must be between/],
    [['export', '--format', 'xml', '--out', 'x'], /--format must be csv, json, ndjson or sqlite, got "xml"/],
    [['export', '--format', 'csv', '--scope', 'pid:abc', '--out', 'x'], /--scope must be system, processes, pid:N, events or all/],
    [['export', '--format', 'csv', '--from', 'yesterday', '--out', 'x'], /--from must be an ISO date/],
    [['export', '--format', 'csv', '--from', '2026-02-30', '--out', 'x'], /--from is not a valid date: "2026-02-30"/],
    [['export', '--format', 'csv', '--to', '2025-02-29T10:00', '--out', 'x'], /--to is not a valid date/],
    [['export', '--format', 'csv', '--from', '2026-01-01T24:00', '--out', 'x'], /--from is not a valid date/],
    [['export', '--format', 'csv', '--from', '2026-02-01', '--to', '2026-01-01', '--out', 'x'], /--from must be before --to/],
    [['export', '--format', 'csv'], /--out FILE is required/],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['health', '--colour'], /Unknown option/],
  ])('rejects %j with one clear line and exit 2', async (argv, message) => {
    const r = await runCli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message as RegExp);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reports a missing database clearly', async () => {
    const r = await runCli('health', '--db', join(dir, 'nope.sqlite'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no database at .*nope.sqlite/);
  });

  it('leaves a file that is not a Vitals database untouched', async () => {
    const f = join(dir, 'notes.txt');
    writeFileSync(f, 'my precious notes, not a database at all'.repeat(10));
    const before = readFileSync(f);
    for (const argv of [
      ['health', '--db', f],
      ['export', '--db', f, '--format', 'csv', '--out', join(dir, 'o.csv')],
      ['record', '--db', f, '--duration', '1'],
    ]) {
      const r = await runCli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/Not a Vitals history database.*left untouched/);
      expect(readFileSync(f)).toEqual(before);
    }
  });
});
