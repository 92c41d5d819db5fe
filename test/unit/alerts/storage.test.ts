// Alert events in the database: schema 3 on a real version-1 file, kind-4 journal records that a
// crash does not lose, the queries (events over a range, topAt exact and from rollups), retention,
// and the Monitor raising, storing and announcing an alert from real ticks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Store } from '../../../src/backend/storage/store';
import { SCHEMA_VERSION } from '../../../src/backend/storage/schema';
import { decodeRecord, encodeRecord } from '../../../src/backend/storage/records';
import { alertsBetween, topAt } from '../../../src/backend/queries/events';
import { tableRowCounts } from '../../../src/backend/storage/maintenance';
import type { AlertEvent } from '../../../src/backend/alerts/types';
import { snapshotAt } from '../../support/synthetic';
import { copyV1Database, V1_END, sqlValue } from '../../support/v1Database';

const retention = defaultMonitorConfig().retention;
let dir: string;
let path: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vitals-events-'));
  path = join(dir, 'vitals.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const one = sqlValue;

function event(start: number, end: number | null, over: Partial<AlertEvent> = {}): AlertEvent {
  return {
    id: `processCpu|process:1000@1600000000000|${start}`,
    rule: 'processCpu',
    culprit: {
      key: 'process:1000@1600000000000',
      kind: 'process',
      label: 'proc0',
      processes: [{ pid: 1000, startTime: 1_600_000_000_000, name: 'proc0', value: 150 }],
    },
    start,
    end,
    peak: { value: 150, unit: '%core' },
    text: 'proc0 has used 150 % of a core for 2 min',
    details: { threshold: 90, sustainSeconds: 120 },
    ...over,
  };
}

describe('alert events in the database', () => {
  it('schema 3 on a real version-1 file: the event table is added, samples kept', async () => {
    copyV1Database(path);
    const s = await Store.open({ path, retention, now: () => V1_END });
    expect(Number(one(s, 'PRAGMA user_version'))).toBe(SCHEMA_VERSION);
    expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(3);
    expect(Number(one(s, 'SELECT count(*) FROM proc_raw'))).toBe(90);
    expect(Number(one(s, 'SELECT count(*) FROM event'))).toBe(0);
    s.recordAlert(event(V1_END - 60_000, null), V1_END);
    expect(alertsBetween(s, V1_END - 120_000, V1_END)).toHaveLength(1);
    expect(one(s, 'PRAGMA integrity_check')).toBe('ok');
    s.close();
  });

  it('started and ended alerts survive a crash through kind-4 journal records, one row per alert', async () => {
    const t0 = Date.UTC(2026, 11, 2, 10);
    let now = t0;
    const s = await Store.open({ path, retention, now: () => now });
    s.record(snapshotAt(now, 2000, { processes: 10 }));
    s.checkpoint(now);
    s.recordAlert(event(t0 - 120_000, null), now);
    now += 2000;
    s.record(snapshotAt(now, 2000, { processes: 10 }));
    const other = event(t0, null, { id: 'leak|x|1', rule: 'leak', peak: { value: 3e8, unit: 'bytes/h' } });
    s.recordAlert(other, now);
    s.recordAlert({ ...event(t0 - 120_000, t0 + 1000), peak: { value: 190, unit: '%core' } }, now);
    s.flush(now);
    const kinds = s.journal.read({ repair: false }).records.map((p) => decodeRecord(p).kind);
    expect(kinds.filter((k) => k === 'alert')).toHaveLength(3);
    // Killed: no checkpoint, only the journal.
    s.journal.close();
    const r = await Store.open({ path, retention, now: () => now });
    const events = alertsBetween(r, t0 - 3_600_000, t0 + 3_600_000);
    expect(events.map((e) => [e.rule, e.end, e.peak.value])).toEqual([
      ['processCpu', t0 + 1000, 190],
      ['leak', null, 3e8],
    ]);
    expect(events[0]).toEqual({ ...event(t0 - 120_000, t0 + 1000), peak: { value: 190, unit: '%core' } });
    // Range: an event that ended before `from` is not in it, an open one reaches to now.
    expect(alertsBetween(r, t0 + 2000, t0 + 3000).map((e) => e.rule)).toEqual(['leak']);
    expect(tableRowCounts(r.db).event).toBe(2);
    // Clear history clears events too.
    r.clear(now);
    expect(alertsBetween(r, 0, Infinity)).toEqual([]);
    r.close();
  });

  it('refuses a malformed alert record rather than storing half of it', () => {
    const good = { kind: 'alert' as const, seq: 3, t: 5, event: event(1, 2) };
    expect(decodeRecord(encodeRecord(good))).toEqual(good);
    const bad = encodeRecord({ ...good, event: { ...event(1, 2), rule: 'nope' as never } });
    expect(() => decodeRecord(bad)).toThrow(/malformed alert record/);
  });

  it('keeps ended events 90 days', async () => {
    const t0 = Date.UTC(2026, 11, 2, 10);
    let now = t0;
    const s = await Store.open({ path, retention, now: () => now });
    s.recordAlert(event(t0 - 91 * 86_400_000, t0 - 91 * 86_400_000 + 1000), now);
    s.recordAlert(event(t0 - 89 * 86_400_000, t0 - 89 * 86_400_000 + 1000), now);
    for (let i = 0; i < 40; i++) {
      now += 2000;
      s.record(snapshotAt(now, 2000, { processes: 5 }));
    }
    expect(alertsBetween(s, 0, Infinity).map((e) => e.start)).toEqual([t0 - 89 * 86_400_000]);
    s.close();
  });
});

describe('topAt', () => {
  it('exact from the raw sample nearest the moment, else the rollup bucket, saying which', async () => {
    const t0 = Date.UTC(2026, 11, 2, 10);
    let now = t0;
    const s = await Store.open({ path, retention: { ...retention, rawProcessMinutes: 5 }, now: () => now });
    for (let i = 0; i < 20 * 30; i++) {
      now = t0 + i * 2000;
      const snap = snapshotAt(now, 2000, { processes: 20 });
      // A busy one that only the exact answer sees at its moment.
      if (i === 550) snap.processes.push({ ...snap.processes[0]!, pid: 4242, startTime: now - 5000, name: 'spike', cpu: 400 });
      s.record(snap);
    }
    const exact = topAt(s, { t: t0 + 550 * 2000 + 700, by: 'cpu', n: 3 }, 2000);
    expect(exact).toMatchObject({ exact: true, tier: 'raw', at: t0 + 550 * 2000, bucketMs: 0, by: 'cpu' });
    expect(exact.processes[0]).toMatchObject({ pid: 4242, name: 'spike', cpu: 400 });
    expect(exact.processes).toHaveLength(3);
    // Raw process samples are kept 5 minutes: 10 minutes in, only the minute rollup answers.
    const asked = t0 + 10 * 60_000 + 25_000;
    const rolled = topAt(s, { t: asked, by: 'memory', n: 5 }, 2000);
    expect(rolled).toMatchObject({ exact: false, tier: '1m', at: t0 + 10 * 60_000, bucketMs: 60_000, asked });
    expect(rolled.processes).toHaveLength(5);
    const rss = rolled.processes.map((p) => p.rssBytes);
    expect([...rss].sort((a, b) => b - a)).toEqual(rss);
    // Nothing recorded then.
    expect(topAt(s, { t: t0 - 86_400_000, by: 'cpu', n: 5 }, 2000)).toMatchObject({ at: null, processes: [] });
    s.close();
  });
});
