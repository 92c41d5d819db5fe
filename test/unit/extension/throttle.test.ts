import { describe, expect, it } from 'vitest';
import { Throttle } from '../../../src/extension/util/throttle';
import { fakeClock } from '../../support/fakeClock';

const clock = fakeClock;

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
