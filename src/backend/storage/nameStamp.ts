import type { Millis } from '../types';

/** `2026-01-05T10:00:00.000Z` → `2026-01-05T10-00-00-000Z`: a file-name-safe ISO stamp for backups and files set aside. */
export function nameStamp(t: Millis): string {
  return new Date(t).toISOString().replace(/[:.]/g, '-');
}
