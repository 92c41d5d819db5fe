// The CLI's alerts: `record --config` with a low threshold raises an alert for a real busy child
// (printed as a line, stored as an event), `events --json` names its pid, `top --at` finds it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertEvent, TopAtResult } from '../../../src/backend/alerts/types';
import { runCli } from './support/inProcess';

let dir: string;
let child: ChildProcess | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-cli-alerts-'));
});
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

describe('vitals record --config, events, top', () => {
  it('a busy child raises an alert line and a stored event naming its pid; top --at finds it', async () => {
    const db = join(dir, 'vitals.sqlite');
    const config = join(dir, 'settings.json');
    writeFileSync(
      config,
      JSON.stringify({
        'vitals.alerts.processCpu.percent': 5,
        'vitals.alerts.processCpu.seconds': 2,
        'vitals.alerts.endAfterSeconds': 0,
        'vitals.alerts.machineCpu.enabled': false,
        'vitals.alerts.filesystem.percent': 150,
        'vitals.alerts.leak.minutes': 1,
        'vitals.noSuchSetting': 1,
      }),
    );
    child = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
    const pid = child.pid!;
    const rec = await runCli('record', '--db', db, '--interval', '1', '--duration', '12', '--config', config);
    expect(rec.code).toBe(0);
    // Warned, and replaced by the nearest valid value / ignored.
    expect(rec.err).toContain('vitals.alerts.filesystem.percent is 150, outside 1–100; using 100.');
    expect(rec.err).toContain('--config: unknown setting "vitals.noSuchSetting" ignored');
    expect(rec.err).toContain('vitals.alerts.leak.minutes is 1, outside 5–1440; using 5.');
    expect(rec.out).toMatch(/ALERT processCpu started .*: node has used \d+ % of a core for/);

    const events = await runCli('events', '--db', db, '--json');
    expect(events.code).toBe(0);
    const list = JSON.parse(events.out) as AlertEvent[];
    const mine = list.find((e) => e.rule === 'processCpu' && e.culprit.processes.some((p) => p.pid === pid));
    expect(mine, events.out).toBeDefined();
    // The recorder stopped: its alerts ended with it.
    expect(mine!.end).not.toBeNull();

    const text = await runCli('events', '--db', db);
    expect(text.out).toContain(`[pid ${pid}]`);

    const at = new Date(mine!.start + 3000).toISOString();
    const top = await runCli('top', '--db', db, '--at', at, '-n', '50', '--json');
    expect(top.code).toBe(0);
    const r = JSON.parse(top.out) as TopAtResult;
    expect(r.exact).toBe(true);
    expect(r.processes.map((p) => p.pid)).toContain(pid);
    // Relative, with a space before the dash.
    const rel = await runCli('top', '--db', db, '--at', '-2h');
    expect(rel.code).toBe(0);
    expect(rel.out).toMatch(/^Nothing was recorded near/);
    expect((await runCli('top', '--db', db, '--at', 'yesterday')).code).toBe(2);
  }, 60_000);
});
