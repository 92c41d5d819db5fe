// Asking the process that records a database (a VS Code window or `vitals record`) over its live
// feed: the CLI's restore hands it the switch-over, and health shows its own figures (flushes,
// checkpoints, drops), which the file alone cannot tell.

import { hostname } from 'node:os';
import { defaultMonitorConfig } from '../backend/config';
import { staleAfterMs } from '../backend/recorder/lockAccess';
import { processAlive, RecorderLock, type LockOwner } from '../backend/storage/lock';
import type { HealthReport } from '../backend/types';
import { FEED_VERSION, FeedClient } from '../backend/viewer/feed';
import { errorText } from '../shared/errors';

/** Whether the owner serves a feed this version speaks. */
export function hasFeed(owner: LockOwner | undefined): owner is LockOwner & { feed: { path: string; version: number } } {
  return owner?.feed?.version === FEED_VERSION;
}

export async function withRecorderFeed<T>(
  owner: LockOwner & { feed: { path: string } },
  fn: (client: FeedClient) => Promise<T>,
): Promise<T> {
  const client = await FeedClient.connect(owner.feed.path, { snapshot: () => undefined, status: () => undefined, closed: () => undefined });
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/**
 * The recorder's own report over its feed, or undefined when nobody records here or it cannot be
 * asked (`warn` says why, then the caller shows what the file holds).
 */
export async function recorderHealth(path: string, warn: (line: string) => void): Promise<HealthReport | undefined> {
  const owner = new RecorderLock({ dbPath: path, staleMs: staleAfterMs(defaultMonitorConfig().sampleIntervalMs) }).owner();
  if (!owner || owner.host !== hostname() || !processAlive(owner.pid)) return undefined;
  if (!hasFeed(owner)) {
    warn(`${path} is recorded by pid ${owner.pid}, which cannot be asked; showing what the file holds.`);
    return undefined;
  }
  try {
    return await withRecorderFeed(owner, (client) => client.request('health', {}));
  } catch (e) {
    warn(`The recorder (pid ${owner.pid}) did not answer (${errorText(e)}); showing what the file holds.`);
    return undefined;
  }
}
