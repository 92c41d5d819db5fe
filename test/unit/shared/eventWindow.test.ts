import { describe, expect, it } from 'vitest';
import { eventWindow, momentWindow } from '../../../src/shared/eventWindow';

const MIN = 60_000;

describe('eventWindow', () => {
  it('adds five minutes of context on each side of a short event, never past now', () => {
    expect(eventWindow(100 * MIN, 103 * MIN, 200 * MIN)).toEqual({ from: 95 * MIN, to: 108 * MIN });
    expect(eventWindow(100 * MIN, 103 * MIN, 104 * MIN)).toEqual({ from: 95 * MIN, to: 104 * MIN });
  });

  it('a long event gets a quarter of its length; an active one runs to now', () => {
    expect(eventWindow(0, 80 * MIN, 1000 * MIN)).toEqual({ from: -20 * MIN, to: 100 * MIN });
    expect(eventWindow(100 * MIN, null, 110 * MIN)).toEqual({ from: 95 * MIN, to: 110 * MIN });
  });

  it('a moment is an event of no length', () => {
    expect(momentWindow(100 * MIN, 200 * MIN)).toEqual({ from: 95 * MIN, to: 105 * MIN });
  });
});
