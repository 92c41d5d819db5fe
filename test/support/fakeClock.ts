// A manual clock for code that takes injected Timers (src/extension/util/throttle.ts): the only
// thing the tests fake, as the test rules allow. advance() runs due timers in time order.

import type { Timers } from '../../src/extension/util/throttle';

export function fakeClock() {
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
    const end = now + ms;
    for (;;) {
      const due = queue.filter((q) => q.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      queue = queue.filter((q) => q !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { timers, advance, pending: () => queue.length, now: () => now };
}
