// releaseNow() hands a dead checkpoint copy back at once, and touches nothing it does not own whole.
import { describe, expect, it } from 'vitest';
import { releaseNow } from '../../../src/backend/storage/releaseBuffer';

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('releaseNow', () => {
  it('detaches a buffer it owns whole, one at a time per turn of the event loop', async () => {
    await nextTurn();
    const a = new Uint8Array(1 << 20).fill(7);
    expect(releaseNow(a)).toBe(true);
    expect(a.byteLength).toBe(0);
    // A synchronous loop of checkpoints parks at most one buffer in a closed port; the rest are
    // left to the collector.
    const b = new Uint8Array(1 << 20);
    expect(releaseNow(b)).toBe(false);
    expect(b.byteLength).toBe(1 << 20);
    await nextTurn();
    expect(releaseNow(b)).toBe(true);
    expect(b.byteLength).toBe(0);
  });

  it('leaves views into larger buffers and shared memory alone', async () => {
    await nextTurn();
    const whole = new Uint8Array(1024);
    const part = whole.subarray(16, 32);
    expect(releaseNow(part)).toBe(false);
    expect(whole.byteLength).toBe(1024);
    const shared = new Uint8Array(new SharedArrayBuffer(64));
    expect(releaseNow(shared)).toBe(false);
    expect(shared.byteLength).toBe(64);
  });
});
