// The real version-1 database and journal in test/fixtures/storage/v1 (written by the version-1
// Store; makeV1.ts there says how), copied where a test may migrate it, and small SQL readers.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../src/backend/storage/store';

const FIXTURE = join(__dirname, '../fixtures/storage/v1');

/** The fixture's last interval (3 minutes of 2 s intervals from 2026-12-01 12:00 UTC). */
export const V1_END = Date.UTC(2026, 11, 1, 12, 3, 0);

/** Copies the version-1 file and its journal to `path` (and `path`.journal). */
export function copyV1Database(path: string): void {
  copyFileSync(join(FIXTURE, 'vitals.sqlite'), path);
  copyFileSync(join(FIXTURE, 'vitals.sqlite.journal'), `${path}.journal`);
}

export const sqlRows = (s: Store, sql: string): unknown[][] => s.db.exec(sql)[0]?.values ?? [];
export const sqlValue = (s: Store, sql: string): unknown => sqlRows(s, sql)[0]?.[0];
