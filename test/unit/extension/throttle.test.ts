import { describe, expect, it } from 'vitest';
import { Throttle, type Timers } from '../../../src/extension/util/throttle';

/** A manual clock: the only thing faked, as the test rules allow. */
function clock() {
  let now = 0;
  let queue: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = ++ids;
      queue.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      queue = queue.filter((t) => t.id !== h);
    },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const t of queue.filter((q) => q.at <= now)) {
      queue = queue.filter((q) => q !== t);
      t.fn();
    }
  };
  return { timers, advance, pending: () => queue.length };
}

describe('Throttle', () => {
  it('runs at once, then at most once per interval with one trailing run', () => {
    const c = clock();
    let runs = 0;
    const t = new Throttle(() => void runs++, 2000, c.timers);
    t.request();
    expect(runs).toBe(1);
    c.advance(500);
    t.request();
    t.request();
    t.request();
    expect(runs).toBe(1);
    expect(c.pending()).toBe(1);
    c.advance(1500);
    expect(runs).toBe(2);
  });

  it('accepts a request a little early so samples arriving at the refresh rate are not skipped', () => {
    const c = clock();
    let runs = 0;
    const t = new Throttle(() => void runs++, 2000, c.timers);
    t.request();
    c.advance(1990);
    t.request();
    expect(runs).toBe(2);
  });

  it('flush runs now and drops a pending run; cancel drops it without running', () => {
    const c = clock();
    let runs = 0;
    const t = new Throttle(() => void runs++, 2000, c.timers);
    t.request();
    c.advance(100);
    t.request();
    t.flush();
    expect(runs).toBe(2);
    expect(c.pending()).toBe(0);
    c.advance(100);
    t.request();
    t.cancel();
    c.advance(5000);
    expect(runs).toBe(2);
  });

  it('does not start an interval when the action had nothing to do yet', () => {
    const c = clock();
    let data = false;
    let runs = 0;
    const t = new Throttle(() => (data ? (runs++, true) : false), 30_000, c.timers);
    t.flush(); // the view became visible before the first sample
    c.advance(100);
    data = true;
    t.request(); // the first sample: shown at once, not 30 s later
    expect(runs).toBe(1);
  });

  it('uses a changed interval from the next request', () => {
    const c = clock();
    let runs = 0;
    const t = new Throttle(() => void runs++, 2000, c.timers);
    t.request();
    t.setInterval(10_000);
    c.advance(3000);
    t.request();
    expect(runs).toBe(1);
    c.advance(7000);
    expect(runs).toBe(2);
  });
});
