// The journal met in bad shape, on real files: records that cannot be replayed (set aside, the
// recording goes on in a fresh journal), damaged records in the middle (the good ones after them
// kept), records out of order (readers still open it), a journal of another database (not merged),
// and the journal format from before identity headers (still replayed).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultMonitorConfig } from '../../../src/backend/config';
import { Monitor } from '../../../src/backend/monitor';
import { frameRecord, IDENTITY_BYTES, parseJournal } from '../../../src/backend/storage/journal';
import { decodeRecord } from '../../../src/backend/storage/records';
import { journalPathFor, Store } from '../../../src/backend/storage/store';
import type { JournalDamage } from '../../../src/backend/types';
import { openReadOnly } from '../../../src/cli/backupCommands';
import { snapshotAt } from '../../support/synthetic';
import { INFO, manualClock, recordingSink, removeDir, syntheticSamplers, tempDir } from './support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const config = defaultMonitorConfig({ sampleIntervalMs: 2000, flushIntervalMs: 2000, backupsKept: 0 });
const retention = config.retention;
let dir: string;
let db: string;
let journal: string;

beforeEach(() => {
  dir = tempDir('journal');
  db = join(dir, 'vitals.sqlite');
  journal = journalPathFor(db);
});
afterEach(() => removeDir(dir));

const timesIn = (s: Store): number[] => (s.db.exec('SELECT t FROM sys_raw ORDER BY t')[0]?.values ?? []).map((r) => Number(r[0]));
const at = (i: number): number => T0 + i * 2000;

/** A checkpointed database holding intervals [0, checkpointed) and a journal holding [checkpointed, total). */
async function recordWithJournal(checkpointed: number, total: number): Promise<void> {
  const s = await Store.open({ path: db, retention });
  for (let i = 0; i < total; i++) {
    if (i === checkpointed) s.checkpoint(at(i));
    s.record(snapshotAt(at(i), 2000, { processes: 12, churn: 1 }));
    s.flush(at(i));
  }
  s.close(); // a crash: no final checkpoint
}

/** The journal's records, rewritten through `edit` (framed again, so their checksums are valid). */
function rewriteJournal(edit: (payloads: Uint8Array[]) => Uint8Array[], opts: { keepHeader: boolean } = { keepHeader: true }): void {
  const bytes = readFileSync(journal);
  const parsed = parseJournal(bytes);
  const header = parsed.databaseId !== undefined && opts.keepHeader ? [bytes.subarray(0, IDENTITY_BYTES)] : [];
  writeFileSync(journal, Buffer.concat([...header, ...edit(parsed.records.map((p) => new Uint8Array(p))).map(frameRecord)]));
}

function unknownKind(payload: Uint8Array): Uint8Array {
  const p = payload.slice();
  p[0] = 9;
  return p;
}

describe('a journal that cannot be fully replayed', () => {
  it('is set aside, checkpointed past, and recording goes on in a fresh journal that survives the next crash', async () => {
    await recordWithJournal(5, 20); // file: 0–4; journal: 5–19
    rewriteJournal((ps) => ps.map((p, i) => (i === 4 ? unknownKind(p) : p))); // interval 9 unreadable
    const damaged = readFileSync(journal);

    // A read-only reader says what it dropped and why, and changes nothing.
    const reader = await openReadOnly(db);
    expect(reader.journalDamage).toEqual({ records: 1, reason: 'journal records 1 unreadable', keptAs: null });
    expect(timesIn(reader)).toEqual([...Array(20).keys()].filter((i) => i !== 9).map(at));
    reader.close();
    expect(readFileSync(journal)).toEqual(damaged);

    const reports: JournalDamage[] = [];
    const s = await Store.open({ path: db, retention, now: () => at(20), onJournalSetAside: (d) => reports.push({ ...d }) });
    // The good records after the unreadable one are kept.
    expect(timesIn(s)).toEqual([...Array(20).keys()].filter((i) => i !== 9).map(at));
    const aside = `${journal}.corrupt-2026-01-05T10-00-40-000Z`;
    expect(reports).toEqual([{ records: 1, reason: 'journal records 1 unreadable', keptAs: aside }]);
    expect(s.journalDamage?.keptAs).toBe(aside);
    expect(readFileSync(aside)).toEqual(damaged); // kept byte for byte
    expect(readFileSync(journal).byteLength).toBe(0); // a checkpoint holds it all; a fresh journal
    for (let i = 20; i < 25; i++) {
      s.record(snapshotAt(at(i), 2000, { processes: 12, churn: 1 }));
      s.flush(at(i));
    }
    s.close(); // another crash

    const again = await Store.open({ path: db, retention });
    expect(timesIn(again)).toEqual([...Array(25).keys()].filter((i) => i !== 9).map(at));
    expect(again.journalDamage).toBeUndefined();
    again.close();
  });

  it('tells the user once, and the health report says what was dropped', async () => {
    await recordWithJournal(5, 12);
    rewriteJournal((ps) => ps.map((p, i) => (i === 2 ? unknownKind(p) : p)));
    const sink = recordingSink();
    const clock = manualClock(at(30));
    const monitor = await Monitor.open({ dbPath: db, config, sink, clock, samplers: syntheticSamplers(10), info: INFO, autoStart: false });
    try {
      expect(sink.problems.map((p) => p.key)).toEqual(['journal-set-aside']);
      expect(sink.problems[0]!.message).toMatch(/1 unreadable; 1 intervals dropped\). It was kept as .*vitals\.sqlite\.journal\.corrupt-/);
      const health = monitor.health();
      expect(health.journalDamage).toMatchObject({ records: 1, reason: 'journal records 1 unreadable' });
      expect(health.journalDamage?.keptAs).toMatch(/\.journal\.corrupt-/);
      clock.advance(2000);
      await monitor.tick();
      expect(sink.problems.map((p) => p.key)).toEqual(['journal-set-aside']);
    } finally {
      await monitor.close();
    }
    expect(readdirSync(dir).filter((f) => f.includes('.journal.corrupt-'))).toHaveLength(1);
  });

  it('keeps the good records after one damaged in the middle', async () => {
    await recordWithJournal(0, 10);
    const bytes = readFileSync(journal);
    const parsed = parseJournal(bytes);
    expect(parsed.records).toHaveLength(10);
    // Flip a byte inside the payload of the 4th record: its checksum fails, its length is intact.
    let o = parsed.databaseId === undefined ? 0 : IDENTITY_BYTES;
    for (let i = 0; i < 3; i++) o += 8 + bytes.readUInt32LE(o);
    bytes[o + 8 + 20] ^= 0xff;
    writeFileSync(journal, bytes);

    const reader = await openReadOnly(db);
    expect(timesIn(reader)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map(at));
    expect(reader.journalDamage).toEqual({ records: 1, reason: 'journal records 1 damaged', keptAs: null });
    reader.close();
    const s = await Store.open({ path: db, retention });
    expect(timesIn(s)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9].map(at));
    expect(s.journalDamage?.keptAs).toMatch(/\.journal\.corrupt-/);
    s.close();
  });
});

