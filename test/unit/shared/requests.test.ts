// The one request tracker every side uses (worker client, live feed client, webview RPC).
import { describe, expect, it } from 'vitest';
import { RequestTracker, type Cancellation } from '../../../src/shared/requests';

/** A cancellation token like VS Code's: listeners, cancel(), and how many are still attached. */
function tokenSource(): { token: Cancellation; cancel(): void; listeners(): number } {
  const listeners = new Set<() => void>();
  let cancelled = false;
  return {
    token: {
      get isCancellationRequested() {
        return cancelled;
      },
      onCancellationRequested(l) {
        listeners.add(l);
        return { dispose: () => listeners.delete(l) };
      },
    },
    cancel() {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
    listeners: () => listeners.size,
  };
}

describe('RequestTracker', () => {
  it('gives each request its own id and settles each by that id, once', async () => {
    const t = new RequestTracker<string>();
    const a = t.open<number>('history');
    const b = t.open<number>('health');
    expect(a.id).not.toBe(b.id);
    expect(t.size).toBe(2);
    expect(t.context(b.id)).toBe('health');
    expect(t.resolve(b.id, 7)).toBe(true);
    expect(t.reject(a.id, new Error('no'))).toBe(true);
    await expect(b.answer).resolves.toBe(7);
    await expect(a.answer).rejects.toThrow('no');
    expect(t.size).toBe(0);
    // A second answer to the same request changes nothing.
    expect(t.resolve(b.id, 8)).toBe(false);
  });

  it('ignores answers to unknown ids: too late, or from before a restart', async () => {
    const t = new RequestTracker<string>();
    const a = t.open<string>('status');
    expect(t.take(a.id + 100)).toBeUndefined();
    expect(t.resolve(-1, 'x')).toBe(false);
    expect(t.context(12345)).toBeUndefined();
    expect(t.size).toBe(1);
    const p = t.take(a.id);
    expect(p?.context).toBe('status');
    p?.resolve('ok');
    await expect(a.answer).resolves.toBe('ok');
    expect(t.take(a.id)).toBeUndefined();
  });

  it('rejects everything still waiting when the channel goes away, or only what a filter picks', async () => {
    const t = new RequestTracker<{ method: string; worker: number }>();
    const w1 = [t.open({ method: 'history', worker: 1 }), t.open({ method: 'export', worker: 1 })];
    const w2 = t.open({ method: 'health', worker: 2 });
    expect(
      t.rejectAll(
        (c) => new Error(`${c.method}: worker 1 exited`),
        (c) => c.worker === 1,
      ),
    ).toBe(2);
    await expect(w1[0]!.answer).rejects.toThrow('history: worker 1 exited');
    await expect(w1[1]!.answer).rejects.toThrow('export: worker 1 exited');
    expect(t.size).toBe(1);
    expect(t.rejectAll(() => new Error('closed'))).toBe(1);
    await expect(w2.answer).rejects.toThrow('closed');
    expect(t.rejectAll(() => new Error('again'))).toBe(0);
  });

  it('runs cleanups (timers, listeners) when a request settles, whichever way', () => {
    const t = new RequestTracker<string>();
    const cleaned: string[] = [];
    const a = t.open('a');
    const b = t.open('b');
    a.answer.catch(() => undefined);
    b.answer.catch(() => undefined);
    t.onSettled(a.id, () => cleaned.push('a'));
    t.onSettled(b.id, () => cleaned.push('b'));
    t.resolve(a.id, 1);
    t.rejectAll(() => new Error('gone'));
    // A request no longer waiting cleans up at once.
    t.onSettled(a.id, () => cleaned.push('late'));
    expect(cleaned).toEqual(['a', 'b', 'late']);
  });

  it('tells the caller when a waiting request is cancelled, and forgets the token once it settles', async () => {
    const t = new RequestTracker<string>();
    const src = tokenSource();
    const asked: number[] = [];
    const a = t.open<string>('export');
    t.cancelWith(a.id, src.token, () => asked.push(a.id));
    expect(src.listeners()).toBe(1);
    src.cancel();
    // Cancelling asks the other side; the request waits for its answer.
    expect(asked).toEqual([a.id]);
    expect(t.size).toBe(1);
    t.reject(a.id, new Error('cancelled'));
    await expect(a.answer).rejects.toThrow('cancelled');
    expect(src.listeners()).toBe(0);

    // A token cancelled after the answer came does nothing.
    const later = tokenSource();
    const b = t.open<string>('export');
    t.cancelWith(b.id, later.token, () => asked.push(b.id));
    t.resolve(b.id, 'done');
    later.cancel();
    expect(asked).toEqual([a.id]);
    t.cancelWith(b.id, undefined, () => asked.push(-1));
    expect(asked).toEqual([a.id]);
  });
});
