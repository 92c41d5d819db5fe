// The write policy on its own: a fake store (it counts what it was asked to write and fails on
// demand) and explicit times. Backups are real files in a temp folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Problems } from '../../../src/backend/recorder/problems';
import type { LockState } from '../../../src/backend/recorder/lockAccess';
import { RETRY_MAX_MS, WritePolicy, type PolicyStore, type WritePolicyConfig } from '../../../src/backend/recorder/writePolicy';
import type { Millis, TimedEvent } from '../../../src/backend/types';
import { removeDir, tempDir } from '../durability/support/harness';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const DAY = 24 * 60 * 60 * 1000;

class FakeStore implements PolicyStore {
  queued = 0;
  /** Records per successful flush, and the time of every flush attempted. */
  appended: number[] = [];
  flushTimes: Millis[] = [];
  checkpoints: Millis[] = [];
  flushFails = false;
  checkpointFails = false;

  /** `fresh`: a new database, no file until its first checkpoint. */
  constructor(
    private readonly path: string,
    private readonly fresh = false,
  ) {}

  get pendingRecords(): number {
    return this.queued;
  }

  sizeAsked = 0;
  get fileSizeBytes(): number {
    this.sizeAsked++;
    return this.fresh && this.checkpoints.length === 0 ? 0 : 1;
  }

  record(): void {
    this.queued++;
  }

  flush(now: Millis): TimedEvent | null {
    this.flushTimes.push(now);
    if (this.flushFails) throw new Error('ENOSPC: no space left on device');
    if (this.queued === 0) return null;
    this.appended.push(this.queued);
    this.queued = 0;
    return { at: now, durationMs: 0 };
  }

  checkpoint(now: Millis): TimedEvent | null {
    if (this.checkpointFails) throw new Error('EROFS: read-only file system');
    this.queued = 0;
    this.checkpoints.push(now);
    writeFileSync(this.path, `checkpoint at ${now}`);
    return { at: now, durationMs: 0 };
  }
}

let dir: string;
let dbPath: string;
let problems: { key: string; message: string }[];
let lost: number;
let lock: LockState;

beforeEach(() => {
  dir = tempDir('write-policy');
  dbPath = join(dir, 'vitals.sqlite');
  problems = [];
  lost = 0;
  lock = 'ours';
});
afterEach(() => removeDir(dir));

function policyWith(overrides: Partial<WritePolicyConfig> = {}): WritePolicy {
  const config: WritePolicyConfig = {
    sampleIntervalMs: 2_000,
    flushIntervalMs: 2_000,
    checkpointIntervalMs: 10 * 60_000,
    backupsKept: 0,
    ...overrides,
  };
  const policy = new WritePolicy({
    dbPath,
    config: () => config,
    lockState: () => lock,
    lost: () => lost++,
    problems: new Problems({ problem: (key, message) => problems.push({ key, message }) }),
    log: () => undefined,
  });
  policy.reset(T0);
  return policy;
}

/** Records one interval every `stepMs` from T0 + stepMs through `until`, letting the policy act after each. */
function run(policy: WritePolicy, store: FakeStore, from: Millis, until: Millis, stepMs: number): void {
  for (let t = from; t <= until; t += stepMs) {
    store.record();
    policy.afterRecord(store, t);
  }
}

