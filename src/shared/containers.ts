// How containers are named for people (the Processes view's Containers grouping, tooltips, the CLI).

import type { ContainerRef } from '../backend';

/** Twelve hex digits, as `docker ps` shows an id. */
export function shortContainerId(id: string): string {
  return /^[0-9a-f]{64}$/.test(id) ? id.slice(0, 12) : id;
}

/** Its name when the runtime told us, else the runtime and the short id; a pod's containers name the pod. */
export function containerLabel(c: ContainerRef): string {
  const what = c.runtime === 'kubernetes' ? `pod ${c.pod?.slice(0, 8) ?? '?'}` : c.runtime;
  return c.name ? `${c.name} (${what})` : `${what} ${shortContainerId(c.id)}`;
}

/** One key per container, for grouping. */
export function containerKey(c: ContainerRef): string {
  return `${c.runtime}:${c.id}`;
}
