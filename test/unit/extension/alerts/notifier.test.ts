import { describe, expect, it } from 'vitest';
import { AlertNotifier, GROUP_MS, QUIET_MS } from '../../../../src/extension/alerts/notifier';
import { fakeClock } from '../../../support/fakeClock';

interface A {
  key: string;
}

function setup() {
  const c = fakeClock();
  const shown: string[][] = [];
  const held: string[][] = [];
  const n = new AlertNotifier<A>(
    { show: (b) => shown.push(b.map((a) => a.key)), held: (b) => held.push(b.map((a) => a.key)) },
    (a) => a.key,
    c.timers,
  );
  return { c, n, shown, held };
}

describe('AlertNotifier', () => {
  it('shows one alert after the grouping window, once', () => {
    const { c, n, shown } = setup();
    n.started({ key: 'a' });
    n.started({ key: 'a' });
    expect(shown).toEqual([]);
    c.advance(GROUP_MS);
    expect(shown).toEqual([['a']]);
    c.advance(60_000);
    expect(shown).toEqual([['a']]);
  });

  it('groups alerts that start together into one notification', () => {
    const { c, n, shown } = setup();
    n.started({ key: 'a' });
    c.advance(500);
    n.started({ key: 'b' });
    c.advance(900);
    n.started({ key: 'c' });
    c.advance(100);
    expect(shown).toEqual([['a', 'b', 'c']]);
  });

  it('a steady trickle does not postpone the notification', () => {
    const { c, n, shown } = setup();
    for (let i = 0; i < 10; i++) {
      n.started({ key: `k${i}` });
      c.advance(GROUP_MS / 3);
    }
    expect(shown[0]?.length).toBeGreaterThan(0);
    expect(shown[0]?.length).toBeLessThanOrEqual(3);
  });

  it('shows at most one notification per quiet period; the rest are held for the status bar', () => {
    const { c, n, shown, held } = setup();
    n.started({ key: 'a' });
    c.advance(GROUP_MS);
    n.started({ key: 'b' });
    c.advance(GROUP_MS);
    n.started({ key: 'c' });
    c.advance(GROUP_MS);
    expect(shown).toEqual([['a']]);
    expect(held).toEqual([['b'], ['c']]);
    c.advance(QUIET_MS);
    n.started({ key: 'd' });
    c.advance(GROUP_MS);
    expect(shown).toEqual([['a'], ['d']]);
  });

  it('an alert that ends before its batch is shown is not shown', () => {
    const { c, n, shown, held } = setup();
    n.started({ key: 'a' });
    n.started({ key: 'b' });
    n.ended({ key: 'a' });
    c.advance(GROUP_MS);
    expect(shown).toEqual([['b']]);
    n.started({ key: 'x' });
    n.ended({ key: 'x' });
    c.advance(GROUP_MS);
    expect(held).toEqual([]);
    expect(c.pending()).toBe(0);
  });

  it('dispose cancels what is pending', () => {
    const { c, n, shown } = setup();
    n.started({ key: 'a' });
    n.dispose();
    c.advance(GROUP_MS * 2);
    expect(shown).toEqual([]);
    expect(c.pending()).toBe(0);
  });
});
