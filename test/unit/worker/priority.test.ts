// lowerThreadPriority() never lowers the process's main thread (the worker side is tested on the
// real backend worker in worker.test.ts).
import { describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { lowerThreadPriority } from '../../../src/backend/worker/priority';

describe('lowerThreadPriority', () => {
  it('refuses to lower the main thread', () => {
    const before = getPriority(process.pid);
    const r = lowerThreadPriority();
    expect(r.lowered).toBe(false);
    expect(getPriority(process.pid)).toBe(before);
  });
});