describe('the write policy', () => {
  it('flushes every flush interval, not every sample', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith({ sampleIntervalMs: 2_000, flushIntervalMs: 10_000 });
    run(policy, store, T0 + 2_000, T0 + 30_000, 2_000);
    expect(store.flushTimes).toEqual([T0 + 2_000, T0 + 12_000, T0 + 22_000]);
    expect(store.appended).toEqual([1, 5, 5]);
    expect(store.queued).toBe(4);
  });

  it('retries a failing write after 1 s, doubling up to 60 s, and keeps the samples queued', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith({ sampleIntervalMs: 500, flushIntervalMs: 500 });
    store.flushFails = true;
    run(policy, store, T0 + 500, T0 + 250_000, 500);
    const gaps = store.flushTimes.slice(1).map((t, i) => t - store.flushTimes[i]!);
    expect(gaps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(Math.max(...gaps)).toBe(RETRY_MAX_MS);
    expect(store.appended).toEqual([]);
    expect(store.queued).toBe(500);
    // Told once, not at every retry.
    expect(problems.map((p) => p.key)).toEqual(['write-failed']);
    expect(problems[0]!.message).toContain('ENOSPC');

    // Writing works again: every queued sample goes out in the next write, and the delay starts over.
    store.flushFails = false;
    const next = policy.nextRetryAt;
    run(policy, store, T0 + 250_500, next, 500);
    expect(store.appended).toEqual([500 + (next - T0 - 250_000) / 500]);
    expect(policy.nextRetryAt).toBe(0);
    store.flushFails = true;
    run(policy, store, next + 500, next + 2_000, 500);
    expect(store.flushTimes.slice(-2)).toEqual([next + 500, next + 1_500]);
    // The problem cleared on success, so the new failure is reported again.
    expect(problems.map((p) => p.key)).toEqual(['write-failed', 'write-failed']);
  });

  it('checkpoints on its cadence, restarted by a checkpoint made on request', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith({ checkpointIntervalMs: 60_000 });
    run(policy, store, T0 + 2_000, T0 + 130_000, 2_000);
    expect(store.checkpoints).toEqual([T0 + 60_000, T0 + 120_000]);
    policy.checkpointed(T0 + 150_000);
    run(policy, store, T0 + 132_000, T0 + 220_000, 2_000);
    expect(store.checkpoints).toEqual([T0 + 60_000, T0 + 120_000, T0 + 210_000]);
  });

  it('writes a new database after its first minute, then on the cadence, asking for its size once', () => {
    const fresh = new FakeStore(dbPath, true);
    run(policyWith(), fresh, T0 + 2_000, T0 + 11 * 60_000, 2_000);
    expect(fresh.checkpoints).toEqual([T0 + 60_000, T0 + 60_000 + 10 * 60_000]);
    // Once to decide; after that only for each checkpoint's log line, never per interval.
    expect(fresh.sizeAsked).toBe(1 + fresh.checkpoints.length);
    // A database that has its file waits for the interval.
    const old = new FakeStore(dbPath);
    run(policyWith(), old, T0 + 2_000, T0 + 11 * 60_000, 2_000);
    expect(old.checkpoints).toEqual([T0 + 10 * 60_000]);
  });

  it('reports a failing checkpoint once, and again only after one worked', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith({ checkpointIntervalMs: 10_000 });
    store.checkpointFails = true;
    run(policy, store, T0 + 2_000, T0 + 60_000, 2_000);
    expect(problems.map((p) => p.key)).toEqual(['checkpoint-failed']);
    // The journal kept every interval meanwhile.
    expect(store.appended.reduce((a, b) => a + b, 0)).toBe(30);
    store.checkpointFails = false;
    run(policy, store, T0 + 62_000, T0 + 70_000, 2_000);
    expect(store.checkpoints).toEqual([T0 + 70_000]);
    store.checkpointFails = true;
    run(policy, store, T0 + 72_000, T0 + 80_000, 2_000);
    expect(problems.map((p) => p.key)).toEqual(['checkpoint-failed', 'checkpoint-failed']);
  });

  it('backs up once a day after a checkpoint, keeping the newest backups', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith({ checkpointIntervalMs: 3_600_000, backupsKept: 2 });
    run(policy, store, T0 + 60_000, T0 + 3 * DAY + 60_000, 60_000);
    expect(store.checkpoints.length).toBe(72);
    const backups = readdirSync(join(dir, 'backups')).sort();
    // One a day from the first checkpoint on (Jan 5, 6 and 7 at 11:00; the last checkpoint, Jan 8
    // 10:00, is less than a day after the previous backup), the oldest pruned.
    expect(backups).toEqual(['vitals-2026-01-06T11-00-00-000Z.sqlite', 'vitals-2026-01-07T11-00-00-000Z.sqlite']);
    expect(problems).toEqual([]);
  });

  it('steps down instead of writing when another process holds the lock', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith({ checkpointIntervalMs: 4_000 });
    lock = 'theirs';
    run(policy, store, T0 + 2_000, T0 + 8_000, 2_000);
    expect(store.flushTimes).toEqual([]);
    expect(store.checkpoints).toEqual([]);
    expect(lost).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('treats a lock that cannot be taken as a failed write', () => {
    const store = new FakeStore(dbPath);
    const policy = policyWith();
    lock = new Error('EROFS: read-only file system');
    run(policy, store, T0 + 2_000, T0 + 2_000, 2_000);
    expect(store.flushTimes).toEqual([]);
    expect(policy.nextRetryAt).toBe(T0 + 3_000);
    expect(problems.map((p) => p.key)).toEqual(['write-failed']);
  });
});
