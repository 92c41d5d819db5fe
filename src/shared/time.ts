// Times as people and agents type them: ISO 8601 dates and times, and (for the agent tools)
// relative ones. Pure, so the CLI's --from/--to and the tools refuse the same things.

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or why the text is not an ISO time. */
export function parseIsoTime(text: string): number | { error: string } {
  const value = text.trim();
  // Only ISO 8601 forms: Date.parse also accepts vague strings we would rather refuse.
  if (!ISO.test(value)) return { error: `must be an ISO date like 2026-11-23 or 2026-11-23T10:40:00Z, got "${text}"` };
  const t = Date.parse(value);
  if (!Number.isFinite(t) || !isCalendarDate(value)) return { error: `is not a valid date: "${text}"` };
  return t;
}

/** Date.parse rolls 2026-02-30 over to March 2 and 24:00 to the next day: refuse what no calendar has. */
function isCalendarDate(value: string): boolean {
  const [y, mo, d, h = 0, mi = 0, sec = 0] = (value.match(/\d+/g) ?? []).slice(0, 6).map(Number) as number[];
  if (y === undefined || mo === undefined || d === undefined) return false;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth && h <= 23 && mi <= 59 && sec <= 59;
}

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `now`, a relative time before now (`-15m`, `-2h`, `-1.5d`, `-30s`, `-1w`) or an ISO time:
 * milliseconds since the epoch, or why not.
 */
export function parseToolTime(text: string, now: number): number | { error: string } {
  const value = text.trim();
  if (value === 'now') return now;
  const rel = /^-(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(value);
  if (rel) return now - Number(rel[1]) * UNIT_MS[rel[2]!]!;
  if (/^-/.test(value)) return { error: `must be now, a relative time like -15m, -2h, -1d, or an ISO time, got "${text}"` };
  const iso = parseIsoTime(value);
  return typeof iso === 'number' ? iso : { error: `must be now, a relative time like -15m, -2h, -1d, or an ISO time; it ${iso.error}` };
}
