// The `event` table's rows (schema 3): an AlertEvent in, an AlertEvent out. One place, so the
// journal's replay, the recorder and the queries agree on the layout.
import type { AlertCulprit, AlertEvent, AlertRule, AlertUnit } from '../alerts/types';
import type { Database } from './sqljs';

export function writeEvent(db: Database, e: AlertEvent): void {
  db.run(
    'INSERT OR REPLACE INTO event(id, rule, culprit_key, started, ended, peak, unit, pids, names, culprit, text, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      e.id,
      e.rule,
      e.culprit.key,
      e.start,
      e.end,
      e.peak.value,
      e.peak.unit,
      e.culprit.processes.map((p) => p.pid).join(' '),
      e.culprit.processes.map((p) => p.name).join('\n'),
      JSON.stringify(e.culprit),
      e.text,
      JSON.stringify(e.details),
    ],
  );
}

const COLUMNS = 'id, rule, started, ended, peak, unit, culprit, text, details';

/** Events overlapping from..to (an open one reaches to now), oldest first. */
export function readEvents(db: Database, from: number, to: number, limit = 10_000): AlertEvent[] {
  const stmt = db.prepare(
    `SELECT ${COLUMNS} FROM event WHERE started <= ? AND (ended IS NULL OR ended >= ?) ORDER BY started, id LIMIT ${Math.floor(limit)}`,
  );
  const out: AlertEvent[] = [];
  try {
    stmt.bind([to, from]);
    while (stmt.step()) {
      const [id, rule, started, ended, peak, unit, culprit, text, details] = stmt.get();
      out.push({
        id: String(id),
        rule: String(rule) as AlertRule,
        culprit: JSON.parse(String(culprit)) as AlertCulprit,
        start: Number(started),
        end: ended === null ? null : Number(ended),
        peak: { value: Number(peak), unit: String(unit) as AlertUnit },
        text: String(text),
        details: JSON.parse(String(details)) as AlertEvent['details'],
      });
    }
  } finally {
    stmt.free();
  }
  return out;
}
