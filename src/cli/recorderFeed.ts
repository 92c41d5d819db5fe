// Asking the process that records a database (a VS Code window or `vitals record`) over its live
// feed: the CLI's restore hands it the switch-over, and health shows its own figures (flushes,
// checkpoints, drops), which the file alone cannot tell.

import type { LockOwner } from '../backend/storage/lock';
import { FEED_VERSION, FeedClient } from '../backend/viewer/feed';

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
