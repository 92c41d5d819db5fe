// The range "around" an alert event, as every door opens it (the notification's Show History, the
// dashboard's Events list, a who-did-it row): some context before it starts, the whole event, a
// little after it ends, never past now. Pure.

const MINUTE = 60_000;

/** At least this much before and after the event, or a quarter of its length if that is more. */
const CONTEXT_MS = 5 * MINUTE;

export function eventWindow(start: number, end: number | null, now: number): { from: number; to: number } {
  const last = Math.min(end ?? now, now);
  const margin = Math.max(CONTEXT_MS, (last - start) / 4);
  const to = Math.min(now, last + margin);
  return { from: Math.round(start - margin), to: Math.round(Math.max(to, start + MINUTE)) };
}

/** The range around one moment (who did it at t). */
export function momentWindow(t: number, now: number): { from: number; to: number } {
  return eventWindow(t, t, now);
}
