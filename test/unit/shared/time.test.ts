// The times the CLI and the agent tools accept: ISO forms only (no calendar roll-over), and for the
// tools `now` and relative times before now.
import { describe, expect, it } from 'vitest';
import { parseIsoTime, parseToolTime } from '../../../src/shared/time';

const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

describe('parseToolTime', () => {
  it.each([
    ['now', NOW],
    ['-15m', NOW - 15 * 60_000],
    ['-2h', NOW - 2 * 3_600_000],
    ['-1.5d', NOW - 36 * 3_600_000],
    ['-30s', NOW - 30_000],
    ['-1w', NOW - 7 * 86_400_000],
    ['2026-11-23T15:00:00Z', Date.UTC(2026, 10, 23, 15, 0, 0)],
  ])('%s', (text, expected) => expect(parseToolTime(text, NOW)).toBe(expected));

  it.each([
    ['yesterday', /must be now, a relative time like -15m/],
    ['-2x', /must be now, a relative time/],
    ['+2h', /must be now, a relative time/],
    ['2026-02-30', /is not a valid date: "2026-02-30"/],
    ['2026-01-01T24:00', /is not a valid date/],
  ])('refuses %s', (text, message) => {
    const r = parseToolTime(text, NOW);
    expect(typeof r).toBe('object');
    expect((r as { error: string }).error).toMatch(message);
  });
});

describe('parseIsoTime', () => {
  it('reads a date as midnight UTC and refuses vague text', () => {
    expect(parseIsoTime('2026-11-23')).toBe(Date.UTC(2026, 10, 23));
    expect(parseIsoTime('Nov 23 2026')).toEqual({
      error: 'must be an ISO date like 2026-11-23 or 2026-11-23T10:40:00Z, got "Nov 23 2026"',
    });
  });
});