describe('records out of order', () => {
  it('do not keep readers (health, export) from opening the database', async () => {
    await recordWithJournal(0, 6);
    // What an older recorder left: intervals appended after records it had not replayed.
    rewriteJournal(([a, b, c, d, e, f]) => [a!, b!, d!, c!, e!, f!]);
    const reader = await openReadOnly(db);
    expect(timesIn(reader)).toEqual([0, 1, 3, 4, 5].map(at));
    expect(reader.journalDamage).toEqual({ records: 1, reason: 'journal records 1 out of order', keptAs: null });
    reader.close();
  });
});

describe('the journal names its database', () => {
  it('a journal beside another database is set aside, not merged', async () => {
    await recordWithJournal(3, 8); // checkpointed: the journal has a header naming this database
    expect(readFileSync(journal).subarray(0, 4).toString()).toBe('VTLJ');
    const mine = readFileSync(journal);
    const otherDir = tempDir('journal-other');
    try {
      const other = join(otherDir, 'vitals.sqlite');
      const s = await Store.open({ path: other, retention });
      for (let i = 100; i < 105; i++) s.record(snapshotAt(at(i), 2000, { processes: 12 }));
      s.checkpoint(at(105));
      s.close();
      writeFileSync(journalPathFor(other), mine);

      const reader = await Store.open({ path: other, mode: 'read', retention });
      expect(timesIn(reader)).toEqual([100, 101, 102, 103, 104].map(at));
      expect(reader.journalDamage).toMatchObject({ records: 5, reason: 'it belongs to another database' });
      reader.close();
      const recorder = await Store.open({ path: other, retention });
      expect(timesIn(recorder)).toEqual([100, 101, 102, 103, 104].map(at));
      expect(readFileSync(recorder.journalDamage!.keptAs!)).toEqual(mine);
      recorder.close();
    } finally {
      removeDir(otherDir);
    }
  });

  it('a journal in the format before headers still replays', async () => {
    await recordWithJournal(3, 8);
    // The same records without the header: byte for byte what the previous version wrote.
    rewriteJournal((ps) => ps, { keepHeader: false });
    const legacy = readFileSync(journal);
    expect(legacy.readUInt32LE(0)).toBe(parseJournal(legacy).records[0]!.byteLength);
    expect(decodeRecord(parseJournal(legacy).records[0]!).seq).toBe(4);
    const s = await Store.open({ path: db, retention });
    expect(timesIn(s)).toEqual([...Array(8).keys()].map(at));
    expect(s.journalDamage).toBeUndefined();
    s.close();
  });

  it('a journal starts naming its database once the file holds the id', async () => {
    const s = await Store.open({ path: db, retention });
    s.record(snapshotAt(at(0), 2000, { processes: 4 }));
    s.flush(at(0));
    // No file yet: a header would name an id no file on disk holds.
    expect(parseJournal(readFileSync(journal)).databaseId).toBeUndefined();
    s.checkpoint(at(0));
    s.record(snapshotAt(at(1), 2000, { processes: 4 }));
    s.flush(at(1));
    expect(s.databaseId).toMatch(/^[0-9a-f]{32}$/);
    expect(parseJournal(readFileSync(journal)).databaseId).toBe(s.databaseId);
    s.close();
    expect(decodeRecord(parseJournal(readFileSync(journal)).records[0]!).seq).toBe(2);
  });
});

describe('Clear History', () => {
  it('leaves no trace of the old command lines in the file', async () => {
    const samplers = syntheticSamplers(10);
    const sink = recordingSink();
    const clock = manualClock(T0);
    const monitor = await Monitor.open({ dbPath: db, config, sink, clock, samplers, info: INFO, autoStart: false });
    try {
      for (let i = 0; i < 20; i++) {
        clock.advance(2000);
        await monitor.tick();
      }
      await monitor.backupNow();
      const command = sink.snapshots.at(-1)!.processes[0]!.command;
      expect(command.length).toBeGreaterThan(8);
      expect(readFileSync(db).includes(command)).toBe(true);
      await monitor.clearHistory();
      expect(readFileSync(db).includes(command)).toBe(false);
      expect(existsSync(journal) ? readFileSync(journal).includes(command) : false).toBe(false);
    } finally {
      await monitor.close();
    }
  });
});
