// The window contexts the recorder knows: its own window's and each connected viewer's, keyed by
// where they came from. A viewer's leaves with its connection (the window closed or lost the feed),
// so its processes stop being labelled from then on; what was recorded keeps its roles.
import type { WindowContext } from '../types';

/** Where a context came from: this backend's own window, or one live-feed connection. */
export type ContextSource = 'self' | `feed:${number}`;

export class WindowContexts {
  private readonly bySource = new Map<ContextSource, WindowContext>();
  /** Bumped on every change, so classifiers can tell whether what they derived still holds. */
  version = 0;

  set(source: ContextSource, context: WindowContext): void {
    this.bySource.set(source, context);
    this.version++;
  }

  drop(source: ContextSource): void {
    if (this.bySource.delete(source)) this.version++;
  }

  /** Forgets every viewer's (this backend stopped recording, or started to): only its own may stay. */
  dropViewers(): void {
    for (const source of [...this.bySource.keys()]) if (source !== 'self') this.drop(source);
  }

  get size(): number {
    return this.bySource.size;
  }

  all(): WindowContext[] {
    return [...this.bySource.values()];
  }
}
